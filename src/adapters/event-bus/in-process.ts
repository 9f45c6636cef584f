import type { EventBus, EventHandler, PipelineEvent, PipelineEventType } from '../../ports/event-bus.js';
import { log } from '../../shared/logger.js';

/**
 * The laptop home's event bus: a FIFO queue worked by `concurrency` async workers in this
 * process. It is not durable by itself; durability comes from the items table, whose status
 * says which step each unfinished item needs next (see services/pipeline/pipeline.ts, resumeUnfinished), so a restart loses
 * nothing that was accepted.
 */
export class InProcessEventBus implements EventBus {
  private readonly handlers = new Map<PipelineEventType, EventHandler<PipelineEventType>[]>();
  private readonly queue: PipelineEvent[] = [];
  private running = 0;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly concurrency = 2) {}

  subscribe<K extends PipelineEventType>(type: K, handler: EventHandler<K>): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as EventHandler<PipelineEventType>);
    this.handlers.set(type, list);
  }

  async publish(event: PipelineEvent): Promise<void> {
    if (this.closed) return;
    this.queue.push(event);
    this.pump();
  }

  private pump() {
    while (!this.closed && this.running < this.concurrency && this.queue.length > 0) {
      const event = this.queue.shift()!;
      this.running++;
      void this.deliver(event).finally(() => {
        this.running--;
        this.pump();
        this.notifyIfIdle();
      });
    }
    this.notifyIfIdle();
  }

  private async deliver(event: PipelineEvent) {
    for (const handler of this.handlers.get(event.type) ?? []) {
      try {
        await handler(event.detail as never);
      } catch (err) {
        // Handlers own their retries and failure marking; an escape here is a bug, not a crash.
        log.error('event handler threw', { type: event.type, error: String(err) });
      }
    }
  }

  private notifyIfIdle() {
    if (this.running === 0 && this.queue.length === 0) {
      const w = this.waiters;
      this.waiters = [];
      w.forEach((resolve) => resolve());
    }
  }

  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops taking work; waits for the steps already running (the queue resumes from the DB). */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    if (this.running > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}
