/**
 * OpenAI's embeddings REST API, and any server that speaks it (OPENAI_BASE_URL: Ollama,
 * LM Studio, vLLM, Azure-style proxies).
 */
import type { Embedder, EmbeddingInputType } from '../../ports/embedder.js';
import { chunk, postJson, vectorsInInputOrder } from './http.js';
import { OPENAI_DEFAULT_MODEL, OPENAI_MODEL_DIMENSIONS, knownDimensions } from './models.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** OpenAI accepts 2,048 inputs per call but also caps total tokens (300k); 256 stays clear. */
export const OPENAI_MAX_BATCH = 256;

export interface OpenAIEmbedderOptions {
  apiKey: string;
  model?: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** Needed only for a model missing from OPENAI_MODEL_DIMENSIONS. */
  dimensions?: number;
  batchSize?: number;
}

export class OpenAIEmbedder implements Embedder {
  readonly provider = 'openai';
  readonly model: string;
  readonly dimensions: number;
  readonly id: string;
  private readonly apiKey: string;
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly batchSize: number;

  constructor(options: OpenAIEmbedderOptions) {
    if (!options.apiKey) throw new Error('OpenAI embedder needs an API key (OPENAI_API_KEY).');
    this.apiKey = options.apiKey;
    this.model = options.model ?? OPENAI_DEFAULT_MODEL;
    this.dimensions =
      options.dimensions ?? knownDimensions('openai', OPENAI_MODEL_DIMENSIONS, this.model);
    this.id = `${this.provider}/${this.model}`;
    this.url = `${(options.baseUrl ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '')}/embeddings`;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.batchSize = Math.min(options.batchSize ?? OPENAI_MAX_BATCH, OPENAI_MAX_BATCH);
  }

  /** OpenAI embeds queries and documents the same way, so the input type is not sent. */
  async embed(texts: string[], _inputType: EmbeddingInputType): Promise<number[][]> {
    const vectors: number[][] = [];
    for (const batch of chunk(texts, this.batchSize)) {
      const payload = await postJson({
        provider: this.provider,
        url: this.url,
        apiKey: this.apiKey,
        timeoutMs: this.timeoutMs,
        // Ask for floats explicitly: some clients and servers default to base64.
        body: { input: batch, model: this.model, encoding_format: 'float' },
      });
      vectors.push(...vectorsInInputOrder(this.provider, payload, batch.length, this.dimensions));
    }
    return vectors;
  }
}
