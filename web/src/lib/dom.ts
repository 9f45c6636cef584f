/** Input types that take no typed text: a shortcut key pressed on them is still a shortcut. */
const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'color', 'file', 'hidden', 'image', 'radio', 'range', 'reset', 'submit']);

interface ElementLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
  closest?: (selector: string) => unknown;
}

/**
 * Whether keys pressed (or text pasted) on this element go into a text field: an input that
 * takes text, a textarea, a select, or anything editable. Keyboard shortcuts leave those alone.
 */
export function isTextEntry(target: EventTarget | ElementLike | null | undefined): boolean {
  const el = target as ElementLike | null | undefined;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((el.type ?? 'text').toLowerCase());
  return typeof el.closest === 'function' && !!el.closest('[contenteditable]:not([contenteditable="false"])');
}
