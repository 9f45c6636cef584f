/** Documents and queries are embedded differently by some providers (Voyage's input_type). */
export type EmbeddingInputType = 'document' | 'query';

export interface Embedder {
  readonly provider: string;
  readonly model: string;
  readonly dimensions: number;
  /** Stored with each search row; a row whose id differs from the configured one needs re-embedding. */
  readonly id: string;
  /**
   * What this id's vectors are made from, where that can change under the same id: the offline
   * embedders' concept lexicon and settings (a hash). Stored with each row; rows of this id made
   * by another revision are re-embedded in the background when the local server starts. Hosted
   * models leave it out: their vectors change only with their name.
   */
  readonly revision?: string;
  embed(texts: string[], inputType: EmbeddingInputType): Promise<number[][]>;
}
