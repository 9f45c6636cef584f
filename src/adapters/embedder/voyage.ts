/** Voyage AI's embeddings REST API (https://docs.voyageai.com/reference/embeddings-api). */
import type { Embedder, EmbeddingInputType } from '../../ports/embedder.js';
import { chunk, postJson, vectorsInInputOrder } from './http.js';
import { VOYAGE_DEFAULT_MODEL, VOYAGE_MODEL_DIMENSIONS, knownDimensions } from './models.js';

export const VOYAGE_DEFAULT_BASE_URL = 'https://api.voyageai.com/v1';
/** Voyage accepts up to 1,000 texts per call, but also caps tokens per call; 128 stays clear. */
export const VOYAGE_MAX_BATCH = 128;

export interface VoyageEmbedderOptions {
  apiKey: string;
  model?: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** Needed only for a model missing from VOYAGE_MODEL_DIMENSIONS. */
  dimensions?: number;
  batchSize?: number;
}

export class VoyageEmbedder implements Embedder {
  readonly provider = 'voyage';
  readonly model: string;
  readonly dimensions: number;
  readonly id: string;
  private readonly apiKey: string;
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly batchSize: number;

  constructor(options: VoyageEmbedderOptions) {
    if (!options.apiKey) throw new Error('Voyage embedder needs an API key (VOYAGE_API_KEY).');
    this.apiKey = options.apiKey;
    this.model = options.model ?? VOYAGE_DEFAULT_MODEL;
    this.dimensions =
      options.dimensions ?? knownDimensions('voyage', VOYAGE_MODEL_DIMENSIONS, this.model);
    this.id = `${this.provider}/${this.model}`;
    this.url = `${(options.baseUrl ?? VOYAGE_DEFAULT_BASE_URL).replace(/\/+$/, '')}/embeddings`;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.batchSize = Math.min(options.batchSize ?? VOYAGE_MAX_BATCH, VOYAGE_MAX_BATCH);
  }

  async embed(texts: string[], inputType: EmbeddingInputType): Promise<number[][]> {
    const vectors: number[][] = [];
    // One batch at a time: Voyage rate-limits per minute, and the pipeline already runs items
    // concurrently.
    for (const batch of chunk(texts, this.batchSize)) {
      const payload = await postJson({
        provider: this.provider,
        url: this.url,
        apiKey: this.apiKey,
        timeoutMs: this.timeoutMs,
        // input_type makes Voyage prepend its retrieval prompt for queries vs documents.
        body: { input: batch, model: this.model, input_type: inputType },
      });
      vectors.push(...vectorsInInputOrder(this.provider, payload, batch.length, this.dimensions));
    }
    return vectors;
  }
}
