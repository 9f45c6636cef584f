import { useEffect, useRef } from 'react';
import type { Turn } from '../../lib/chat-turns';
import { AssistantBubble, UserBubble } from './Bubbles';

/** The conversation log, kept scrolled to the newest message. */
export function MessageList({ turns, busy, loadingHistory }: { turns: Turn[]; busy: boolean; loadingHistory: boolean }) {
  const logRef = useRef<HTMLDivElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: every new turn scrolls the log to the bottom
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [turns]);

  return (
    <div
      className="chat-log"
      ref={logRef}
      role="log"
      aria-live="polite"
      aria-relevant="additions text"
      aria-busy={busy || loadingHistory}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it (axe scrollable-region-focusable)
      tabIndex={0}
      aria-label="Messages"
    >
      {turns.length === 0 && !loadingHistory && (
        <div className="chat-empty">
          <h2>Ask about your collection</h2>
          <p className="muted">
            “Which ramen places did I save in Fukuoka?” · “What was that AI coding tool?” · “Find the spa with late opening hours.”
          </p>
        </div>
      )}
      {loadingHistory && <p className="muted">Loading the conversation…</p>}
      {turns.map((t) => (t.role === 'user' ? <UserBubble key={t.key} text={t.text} /> : <AssistantBubble key={t.key} turn={t} />))}
    </div>
  );
}
