import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ApiError, api, errorText, ok, type ChatMessage, type ChatSearchResult, type ChatSession, type ItemDetail } from '../api/client';
import { streamChat } from '../api/chat';
import { ApiImage } from '../components/ApiImage';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { resolveRef, splitCitations } from '../lib/citations';
import { formatDateTime } from '../lib/format';
import { Link, itemPath, navigate } from '../router';
import { searchConfig } from './SearchView';

/**
 * The assistant: sessions on the side (new, switch, delete), the conversation streamed from
 * POST /chat/stream with tool activity as it happens, and the items an answer cites as cards.
 */
interface Activity {
  id: string;
  tool: string;
  input: Record<string, unknown>;
  done: boolean;
}

interface Turn {
  key: string;
  role: 'user' | 'assistant';
  text: string;
  results: ChatSearchResult[];
  activities: Activity[];
  pending?: boolean;
  error?: string;
}

let turnKey = 0;
const nextKey = () => `t${++turnKey}`;

function activityText(a: Activity): string {
  const q = typeof a.input.query === 'string' ? `“${a.input.query}”` : '';
  switch (a.tool) {
    case 'search_collection':
      return a.done ? `Searched your collection${q ? ` for ${q}` : ''}` : `Searching your collection${q ? ` for ${q}` : ''}…`;
    case 'get_item':
      return a.done ? 'Read an item' : 'Reading an item…';
    case 'search_web':
      return a.done ? `Searched the web${q ? ` for ${q}` : ''}` : `Searching the web${q ? ` for ${q}` : ''}…`;
    default:
      return a.done ? `Used ${a.tool}` : `Using ${a.tool}…`;
  }
}

/** History (user, assistant with tool calls, tool, assistant…) → what the page shows. */
function turnsFromHistory(messages: ChatMessage[]): Turn[] {
  const turns: Turn[] = [];
  let carried: Activity[] = [];
  for (const m of messages) {
    if (m.role === 'user') {
      turns.push({ key: nextKey(), role: 'user', text: m.content, results: [], activities: [] });
      carried = [];
    } else if (m.role === 'assistant') {
      const calls = (m.tool_calls ?? []).map((c, i) => ({ id: c.id ?? `h${i}`, tool: c.name, input: c.args, done: true }));
      carried = [...carried, ...calls];
      if (m.content.trim()) {
        turns.push({ key: nextKey(), role: 'assistant', text: m.content, results: [], activities: carried });
        carried = [];
      }
    }
  }
  return turns;
}

