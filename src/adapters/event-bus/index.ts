import type { Config } from '../../shared/config.js';
import type { EventBus } from '../../ports/event-bus.js';
import { pipelineEventResources } from '../../contracts/aws.js';
import { EventBridgeEventBus } from './eventbridge.js';
import { InProcessEventBus } from './in-process.js';

export { EventBridgeEventBus, type EventBridgeEventBusOptions } from './eventbridge.js';
export { InProcessEventBus } from './in-process.js';

/**
 * EVENT_BUS: the in-process queue (laptop), or EventBridge, whose rules hand each event to the
 * next step's Lambda (src/lambda/). On EventBridge each event names the environment's bucket,
 * which is how the rules of environments sharing the default bus tell their events apart.
 */
export function createEventBus(config: Pick<Config, 'eventBus' | 'pipeline' | 'objectStore'>): EventBus {
  if (config.eventBus.kind !== 'eventbridge') return new InProcessEventBus(config.pipeline.concurrency);
  const bucket = config.objectStore.kind === 's3' ? config.objectStore.bucket : undefined;
  return new EventBridgeEventBus({
    busName: config.eventBus.busName,
    region: config.eventBus.region,
    ...(bucket && { resources: pipelineEventResources(bucket, config.eventBus.region) }),
  });
}
