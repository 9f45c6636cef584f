import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';

/**
 * Where chat conversations live: LangGraph checkpoints plus one session record per
 * conversation. On a laptop, tables in the embedded database; on AWS, a DynamoDB table with
 * TTL and a GSI (DESIGN.md §5).
 *
 * A conversation's LangGraph thread id is `{userId}#{sessionId}` (threadId below), so two
 * users who pick the same session id never share a thread. Every record of a thread expires
 * `ttlMs` after the thread's last activity: expired sessions are neither listed nor resumed
 * (whatever the backend has not yet deleted is hidden) and `purgeExpired` removes them.
 */
export interface ChatSession {
  session_id: string;
  /** The first user message of the session, shortened. */
  title: string;
  created_at: string;
  last_activity: string;
  /** Messages in the conversation (user, assistant and tool messages). */
  message_count: number;
  expires_at: string;
}

export interface TurnRecord {
  /** Used as the title when the session is new. */
  title: string;
  messageCount: number;
}

/** A turn's hold on its session; `release` is idempotent. */
export interface TurnLock {
  release(): Promise<void>;
}

export interface PurgeReport {
  active_sessions: number;
  expired_sessions: number;
  /** Sessions whose records were removed by this run (with every checkpoint and write). */
  purged_sessions: number;
  purged_records: number;
}

export interface ChatStore {
  readonly kind: 'sql' | 'dynamodb';
  /** Time to live after the last activity (default 4 h, CHAT_SESSION_TTL_HOURS). */
  readonly ttlMs: number;
  /** The LangGraph checkpointer; its records carry the same expiry. */
  readonly saver: BaseCheckpointSaver;

  /**
   * Takes the session for one turn, or returns null when another turn holds it (the API
   * answers 409). The hold lapses after `holdMs` even if its process died, so a crashed
   * turn cannot lock a session for ever. Works across processes (Lambda containers).
   */
  acquireTurn(userId: string, sessionId: string, holdMs: number): Promise<TurnLock | null>;
  /** Records a finished turn: creates the session on first use, refreshes activity and expiry. */
  recordTurn(userId: string, sessionId: string, turn: TurnRecord): Promise<ChatSession>;
  /** The caller's session, or null when it does not exist, is another user's, or has expired. */
  getSession(userId: string, sessionId: string): Promise<ChatSession | null>;
  /** The caller's unexpired sessions, most recent activity first. */
  listSessions(userId: string, options?: { limit?: number }): Promise<ChatSession[]>;
  /** Removes the session and every checkpoint and write of its thread; false when there was none. */
  deleteSession(userId: string, sessionId: string): Promise<boolean>;
  /** The cleanup job: counts sessions and removes expired ones the backend has not removed yet. */
  purgeExpired(): Promise<PurgeReport>;
  close(): Promise<void>;
}

export const threadId = (userId: string, sessionId: string) => `${userId}#${sessionId}`;

/** The user a thread belongs to (user ids never contain '#': identity adapters guarantee it). */
export function threadOwner(thread: string): { userId: string; sessionId: string } {
  const at = thread.indexOf('#');
  if (at <= 0) throw new Error(`not a chat thread id: ${thread}`);
  return { userId: thread.slice(0, at), sessionId: thread.slice(at + 1) };
}
