import type { Queryable } from '../ports/database.js';
import type { ItemRef } from '../domain/item.js';

/**
 * How many times the item's current step has failed, kept in `items.attempts`, because a Lambda
 * cannot know it: an asynchronous invocation carries no retry count, and the retries may run in
 * other execution environments. A failed try adds one; handing the item to the next step
 * (publishing its event) sets it back to zero, so each step gets its own count, and so does
 * marking the item failed, so a retry of a failed item starts with all its attempts.
 */
export async function failedAttempts(db: Queryable, ref: ItemRef): Promise<number> {
  const r = await db.query<{ attempts: number }>('SELECT attempts FROM items WHERE user_id = $1 AND id = $2', [ref.user_id, ref.item_id]);
  return r.rows[0]?.attempts ?? 0;
}

/** Counts one more failed try; returns the count, or null when the item no longer exists. */
export async function recordFailedAttempt(db: Queryable, ref: ItemRef): Promise<number | null> {
  const r = await db.query<{ attempts: number }>(
    'UPDATE items SET attempts = attempts + 1, updated_at = now() WHERE user_id = $1 AND id = $2 RETURNING attempts',
    [ref.user_id, ref.item_id],
  );
  return r.rows[0]?.attempts ?? null;
}

export async function resetAttempts(db: Queryable, ref: ItemRef): Promise<void> {
  await db.query('UPDATE items SET attempts = 0 WHERE user_id = $1 AND id = $2 AND attempts <> 0', [ref.user_id, ref.item_id]);
}
