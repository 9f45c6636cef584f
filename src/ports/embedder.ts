/** Documents and queries are embedded differently by some providers (Voyage's input_type). */
export type EmbeddingInputType = 'document' | 'query';

export interface Embedder {
  readonly provider: string;
  readonly model: string;
  readonly dimensions: number;
  /** Stored with each search row; a row whose id differs from the configured one needs re-embedding. */
  readonly id: string;
  embed(texts: string[], inputType: EmbeddingInputType): Promise<number[][]>;
}
