import type { Config } from '../shared/config.js';
import type { Database } from '../ports/database.js';
import type { Embedder } from '../ports/embedder.js';
import type { EventBus } from '../ports/event-bus.js';
import type { IdentityProvider } from '../ports/identity.js';
import type { Services } from '../services/services.js';
import { ItemService } from '../services/items/item-service.js';
import type { ObjectStore } from '../ports/object-store.js';
import { openDatabase } from '../adapters/database/index.js';
import { createObjectStore } from '../adapters/object-store/index.js';
import { createEmbedder } from '../adapters/embedder/index.js';
import { VisionProviders } from '../adapters/vision/index.js';
import { createIdentity } from '../adapters/identity/index.js';
import { createEventBus } from '../adapters/event-bus/index.js';
import { S3ObjectStore } from '../adapters/object-store/s3.js';
import { S3PresignedPost } from '../adapters/object-store/s3-presigned-post.js';
import type { UploadPresigner } from '../ports/upload-presigner.js';
import { startPipeline, resumeUnfinished } from '../services/pipeline/pipeline.js';
import type { StepDeps } from '../services/pipeline/steps.js';
import { vectorIndexFor } from '../repositories/search/vector-index.js'; // vector-index wiring
import type { BaseChatModel } from '@langchain/core/language_models/chat_models'; // chat-model wiring
import { checkChatConfig, createChatModel } from '../adapters/chat-model/index.js'; // chat-model wiring
import type { ChatStore } from '../ports/chat-store.js';
import { checkChatStoreConfig, createChatStore } from '../adapters/chat-store/index.js';
import { createSearcher } from '../services/search/index.js';

export type { Services } from '../services/services.js';

export interface ServiceOverrides {
  db?: Database;
  store?: ObjectStore;
  embedder?: Embedder;
  identity?: IdentityProvider;
  vision?: StepDeps['vision'];
  /** A chat model (tests: a scripted one), or null for none. (chat-model wiring) */
  chatModel?: BaseChatModel | null;
  chatStore?: ChatStore;
  bus?: EventBus;
}

/** Direct uploads need a store that accepts a signed form POST: S3. */
export function createUploadPresigner(store: ObjectStore): UploadPresigner | null {
  return store instanceof S3ObjectStore ? new S3PresignedPost(store.client, store.bucket) : null;
}

/** `load` runs at most once (a rejected load runs again on the next call). */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () =>
    (pending ??= load().catch((err: unknown) => {
      pending = null;
      throw err;
    }));
}

export async function createServices(
  config: Config,
  overrides: ServiceOverrides = {},
  opts: { runPipeline?: boolean } = {},
): Promise<Services> {
  const db = overrides.db ?? (await openDatabase(config.database));
  const store = overrides.store ?? createObjectStore(config.objectStore);
  const embedder = overrides.embedder ?? createEmbedder(config.embedding);
  const identity = overrides.identity ?? createIdentity(config.auth);
  // chat-model wiring: a provider without its key stops start-up (like vision); the model itself
  // is built on first use.
  if (overrides.chatModel === undefined) checkChatConfig(config.chat);
  const chatModel = once(() => (overrides.chatModel !== undefined ? Promise.resolve(overrides.chatModel) : createChatModel(config.chat)));
  // One provider (and OCR worker) per provider/model pair, reused across items.
  const vision = new VisionProviders(config.vision, config.tracing);
  if (!overrides.vision) vision.get(); // a provider without its key stops start-up, not every item
  if (!overrides.chatStore) checkChatStoreConfig(config.chatSessions, { db });
  let chatStoreLoaded: ChatStore | null = null;
  const chatStore = once(
    async () => (chatStoreLoaded = overrides.chatStore ?? (await createChatStore(config.chatSessions, { db, blobs: store }))),
  );
  const searcher = createSearcher({ config, db, embedder });
  const search = once(async () => {
    const [{ withChatModel }, model] = await Promise.all([import('../services/search/agent/index.js'), chatModel()]);
    return withChatModel(searcher, model);
  });
  const chat = once(async () => {
    const { ChatService } = await import('../services/chat/chat-service.js');
    return new ChatService({
      db,
      searcher,
      store: await chatStore(),
      chatModel: await chatModel(),
      config: { ...config.chatSessions, providerTimeoutMs: config.chat.timeoutMs },
    });
  });
  const bus = overrides.bus ?? createEventBus(config);
  const steps: StepDeps = {
    db,
    store,
    bus,
    embedder,
    vision: overrides.vision ?? ((override) => vision.get(override)),
    maxImagePixels: config.limits.maxImagePixels,
  };
  // With EventBridge the steps run in Lambdas (rules deliver the events); subscribing here would
  // be meaningless, and re-publishing every unfinished item at each start would duplicate work.
  if (opts.runPipeline !== false && config.eventBus.kind === 'local') {
    startPipeline(steps, { maxAttempts: config.pipeline.maxAttempts, baseDelayMs: config.pipeline.retryBaseMs });
    await resumeUnfinished(steps);
    // vector-index wiring: the HNSW index of the configured model is built in the background
    // once a collection passes the threshold (src/repositories/search/vector-index.ts); never awaited here.
    void vectorIndexFor(db, embedder).start();
  }
  const uploads = createUploadPresigner(store);
  return {
    config,
    db,
    store,
    bus,
    embedder,
    identity,
    steps,
    chatModel, // chat-model wiring
    chatStore,
    chat,
    uploads,
    items: new ItemService(steps, config.limits, uploads),
    searcher,
    search,
    async close() {
      await chatStoreLoaded?.close();
      if (!overrides.bus) await bus.close();
      await vision.closeAll();
      await vectorIndexFor(db, embedder).idle(); // vector-index wiring: no build left running
      if (!overrides.db) await db.close();
    },
  };
}
