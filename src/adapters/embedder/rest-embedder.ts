import type { Embedder, EmbeddingInputType } from '../../ports/embedder.js';
import { chunk, postJson, vectorsInInputOrder } from './http.js';
import { knownDimensions } from './models.js';

export interface RestEmbedderOptions {
  apiKey: string;
  model?: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** Needed only for a model missing from the provider's dimension table. */
  dimensions?: number;
  batchSize?: number;
}

/** What differs between REST embedding providers; the batching and checking are shared. */
export interface RestProviderSpec {
  provider: 'openai' | 'voyage';
  keyVariable: string;
  defaultModel: string;
  defaultBaseUrl: string;
  maxBatch: number;
  dimensionTable: Readonly<Record<string, number>>;
  requestBody(batch: string[], model: string, inputType: EmbeddingInputType): Record<string, unknown>;
}

/**
 * An embedder over a `POST {baseUrl}/embeddings` API answering `{data: [{embedding, index}]}`.
 * Batches are sent one at a time: providers rate-limit per minute, and the pipeline already
 * runs items concurrently.
 */
export class RestEmbedder implements Embedder {
  readonly provider: string;
  readonly model: string;
  readonly dimensions: number;
  readonly id: string;
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly spec: RestProviderSpec,
    private readonly options: RestEmbedderOptions,
  ) {
    if (!options.apiKey) throw new Error(`${spec.provider} embedder needs an API key (${spec.keyVariable}).`);
    this.provider = spec.provider;
    this.model = options.model ?? spec.defaultModel;
    this.dimensions = options.dimensions ?? knownDimensions(spec.provider, spec.dimensionTable, this.model);
    this.id = `${this.provider}/${this.model}`;
    this.url = `${(options.baseUrl ?? spec.defaultBaseUrl).replace(/\/+$/, '')}/embeddings`;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.batchSize = Math.min(options.batchSize ?? spec.maxBatch, spec.maxBatch);
  }

  async embed(texts: string[], inputType: EmbeddingInputType): Promise<number[][]> {
    const vectors: number[][] = [];
    for (const batch of chunk(texts, this.batchSize)) {
      const payload = await postJson({
        provider: this.provider,
        url: this.url,
        apiKey: this.options.apiKey,
        timeoutMs: this.timeoutMs,
        body: this.spec.requestBody(batch, this.model, inputType),
      });
      vectors.push(...vectorsInInputOrder(this.provider, payload, batch.length, this.dimensions));
    }
    return vectors;
  }
}
