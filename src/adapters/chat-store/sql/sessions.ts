import type { ChatSession, TurnRecord } from '../../../ports/chat-store.js';
import type { Queryable } from '../../../ports/database.js';
import type { Stamp } from './expiry.js';
import { isoTime } from './values.js';

/** The SQL of chat_sessions. Reads hide expired sessions. */

interface SessionDbRow {
  session_id: string;
  title: string;
  created_at: unknown;
  last_activity: unknown;
  message_count: number;
  expires_at: unknown;
}

const COLUMNS = 'session_id, title, created_at, last_activity, message_count, expires_at';

function toSession(row: SessionDbRow): ChatSession {
  return {
    session_id: row.session_id,
    title: row.title,
    created_at: isoTime(row.created_at),
    last_activity: isoTime(row.last_activity),
    message_count: Number(row.message_count),
    expires_at: isoTime(row.expires_at),
  };
}

/**
 * Creates the session or records another turn of it. Title and start come from the first turn;
 * a session whose row expired (not yet purged) starts a new life, as if it had never existed.
 */
export async function upsertSession(q: Queryable, userId: string, sessionId: string, turn: TurnRecord, t: Stamp): Promise<ChatSession> {
  const r = await q.query<SessionDbRow>(
    `INSERT INTO chat_sessions AS s (user_id, session_id, title, created_at, last_activity, message_count, expires_at)
     VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz, $5, $6::timestamptz)
     ON CONFLICT (user_id, session_id) DO UPDATE SET
       title = CASE WHEN s.expires_at > EXCLUDED.last_activity THEN s.title ELSE EXCLUDED.title END,
       created_at = CASE WHEN s.expires_at > EXCLUDED.last_activity THEN s.created_at ELSE EXCLUDED.created_at END,
       last_activity = EXCLUDED.last_activity,
       message_count = EXCLUDED.message_count,
       expires_at = EXCLUDED.expires_at
     RETURNING ${COLUMNS}`,
    [userId, sessionId, turn.title, t.now, turn.messageCount, t.expiresAt],
  );
  const row = r.rows[0];
  if (!row) throw new Error('chat_sessions upsert returned no row');
  return toSession(row);
}

export async function selectSession(q: Queryable, userId: string, sessionId: string, now: string): Promise<ChatSession | null> {
  const r = await q.query<SessionDbRow>(
    `SELECT ${COLUMNS} FROM chat_sessions WHERE user_id = $1 AND session_id = $2 AND expires_at > $3::timestamptz`,
    [userId, sessionId, now],
  );
  return r.rows[0] ? toSession(r.rows[0]) : null;
}

/** Most recent activity first; `limit` undefined: all of them. */
export async function selectSessions(q: Queryable, userId: string, now: string, limit?: number): Promise<ChatSession[]> {
  const r = await q.query<SessionDbRow>(
    `SELECT ${COLUMNS} FROM chat_sessions WHERE user_id = $1 AND expires_at > $2::timestamptz
     ORDER BY last_activity DESC, session_id LIMIT $3`,
    [userId, now, limit === undefined ? null : Math.max(0, Math.floor(limit))],
  );
  return r.rows.map(toSession);
}

/** Deletes the session row; `live` when it had not expired. */
export async function deleteSessionRow(
  q: Queryable,
  userId: string,
  sessionId: string,
  now: string,
): Promise<{ deleted: boolean; live: boolean }> {
  const r = await q.query<{ live: boolean }>(
    `DELETE FROM chat_sessions WHERE user_id = $1 AND session_id = $2 RETURNING expires_at > $3::timestamptz AS live`,
    [userId, sessionId, now],
  );
  return { deleted: r.rows.length > 0, live: r.rows[0]?.live === true };
}
