import type { Queryable } from '../../ports/database.js';
import type { EventBus, PipelineEvent } from '../../ports/event-bus.js';
import type { ItemRef } from '../../domain/item.js';
import { resetAttempts } from '../../repositories/step-attempts.js';

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
