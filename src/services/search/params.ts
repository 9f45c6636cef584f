import type { SearchConfig } from './config.js';
import { conceptExpansions } from './expansion.js';

/** The search types that run as one statement (agentic search is layered on hybrid). */
export type StatementSearchType = 'bm25' | 'vector' | 'hybrid';

/** A bar nothing reaches: the signal of another search type never makes a result strong. */
const NEVER = 1e9;

export interface StatementInput {
  userId: string;
  type: StatementSearchType;
  query: string;
  /** The query embedding as a pgvector literal (vector and hybrid). */
  embedding: string | null;
  embeddingModel: string;
  categoryFilter?: string | null;
  /** First and last creation day (YYYY-MM-DD, inclusive). */
  dateFrom?: string | null;
  dateTo?: string | null;
  topK: number;
  /** A caller's min_similarity_score: replaces both cosine bars. */
  minSimilarity?: number;
  /** Only strong results (`min_match: strong`). */
  strongOnly: boolean;
  /**
   * List whatever shares a word or any meaning (no per-document bars): hybrid's second pass
   * when its first found nothing, so a query that touches the collection never comes back empty.
   */
  closestOnly?: boolean;
}

/** Just above zero: any share of the query's words lists an item. */
const ANY_COVERAGE = 1e-9;

/**
 * The 15 positional parameters of `searchSql` (src/repositories/search/search-sql.ts), in one place for
 * SearchService and bench:search. What makes a result strong depends on the search type: bm25
 * its coverage of the query, vector its cosine, hybrid the two together.
 */
export function statementParams(config: SearchConfig, input: StatementInput): unknown[] {
  const useText = input.type !== 'vector';
  const strongCosine = input.minSimilarity ?? config.minVectorScore;
  // Vector search lists the nearest items whatever their similarity (weak below the strong
  // bar): a query always has closest items by meaning. Hybrid keeps the per-document bar, so
  // barely-similar items do not crowd the fused ranking.
  const listedCosine = input.minSimilarity ?? (input.type === 'vector' || input.closestOnly ? 0 : config.docMinVectorScore);
  // Keyword search lists every item holding a query word (weak below the strong bar); hybrid
  // keeps the per-document bar in its first pass (weakly related words would crowd the fusion).
  const listedCoverage = input.type === 'bm25' || input.closestOnly ? ANY_COVERAGE : config.docMinBm25Coverage;
  const strong =
    input.type === 'bm25'
      ? { coverage: config.minBm25Coverage, cosine: NEVER, combined: NEVER }
      : input.type === 'vector'
        ? { coverage: NEVER, cosine: strongCosine, combined: NEVER }
        : { coverage: config.minBm25Coverage, cosine: NEVER, combined: config.minHybridEvidence };
  return [
    input.userId,
    useText ? input.query : '',
    input.type === 'bm25' ? null : input.embedding,
    input.embeddingModel,
    input.categoryFilter || null,
    strong.coverage,
    strong.cosine,
    input.topK,
    listedCoverage,
    listedCosine,
    strong.combined,
    JSON.stringify(useText ? conceptExpansions(input.query) : []),
    input.strongOnly,
    input.dateFrom ?? null,
    input.dateTo ?? null,
  ];
}
