/**
 * The colour theme: `system` follows the device (`prefers-color-scheme`), `light` and `dark` are
 * the user's choice, kept in localStorage and set as `data-theme` on <html> (styles.css has a
 * palette for each). main.tsx applies the stored choice before React renders, so the first paint
 * already has the right colours; the header's toggle changes it.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_KEY = 'collections:theme';

export const parseTheme = (value: unknown): ThemeChoice => (value === 'light' || value === 'dark' ? value : 'system');

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled (privacy settings): the device's theme
  }
}

let current: ThemeChoice = 'system';
const listeners = new Set<() => void>();

export function readStoredTheme(): ThemeChoice {
  try {
    return parseTheme(storage()?.getItem(THEME_KEY));
  } catch {
    return 'system';
  }
}

/** Sets `data-theme` on <html> (none for `system`) and remembers the choice for the toggle. */
export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement) {
  current = choice;
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
  listeners.forEach((l) => l());
}

/** The user's choice: applied at once, stored for the next visit (and other tabs). */
export function setTheme(choice: ThemeChoice) {
  try {
    if (choice === 'system') storage()?.removeItem(THEME_KEY);
    else storage()?.setItem(THEME_KEY, choice);
  } catch {
    // not stored: still applied for this visit
  }
  applyTheme(choice);
}

export const themeSnapshot = () => current;

export function subscribeTheme(listener: () => void) {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Start-up: the stored choice, and a choice made in another tab followed here. */
export function initTheme() {
  applyTheme(readStoredTheme());
  window.addEventListener('storage', (e) => {
    if (e.key === THEME_KEY || e.key === null) applyTheme(readStoredTheme());
  });
}
