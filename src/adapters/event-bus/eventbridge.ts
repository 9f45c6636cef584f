import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCES, type EventBus, type EventHandler, type PipelineEvent, type PipelineEventType } from '../../ports/event-bus.js';

export interface EventBridgeEventBusOptions {
  /** `default`, or the name (or ARN) of a custom bus. */
  busName: string;
  region?: string;
  /** A ready client (tests, or one shared and instrumented by the caller). */
  client?: EventBridgeClient;
  /** Tries for entries EventBridge itself reports as failed (throttling, internal errors). */
  maxEntryAttempts?: number;
  /**
   * ARNs every event names in `resources`: the environment's bucket (pipelineEventResources in
   * src/contracts/aws.ts), which the stack's rules match so environments sharing a bus stay apart.
   */
  resources?: string[];
}

/**
 * The AWS home's event bus: every pipeline event becomes one EventBridge event with
 * Source = EVENT_SOURCES[type], DetailType = type, the detail as JSON and the environment's
 * bucket in Resources, which the stack's rules
 * (src/contracts/aws.ts EVENT_PATTERNS) route to the next step's Lambda.
 *
 * Only `publish` exists here. Delivery is EventBridge's: a rule invokes a function, so
 * `subscribe` (an in-process handler) has no meaning and throws; `idle` resolves at once, since
 * nothing is ever queued in this process.
 */
export class EventBridgeEventBus implements EventBus {
  readonly client: EventBridgeClient;
  private readonly ownsClient: boolean;
  private readonly maxEntryAttempts: number;

  constructor(private readonly options: EventBridgeEventBusOptions) {
    this.client = options.client ?? new EventBridgeClient({ region: options.region });
    this.ownsClient = !options.client;
    this.maxEntryAttempts = Math.max(1, options.maxEntryAttempts ?? 3);
  }

  async publish(event: PipelineEvent): Promise<void> {
    const entry: PutEventsRequestEntry = {
      EventBusName: this.options.busName,
      Source: EVENT_SOURCES[event.type],
      DetailType: event.type,
      Detail: JSON.stringify(event.detail),
      ...(this.options.resources?.length && { Resources: this.options.resources }),
    };
    // The SDK retries whole requests; PutEvents can also accept the request and fail single
    // entries (FailedEntryCount > 0, HTTP 200), which the SDK does not retry. A publish is the
    // last thing a step does, so a lost one would leave an item stuck: retry it briefly, then
    // throw so the step's Lambda fails and is retried.
    for (let attempt = 1; ; attempt++) {
      const out = await this.client.send(new PutEventsCommand({ Entries: [entry] }));
      const failed = out.Entries?.[0];
      if (!out.FailedEntryCount) return;
      if (attempt >= this.maxEntryAttempts) {
        throw new Error(
          `EventBridge refused the ${event.type} event for item ${event.detail.item_id}: ` +
            `${failed?.ErrorCode ?? 'unknown error'} ${failed?.ErrorMessage ?? ''}`.trim(),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * 4 ** (attempt - 1)));
    }
  }

  subscribe<K extends PipelineEventType>(type: K, _handler: EventHandler<K>): void {
    throw new Error(
      `EventBridge delivers ${type} to a Lambda through a rule (src/contracts/aws.ts); ` +
        'in-process subscribers exist only with EVENT_BUS=local.',
    );
  }

  async idle(): Promise<void> {}

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}
