import { resolveRef, splitCitations } from '../../lib/citations';
import { activityText, type Turn } from '../../lib/chat-turns';
import { Link, itemPath } from '../../router';
import { CitedCard } from './CitedCard';

export function UserBubble({ text }: { text: string }) {
  return (
    <div className="bubble user">
      <span className="visually-hidden">You: </span>
      {text}
    </div>
  );
}

export function AssistantBubble({ turn }: { turn: Turn }) {
  // Cited items: ids (chat cites [Item <id>]) or ranks among the turn's search results.
  const cited: string[] = [];
  const segments = splitCitations(turn.text);
  for (const s of segments) {
    if (s.kind !== 'cite') continue;
    for (const ref of s.refs) {
      const id = resolveRef(ref, turn.results);
      if (id && !cited.includes(id)) cited.push(id);
    }
  }
  return (
    <div className="bubble assistant" data-pending={turn.pending ? 'true' : undefined}>
      <span className="visually-hidden">Assistant: </span>
      {turn.activities.length > 0 && (
        <ul className="activities" aria-label="What the assistant did">
          {turn.activities.map((a) => (
            <li key={a.id} className={a.done ? 'done' : 'running'} role={a.done ? undefined : 'status'}>
              {!a.done && <span className="spinner" aria-hidden="true" />}
              {activityText(a)}
            </li>
          ))}
        </ul>
      )}
      {turn.pending && !turn.text && turn.activities.every((a) => a.done) && (
        <p className="muted" role="status">
          Thinking…
        </p>
      )}
      {turn.text && (
        <div className="assistant-text">
          {segments.map((s, i) =>
            s.kind === 'text' ? (
              <span key={i}>{s.text}</span>
            ) : (
              <span key={i} className="citations">
                {s.refs.map((ref) => {
                  const id = resolveRef(ref, turn.results);
                  return id ? (
                    <Link key={ref} to={itemPath(id)} className="citation" aria-label={`Source ${cited.indexOf(id) + 1}`}>
                      {cited.indexOf(id) + 1}
                    </Link>
                  ) : (
                    <span key={ref}>[{ref}]</span>
                  );
                })}
              </span>
            ),
          )}
        </div>
      )}
      {turn.error && (
        <p className="notice error" role="alert">
          {turn.error}
        </p>
      )}
      {cited.length > 0 && !turn.pending && (
        <ul className="cited" aria-label="Cited items">
          {cited.map((id, i) => (
            <CitedCard key={id} n={i + 1} id={id} hint={turn.results.find((r) => r.item_id === id)} />
          ))}
        </ul>
      )}
    </div>
  );
}
