import { useId, type FormEvent, type KeyboardEvent, type RefObject } from 'react';

interface ComposerProps {
  draft: string;
  onDraft: (draft: string) => void;
  onSend: (e?: FormEvent) => Promise<void>;
  busy: boolean;
  disabled: boolean;
  inputRef: RefObject<HTMLTextAreaElement | null>;
}

/** The message box: Enter sends, Shift+Enter (or an IME composition) does not. */
export function Composer({ draft, onDraft, onSend, busy, disabled, inputRef }: ComposerProps) {
  const inputId = useId();

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void onSend();
    }
  };

  return (
    <form className="composer" onSubmit={(e) => void onSend(e)}>
      <label htmlFor={inputId} className="visually-hidden">
        Message
      </label>
      <textarea
        id={inputId}
        ref={inputRef}
        value={draft}
        onChange={(e) => onDraft(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder="Ask about what you saved…"
        rows={2}
        maxLength={10000}
        disabled={disabled}
      />
      <button type="submit" className="button primary" disabled={busy || !draft.trim()}>
        {busy ? 'Answering…' : 'Send'}
      </button>
    </form>
  );
}
