import { randomUUID } from 'node:crypto';
import type { TurnLock } from '../../../ports/chat-store.js';
import type { Database } from '../../../ports/database.js';
import type { Expiry } from './expiry.js';

/**
 * A turn's hold on a session, shared by every process on the database (servers, Lambdas): one
 * row per held session in chat_turn_locks. Taking it is a single upsert that succeeds only when
 * no row exists or the existing hold has lapsed, so two processes racing for one session cannot
 * both win. The random owner token makes release remove only its own hold, never one another
 * turn took after this one lapsed.
 */
export async function acquireTurnLock(
  db: Database,
  expiry: Expiry,
  userId: string,
  sessionId: string,
  holdMs: number,
): Promise<TurnLock | null> {
  const owner = randomUUID();
  const t = expiry.after(holdMs);
  const r = await db.query(
    `INSERT INTO chat_turn_locks AS l (user_id, session_id, owner, expires_at)
     VALUES ($1, $2, $3, $4::timestamptz)
     ON CONFLICT (user_id, session_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
     WHERE l.expires_at <= $5::timestamptz
     RETURNING owner`,
    [userId, sessionId, owner, t.expiresAt, t.now],
  );
  if (r.rows.length === 0) return null;
  return {
    async release() {
      await db.query('DELETE FROM chat_turn_locks WHERE user_id = $1 AND session_id = $2 AND owner = $3', [userId, sessionId, owner]);
    },
  };
}
