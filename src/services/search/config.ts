import type { Config } from '../../shared/config.js';
import type { Embedder } from '../../ports/embedder.js';
import type { Bm25Params, FusionParams } from '../../repositories/search/search-sql.js';

export interface SearchConfig {
  bm25: Bm25Params;
  fusion: FusionParams;
  /** Candidates taken from each side before fusion. */
  candidates: number;
  /** A result is a strong match (bm25, hybrid) when it covers this share of the query's IDF mass… */
  minBm25Coverage: number;
  /** …(vector) when it is at least this similar… */
  minVectorScore: number;
  /** …(hybrid) when its coverage + cosine reaches this (params.ts applies them per search type). */
  minHybridEvidence: number;
  /** Hybrid's bars for listing a result in its first pass (bm25 lists any word match, vector the nearest items). */
  docMinBm25Coverage: number;
  docMinVectorScore: number;
}

/**
 * Cosine scales differ between models: unrelated texts score ~0.0–0.15 with the local
 * embedder but ~0.2–0.4 with hosted ones. The cutoff defaults per provider; SEARCH_MIN_VECTOR_SCORE
 * overrides it.
 */
const DEFAULT_MIN_COSINE: Record<string, { gate: number; doc: number; hybrid: number }> = {
  // Measured on the golden set (bench/embedder-quality.ts, scratch gate analysis): edge-case
  // queries top out at 0.20–0.32 cosine except food-ish ones; expected items' best scores start
  // at 0.37. Hybrid: coverage + cosine. The bar sits where the two verdict errors are both
  // furthest under their targets (≤ 10 % of answerable queries weak, ≤ 25 % of off-topic ones
  // strong), over every seen query set (910 queries, both collections; 2026-12-07):
  // 0.85 → weak 10.5 % / 9.9 %, off-topic strong 13.6 % / 12.9 % (export / golden);
  // 0.80 → 9.0 % / 8.3 %, 15.3 % / 19.4 %; 0.75 → 8.6 % / 7.1 %, 17.8 % / 22.6 %.
  'local/local-semantic-v1': { gate: 0.35, doc: 0.2, hybrid: 0.8 },
  'local/local-hash-v1': { gate: 0.3, doc: 0.15, hybrid: 0.75 },
  voyage: { gate: 0.45, doc: 0.3, hybrid: 1.0 },
  openai: { gate: 0.35, doc: 0.25, hybrid: 0.9 },
};

export function searchConfig(config: Config, embedder: Embedder): SearchConfig {
  const defaults = DEFAULT_MIN_COSINE[embedder.id] ?? DEFAULT_MIN_COSINE[embedder.provider] ?? { gate: 0.3, doc: 0.15, hybrid: 0.9 };
  return {
    ...config.search,
    minVectorScore: config.search.minVectorScore ?? defaults.gate,
    docMinVectorScore: config.search.docMinVectorScore ?? defaults.doc,
    minHybridEvidence: config.search.minHybridEvidence ?? defaults.hybrid,
  };
}
