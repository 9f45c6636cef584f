/** Picks the embedder named by configuration (EMBEDDING_PROVIDER / EMBEDDING_MODEL). */
import type { EmbeddingConfig } from '../../shared/config.js';
import type { Embedder } from '../../ports/embedder.js';
import { createLocalEmbedder } from './local.js';
import { OpenAIEmbedder } from './openai.js';
import { VoyageEmbedder } from './voyage.js';

export function createEmbedder(config: EmbeddingConfig): Embedder {
  switch (config.provider) {
    case 'local':
      // local-semantic-v1 unless EMBEDDING_MODEL names another; an unknown name throws.
      return createLocalEmbedder(config.model);
    case 'voyage':
      if (!config.voyageApiKey) {
        throw new Error('EMBEDDING_PROVIDER=voyage needs VOYAGE_API_KEY to be set.');
      }
      return new VoyageEmbedder({
        apiKey: config.voyageApiKey,
        model: config.model,
        baseUrl: config.voyageBaseUrl,
        timeoutMs: config.timeoutMs,
      });
    case 'openai':
      if (!config.openaiApiKey) {
        throw new Error('EMBEDDING_PROVIDER=openai needs OPENAI_API_KEY to be set.');
      }
      return new OpenAIEmbedder({
        apiKey: config.openaiApiKey,
        model: config.model,
        baseUrl: config.openaiBaseUrl,
        timeoutMs: config.timeoutMs,
      });
    default: {
      const unknown: never = config.provider;
      throw new Error(`Unknown EMBEDDING_PROVIDER "${String(unknown)}".`);
    }
  }
}

export { createLocalEmbedder, LocalEmbedder, type LocalEmbedderOptions } from './local.js';
export { LocalSemanticEmbedder, type LocalSemanticEmbedderOptions } from './local-semantic.js';
export { VoyageEmbedder, type VoyageEmbedderOptions } from './voyage.js';
export { OpenAIEmbedder, type OpenAIEmbedderOptions } from './openai.js';
export { EmbeddingProviderError } from './http.js';
export { cosineSimilarity } from './vector-math.js';
