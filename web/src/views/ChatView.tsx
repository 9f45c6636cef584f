import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, errorText, ok, type ChatSession } from '../api/client';
import { streamChat } from '../api/chat';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { nextKey, turnsFromHistory, type Turn } from '../lib/chat-turns';
import { navigate } from '../router';
import { Composer } from './chat/Composer';
import { MessageList } from './chat/MessageList';
import { SessionList } from './chat/SessionList';
import { searchConfig } from './SearchView';

/**
 * The assistant: sessions on the side (new, switch, delete), the conversation streamed from
 * POST /chat/stream with tool activity as it happens, and the items an answer cites as cards.
 */
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
  const inputRef = useRef<HTMLTextAreaElement>(null);

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
              patchLast((t) => ({
                ...t,
                activities: [...t.activities, { id: ev.id ?? `a${t.activities.length}`, tool: ev.tool, input: ev.input, done: false }],
              }));
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
            The assistant needs a chat model. Set <code>ANTHROPIC_API_KEY</code> or <code>OPENAI_API_KEY</code> (or{' '}
            <code>CHAT_PROVIDER</code>, e.g. <code>ollama</code>) and restart the server. Search and the library work without one.
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
        <SessionList
          sessions={sessions}
          current={session}
          onNew={() => {
            shown.current = null;
            setTurns([]);
            setError(null);
            navigate('/chat');
            inputRef.current?.focus();
          }}
          onDelete={setToDelete}
        />

        <section className="chat-main" aria-label="Conversation">
          <MessageList turns={turns} busy={busy} loadingHistory={loadingHistory} />
          {error && (
            <p className="notice error" role="alert">
              {error}
            </p>
          )}
          <Composer draft={draft} onDraft={setDraft} onSend={send} busy={busy} disabled={available === null} inputRef={inputRef} />
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
