import { threadOwner } from '../../../ports/chat-store.js';
import type { Queryable } from '../../../ports/database.js';
import type { Stamp } from './expiry.js';

/** Every chat table (tests empty them between stores). */
export const CHAT_TABLES = ['chat_sessions', 'chat_turn_locks', 'chat_checkpoints', 'chat_blobs', 'chat_writes'] as const;

/** The tables holding a thread's LangGraph records. */
const THREAD_TABLES = ['chat_checkpoints', 'chat_blobs', 'chat_writes'] as const;

/**
 * The owner of a thread, the leading column of every checkpoint key. Chat threads are named
 * `{userId}#{sessionId}`; any other thread id (LangGraph tooling, the conformance suite) belongs
 * to no user and is stored under user_id '' (identity adapters never issue an empty user id).
 */
export function threadKey(thread: string): { userId: string; sessionId: string | null } {
  return thread.indexOf('#') > 0 ? threadOwner(thread) : { userId: '', sessionId: null };
}

/**
 * Pushes the expiry of everything a thread has (its session, checkpoints, blobs and writes) to
 * `t.expiresAt`: a thread lives until ttl after its last activity, and a checkpoint still needs
 * the blobs of channels an earlier step wrote. Rows already expired stay expired: an expired
 * conversation is not resumed, so a thread id used again starts over (and its leftovers are
 * replaced or purged).
 */
export async function touchThread(q: Queryable, thread: string, t: Stamp): Promise<void> {
  const { userId, sessionId } = threadKey(thread);
  for (const table of THREAD_TABLES) {
    await q.query(
      `UPDATE ${table} SET expires_at = $3::timestamptz
       WHERE user_id = $1 AND thread_id = $2 AND expires_at > $4::timestamptz AND expires_at < $3::timestamptz`,
      [userId, thread, t.expiresAt, t.now],
    );
  }
  if (sessionId !== null) {
    await q.query(
      `UPDATE chat_sessions SET expires_at = $3::timestamptz
       WHERE user_id = $1 AND session_id = $2 AND expires_at > $4::timestamptz AND expires_at < $3::timestamptz`,
      [userId, sessionId, t.expiresAt, t.now],
    );
  }
}

/**
 * Deletes every checkpoint, blob and write of a thread (all namespaces) in one statement.
 * `live` counts the rows that had not expired: what a reader could still see.
 */
export async function deleteThreadRows(q: Queryable, thread: string, now: string): Promise<{ deleted: number; live: number }> {
  const { userId } = threadKey(thread);
  const r = await q.query<{ deleted: number; live: number }>(
    `WITH c AS (DELETE FROM chat_checkpoints WHERE user_id = $1 AND thread_id = $2 RETURNING expires_at),
          b AS (DELETE FROM chat_blobs WHERE user_id = $1 AND thread_id = $2 RETURNING expires_at),
          w AS (DELETE FROM chat_writes WHERE user_id = $1 AND thread_id = $2 RETURNING expires_at)
     SELECT count(*)::int AS deleted, count(*) FILTER (WHERE expires_at > $3::timestamptz)::int AS live
     FROM (SELECT expires_at FROM c UNION ALL SELECT expires_at FROM b UNION ALL SELECT expires_at FROM w) d`,
    [userId, thread, now],
  );
  return r.rows[0] ?? { deleted: 0, live: 0 };
}
