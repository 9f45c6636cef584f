/**
 * OpenAI's embeddings REST API, and any server that speaks it (OPENAI_BASE_URL: Ollama,
 * LM Studio, vLLM, Azure-style proxies).
 */
import { RestEmbedder, type RestEmbedderOptions } from './rest-embedder.js';
import { OPENAI_DEFAULT_MODEL, OPENAI_MODEL_DIMENSIONS } from './models.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** OpenAI accepts 2,048 inputs per call but also caps total tokens (300k); 256 stays clear. */
export const OPENAI_MAX_BATCH = 256;

export type OpenAIEmbedderOptions = RestEmbedderOptions;

export class OpenAIEmbedder extends RestEmbedder {
  constructor(options: OpenAIEmbedderOptions) {
    super(
      {
        provider: 'openai',
        keyVariable: 'OPENAI_API_KEY',
        defaultModel: OPENAI_DEFAULT_MODEL,
        defaultBaseUrl: OPENAI_DEFAULT_BASE_URL,
        maxBatch: OPENAI_MAX_BATCH,
        dimensionTable: OPENAI_MODEL_DIMENSIONS,
        // OpenAI embeds queries and documents alike. Floats explicitly: some servers default to base64.
        requestBody: (batch, model) => ({ input: batch, model, encoding_format: 'float' }),
      },
      options,
    );
  }
}
