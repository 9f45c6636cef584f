import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Config } from '../shared/config.js';
import type { ChatStore } from '../ports/chat-store.js';
import type { Database } from '../ports/database.js';
import type { Embedder } from '../ports/embedder.js';
import type { EventBus } from '../ports/event-bus.js';
import type { IdentityProvider } from '../ports/identity.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { UploadPresigner } from '../ports/upload-presigner.js';
import type { ChatService } from './chat/chat-service.js';
import type { ItemService } from './items/item-service.js';
import type { ChatSearcher } from './search/agent/chat-searcher.js';
import type { SearchService } from './search/search-service.js';
import type { StepDeps } from './pipeline/steps.js';

/** Everything the API and CLI need, built once from configuration (built by the composition root, src/app/services.ts). */
export interface Services {
  config: Config;
  db: Database;
  store: ObjectStore;
  bus: EventBus;
  embedder: Embedder;
  identity: IdentityProvider;
  steps: StepDeps;
  /**
   * Chat model for search answers, agentic search and chat; null when none is configured.
   * Loaded on first use, like `chat`: LangChain and the provider SDK are imported only by a
   * process that needs them (the API Lambda's cold start, see bench:lambda). (chat-model wiring)
   */
  chatModel(): Promise<BaseChatModel | null>;
  /** Chat sessions and checkpoints: the embedded database, or DynamoDB on AWS (built on first use). */
  chatStore(): Promise<ChatStore>;
  /** The chat assistant (LangGraph agent over the chat store), built on first use. */
  chat(): Promise<ChatService>;
  /** Signs direct-to-S3 uploads (POST /items/uploads); null with the filesystem store. */
  uploads: UploadPresigner | null;
  /** The item use cases (upload, list, read, delete, analyse, retry). */
  items: ItemService;
  /** bm25, vector and hybrid search over the caller's collection (and its settings). */
  searcher: SearchService;
  /**
   * Search with answers and agentic search when a chat model is configured (the plain searcher
   * otherwise, saying so). Built on first use: the agent module (LangChain) loads then.
   */
  search(): Promise<ChatSearcher>;
  close(): Promise<void>;
}
