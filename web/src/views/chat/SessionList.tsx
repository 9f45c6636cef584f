import type { ChatSession } from '../../api/client';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../router';

interface SessionListProps {
  sessions: ChatSession[];
  /** The session the URL names. */
  current: string | null;
  onNew: () => void;
  onDelete: (session: ChatSession) => void;
}

/** The conversations on the side: start a new one, switch, or ask to delete one. */
export function SessionList({ sessions, current, onNew, onDelete }: SessionListProps) {
  return (
    <aside className="chat-sessions" aria-labelledby="sessions-title">
      <div className="sessions-head">
        <h2 id="sessions-title">Conversations</h2>
        <button type="button" className="button small primary" onClick={onNew}>
          New chat
        </button>
      </div>
      {sessions.length === 0 ? (
        <p className="muted small-text">No conversations yet.</p>
      ) : (
        <ul className="session-list">
          {sessions.map((s) => (
            <li key={s.session_id} className={s.session_id === current ? 'current' : ''}>
              <Link
                to={`/chat?session=${encodeURIComponent(s.session_id)}`}
                className="session-link"
                aria-current={s.session_id === current ? 'page' : undefined}
              >
                <span className="session-title">{s.title || 'Untitled'}</span>
                <span className="session-meta">{formatDateTime(s.last_activity)}</span>
              </Link>
              <button
                type="button"
                className="icon-button"
                aria-label={`Delete conversation “${s.title || 'Untitled'}”`}
                onClick={() => onDelete(s)}
              >
                <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16">
                  <path d="M6 2h4l.5 1H13v1.5H3V3h2.5L6 2Zm-2 3.5h8l-.6 8.5H4.6L4 5.5Z" fill="currentColor" />
                </svg>
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
