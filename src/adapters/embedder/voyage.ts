/** Voyage AI's embeddings REST API (https://docs.voyageai.com/reference/embeddings-api). */
import { RestEmbedder, type RestEmbedderOptions } from './rest-embedder.js';
import { VOYAGE_DEFAULT_MODEL, VOYAGE_MODEL_DIMENSIONS } from './models.js';

export const VOYAGE_DEFAULT_BASE_URL = 'https://api.voyageai.com/v1';
/** Voyage accepts up to 1,000 texts per call, but also caps tokens per call; 128 stays clear. */
export const VOYAGE_MAX_BATCH = 128;

export type VoyageEmbedderOptions = RestEmbedderOptions;

export class VoyageEmbedder extends RestEmbedder {
  constructor(options: VoyageEmbedderOptions) {
    super(
      {
        provider: 'voyage',
        keyVariable: 'VOYAGE_API_KEY',
        defaultModel: VOYAGE_DEFAULT_MODEL,
        defaultBaseUrl: VOYAGE_DEFAULT_BASE_URL,
        maxBatch: VOYAGE_MAX_BATCH,
        dimensionTable: VOYAGE_MODEL_DIMENSIONS,
        // input_type makes Voyage prepend its retrieval prompt for queries vs documents.
        requestBody: (batch, model, inputType) => ({ input: batch, model, input_type: inputType }),
      },
      options,
    );
  }
}