export function ChatView({ session }: { session: string | null }) {
  const [available, setAvailable] = useState<boolean | null>(null);
  const [sessions, setSessions] = useState<ChatSession[]>([]);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<ChatSession | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [loadingHistory, setLoadingHistory] = useState(false);
  /** The session this page is showing; a new session named by the stream must not reload. */
  const shown = useRef<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const inputId = useId();

  useEffect(() => {
    searchConfig().then(
      (c) => setAvailable(c.answer_available),
      () => setAvailable(true), // let a turn say what is wrong
    );
    return () => abort.current?.abort();
  }, []);

  const loadSessions = useCallback(async () => {
    try {
      setSessions((await ok(api().GET('/chat/sessions'))).sessions);
    } catch (err) {
      if (err instanceof ApiError && err.status === 503) setAvailable(false);
    }
  }, []);

  useEffect(() => {
    if (available) void loadSessions();
  }, [available, loadSessions]);

  // Open the session the URL names (unless it is the one already on screen).
  useEffect(() => {
    if (!available) return;
    if (session === shown.current) return;
    shown.current = session;
    setError(null);
    if (!session) {
      setTurns([]);
      return;
    }
    let live = true;
    setLoadingHistory(true);
    ok(api().GET('/chat/{session_id}/history', { params: { path: { session_id: session } } })).then(
      (h) => {
        if (!live) return;
        setTurns(turnsFromHistory(h.messages));
        setLoadingHistory(false);
      },
      (err) => {
        if (!live) return;
        setTurns([]);
        setLoadingHistory(false);
        setError(err instanceof ApiError && err.status === 404 ? 'This conversation has expired or was deleted.' : errorText(err));
      },
    );
    return () => {
      live = false;
    };
  }, [session, available]);

  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [turns]);

  const patchLast = (patch: (t: Turn) => Turn) => setTurns((ts) => ts.map((t, i) => (i === ts.length - 1 ? patch(t) : t)));

  const send = async (e?: FormEvent) => {
    e?.preventDefault();
    const message = draft.trim();
    if (!message || busy) return;
    setDraft('');
    setError(null);
    setBusy(true);
    setTurns((ts) => [
      ...ts,
      { key: nextKey(), role: 'user', text: message, results: [], activities: [] },
      { key: nextKey(), role: 'assistant', text: '', results: [], activities: [], pending: true },
    ]);
    const controller = new AbortController();
    abort.current = controller;
    try {
      await streamChat(
        { message, ...(shown.current ? { session_id: shown.current } : {}) },
        (ev) => {
          switch (ev.type) {
            case 'session':
              if (shown.current !== ev.session_id) {
                shown.current = ev.session_id;
                navigate(`/chat?session=${encodeURIComponent(ev.session_id)}`, { replace: !session });
              }
              break;
            case 'token':
              patchLast((t) => ({ ...t, text: t.text + ev.text }));
              break;
            case 'tool_call':
              patchLast((t) => ({ ...t, activities: [...t.activities, { id: ev.id ?? `a${t.activities.length}`, tool: ev.tool, input: ev.input, done: false }] }));
              break;
            case 'tool_result':
              patchLast((t) => {
                const i = t.activities.findIndex((a) => !a.done && (ev.id ? a.id === ev.id : a.tool === ev.tool));
                return i < 0 ? t : { ...t, activities: t.activities.map((a, n) => (n === i ? { ...a, done: true } : a)) };
              });
              break;
            case 'message':
              patchLast((t) => ({
                ...t,
                text: ev.response.message.content,
                results: ev.response.search_results,
                activities: t.activities.map((a) => ({ ...a, done: true })),
                pending: false,
              }));
              break;
            case 'error':
              patchLast((t) => ({ ...t, pending: false, error: ev.message }));
              break;
          }
        },
        controller.signal,
      );
      patchLast((t) => ({ ...t, pending: false }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 503) {
        setAvailable(false);
        setTurns((ts) => ts.slice(0, -2));
      } else {
        const text =
          err instanceof ApiError && err.code === 'session_busy'
            ? 'This conversation is still answering another message; wait a moment and send again.'
            : errorText(err);
        patchLast((t) => ({ ...t, pending: false, error: text }));
      }
    } finally {
      setBusy(false);
      abort.current = null;
      void loadSessions();
      inputRef.current?.focus();
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  const remove = async () => {
    if (!toDelete) return;
    setDeleting(true);
    try {
      await ok(api().DELETE('/chat/{session_id}', { params: { path: { session_id: toDelete.session_id } } }));
      if (toDelete.session_id === shown.current) {
        shown.current = null;
        setTurns([]);
        navigate('/chat', { replace: true });
      }
      await loadSessions();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setDeleting(false);
      setToDelete(null);
    }
  };

  if (available === false) {
    return (
      <div className="page chat-page">
        <h1 tabIndex={-1}>Chat</h1>
        <div className="notice" role="status" data-testid="chat-unavailable">
          <h2>No chat model is configured</h2>
          <p>
            The assistant needs a chat model. Set <code>ANTHROPIC_API_KEY</code> or <code>OPENAI_API_KEY</code> (or <code>CHAT_PROVIDER</code>,
            e.g. <code>ollama</code>) and restart the server. Search and the library work without one.
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="page chat-page">
      <h1 tabIndex={-1} className="visually-hidden">
        Chat
      </h1>
      <div className="chat-layout">
        <aside className="chat-sessions" aria-labelledby="sessions-title">
          <div className="sessions-head">
            <h2 id="sessions-title">Conversations</h2>
            <button
              type="button"
              className="button small primary"
              onClick={() => {
                shown.current = null;
                setTurns([]);
                setError(null);
                navigate('/chat');
                inputRef.current?.focus();
              }}
            >
              New chat
            </button>
          </div>
          {sessions.length === 0 ? (
            <p className="muted small-text">No conversations yet.</p>
          ) : (
            <ul className="session-list">
              {sessions.map((s) => (
                <li key={s.session_id} className={s.session_id === session ? 'current' : ''}>
                  <Link to={`/chat?session=${encodeURIComponent(s.session_id)}`} className="session-link" aria-current={s.session_id === session ? 'page' : undefined}>
                    <span className="session-title">{s.title || 'Untitled'}</span>
                    <span className="session-meta">{formatDateTime(s.last_activity)}</span>
                  </Link>
                  <button type="button" className="icon-button" aria-label={`Delete conversation “${s.title || 'Untitled'}”`} onClick={() => setToDelete(s)}>
                    <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16"><path d="M6 2h4l.5 1H13v1.5H3V3h2.5L6 2Zm-2 3.5h8l-.6 8.5H4.6L4 5.5Z" fill="currentColor" /></svg>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </aside>

        <section className="chat-main" aria-label="Conversation">
          <div className="chat-log" ref={logRef} role="log" aria-live="polite" aria-relevant="additions text" aria-busy={busy || loadingHistory} tabIndex={0} aria-label="Messages">
            {turns.length === 0 && !loadingHistory && (
              <div className="chat-empty">
                <h2>Ask about your collection</h2>
                <p className="muted">“Which ramen places did I save in Fukuoka?” · “What was that AI coding tool?” · “Find the spa with late opening hours.”</p>
              </div>
            )}
            {loadingHistory && <p className="muted">Loading the conversation…</p>}
            {turns.map((t) => (t.role === 'user' ? <UserBubble key={t.key} text={t.text} /> : <AssistantBubble key={t.key} turn={t} />))}
          </div>
          {error && (
            <p className="notice error" role="alert">
              {error}
            </p>
          )}
          <form className="composer" onSubmit={(e) => void send(e)}>
            <label htmlFor={inputId} className="visually-hidden">
              Message
            </label>
            <textarea
              id={inputId}
              ref={inputRef}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onKeyDown}
              placeholder="Ask about what you saved…"
              rows={2}
              maxLength={10000}
              disabled={available === null}
            />
            <button type="submit" className="button primary" disabled={busy || !draft.trim()}>
              {busy ? 'Answering…' : 'Send'}
            </button>
          </form>
        </section>
      </div>

      <ConfirmDialog
        open={!!toDelete}
        title="Delete this conversation?"
        confirmLabel="Delete"
        busy={deleting}
        busyLabel="Deleting…"
        onConfirm={() => void remove()}
        onCancel={() => setToDelete(null)}
      >
        <p>“{toDelete?.title}” and all its messages will be removed.</p>
      </ConfirmDialog>
    </div>
  );
}

function UserBubble({ text }: { text: string }) {
  return (
    <div className="bubble user">
      <span className="visually-hidden">You: </span>
      {text}
    </div>
  );
}

function AssistantBubble({ turn }: { turn: Turn }) {
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

const detailCache = new Map<string, Promise<ItemDetail | null>>();
const itemDetail = (id: string) => {
  let p = detailCache.get(id);
  if (!p) {
    p = ok(api().GET('/items/{id}', { params: { path: { id } } })).then(
      (d) => d as ItemDetail,
      () => null,
    );
    detailCache.set(id, p);
  }
  return p;
};

function CitedCard({ n, id, hint }: { n: number; id: string; hint?: ChatSearchResult }) {
  const [detail, setDetail] = useState<{ headline: string | null; category: string | null; thumbnail_url: string | null } | null>(
    hint ? { headline: hint.headline, category: hint.category, thumbnail_url: hint.thumbnail_url } : null,
  );
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (hint) return;
    let live = true;
    void itemDetail(id).then((d) => {
      if (!live) return;
      if (!d) setMissing(true);
      else setDetail({ headline: d.analysis?.headline ?? d.original_filename, category: d.analysis?.category ?? d.category, thumbnail_url: d.thumbnail_url });
    });
    return () => {
      live = false;
    };
  }, [id, hint]);
  if (missing) return null;
  return (
    <li className="cited-card" data-item-id={id}>
      <Link to={itemPath(id)} className="cited-link">
        <span className="cited-n" aria-hidden="true">
          {n}
        </span>
        {detail?.thumbnail_url ? (
          <ApiImage path={detail.thumbnail_url} alt="" width={64} height={64} className="thumb" />
        ) : (
          <span className="thumb thumb-pending" aria-hidden="true" />
        )}
        <span className="cited-body">
          <span className="cited-headline">{detail?.headline ?? 'Loading…'}</span>
          {detail?.category && <span className="muted small-text">{detail.category}</span>}
        </span>
      </Link>
    </li>
  );
}
