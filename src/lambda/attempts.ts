import type { Queryable } from '../ports/database.js';
import type { EventBus, PipelineEvent } from '../ports/event-bus.js';
import type { ItemRef } from '../pipeline/steps.js';

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

export interface HandOffBus extends EventBus {
  /** What the step published during this invocation. */
  readonly published: PipelineEvent[];
}

/**
 * The step's bus for one invocation: before an event leaves, the item's count is reset. Before
 * rather than after, so the next step (which can only start once the event exists) never has a
 * failure of its own wiped.
 */
export function handOffBus(bus: EventBus, db: Queryable, ref: ItemRef): HandOffBus {
  const published: PipelineEvent[] = [];
  return {
    published,
    async publish(event) {
      await resetAttempts(db, ref);
      await bus.publish(event);
      published.push(event);
    },
    subscribe: (type, handler) => bus.subscribe(type, handler),
    idle: () => bus.idle(),
    close: async () => {}, // the shared bus outlives the invocation
  };
}
