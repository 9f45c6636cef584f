import type { Config } from '../../config.js';
import type { EventBus } from '../../ports/event-bus.js';
import { EventBridgeEventBus } from './eventbridge.js';
import { InProcessEventBus } from './in-process.js';

export { EventBridgeEventBus, type EventBridgeEventBusOptions } from './eventbridge.js';
export { InProcessEventBus } from './in-process.js';

/**
 * EVENT_BUS: the in-process queue (laptop), or EventBridge, whose rules hand each event to the
 * next step's Lambda (src/lambda/).
 */
export function createEventBus(config: Pick<Config, 'eventBus' | 'pipeline'>): EventBus {
  return config.eventBus.kind === 'eventbridge'
    ? new EventBridgeEventBus({ busName: config.eventBus.busName, region: config.eventBus.region })
    : new InProcessEventBus(config.pipeline.concurrency);
}
