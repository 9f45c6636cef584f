import type { Config } from '../../shared/config.js';
import type { Database } from '../../ports/database.js';
import type { Embedder } from '../../ports/embedder.js';
import type { StepDeps } from '../../services/pipeline/steps.js';
import { createObjectStore } from '../../adapters/object-store/index.js';
import { createEventBus, EventBridgeEventBus } from '../../adapters/event-bus/index.js';
import { S3ObjectStore } from '../../adapters/object-store/s3.js';
import { tracer } from './observability.js';

/**
 * The pipeline steps' dependencies in a step Lambda: database, object store and event bus for
 * all three, plus the vision provider (analyzer) or the embedder (embedder) where the step uses
 * one. What a function does not use is not built or imported (the image processor loads no
 * model code); calling it anyway is a bug, and says so.
 */
export function stepDeps(
  config: Config,
  db: Database,
  parts: { vision?: StepDeps['vision']; embedder?: Embedder } = {},
): StepDeps & { close(): Promise<void> } {
  const store = createObjectStore(config.objectStore);
  const bus = createEventBus(config);
  if (bus instanceof EventBridgeEventBus) tracer.captureAWSv3Client(bus.client);
  if (store instanceof S3ObjectStore) tracer.captureAWSv3Client(store.client);
  return {
    db,
    store,
    bus,
    embedder: parts.embedder ?? unavailableEmbedder,
    vision:
      parts.vision ??
      (() => {
        throw new Error('this function has no vision provider (only the analyzer does)');
      }),
    maxImagePixels: config.limits.maxImagePixels,
    close: () => bus.close(),
  };
}

const unavailableEmbedder: Embedder = {
  provider: 'none',
  model: 'none',
  dimensions: 0,
  id: 'none',
  embed: async () => {
    throw new Error('this function has no embedder (only the embedder function does)');
  },
};
