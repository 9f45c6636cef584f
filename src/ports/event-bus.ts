import type { PipelineEvent, PipelineEventType, PipelineEvents } from '../contracts/pipeline-events.js';

export { EVENT_SOURCES, type PipelineEvent, type PipelineEventType, type PipelineEvents } from '../contracts/pipeline-events.js';

export type EventHandler<K extends PipelineEventType> = (detail: PipelineEvents[K]) => Promise<void>;

export interface EventBus {
  publish(event: PipelineEvent): Promise<void>;
  subscribe<K extends PipelineEventType>(type: K, handler: EventHandler<K>): void;
  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}
