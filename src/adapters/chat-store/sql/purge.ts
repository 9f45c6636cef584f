import type { PurgeReport } from '../../../ports/chat-store.js';
import type { Queryable } from '../../../ports/database.js';

/**
 * The cleanup job in one statement: counts sessions, then deletes every expired row of every
 * chat table. A thread's rows expire together with its session (each turn and each checkpoint
 * refreshes both), so an expired session leaves with all its checkpoints and writes; rows of
 * threads that never recorded a turn (a crashed first turn) go once expired too, as do lapsed
 * turn locks. Rows still live are kept even in an expired session's thread: they belong to a
 * turn that started after the session expired, its next life. All parts of one statement see
 * the same snapshot, so the counts describe exactly the rows deleted.
 */
export async function purgeExpiredRows(q: Queryable, now: string): Promise<PurgeReport> {
  const r = await q.query<PurgeReport>(
    `WITH counts AS (
       SELECT count(*) FILTER (WHERE expires_at > $1::timestamptz)::int AS active,
              count(*) FILTER (WHERE expires_at <= $1::timestamptz)::int AS expired
       FROM chat_sessions),
     s AS (DELETE FROM chat_sessions WHERE expires_at <= $1::timestamptz RETURNING 1),
     l AS (DELETE FROM chat_turn_locks WHERE expires_at <= $1::timestamptz RETURNING 1),
     c AS (DELETE FROM chat_checkpoints WHERE expires_at <= $1::timestamptz RETURNING 1),
     b AS (DELETE FROM chat_blobs WHERE expires_at <= $1::timestamptz RETURNING 1),
     w AS (DELETE FROM chat_writes WHERE expires_at <= $1::timestamptz RETURNING 1)
     SELECT counts.active AS active_sessions,
            counts.expired AS expired_sessions,
            (SELECT count(*) FROM s)::int AS purged_sessions,
            ((SELECT count(*) FROM s) + (SELECT count(*) FROM l) + (SELECT count(*) FROM c)
              + (SELECT count(*) FROM b) + (SELECT count(*) FROM w))::int AS purged_records
     FROM counts`,
    [now],
  );
  const row = r.rows[0];
  if (!row) throw new Error('chat purge returned no row');
  return {
    active_sessions: Number(row.active_sessions),
    expired_sessions: Number(row.expired_sessions),
    purged_sessions: Number(row.purged_sessions),
    purged_records: Number(row.purged_records),
  };
}
