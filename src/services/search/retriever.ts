import type { CallbackManagerForRetrieverRun } from '@langchain/core/callbacks/manager';
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { SearchRequestInput, SearchResponse, SearchResult, SearchType, Searcher } from '../../contracts/search.js';

/**
 * A LangChain retriever over one user's collection: `invoke(query)` runs the Searcher for the
 * user it was built for and returns one Document per result, best first. Any chain can use it;
 * the agent's `search_collection` tool is built on it, so the user id lives here, never in
 * anything a model writes.
 */

/** Agentic search is built on retrievers, so a retriever never starts an agent itself. */
export type RetrieverSearchType = Exclude<SearchType, 'agentic'>;

export interface CollectionsRetrieverInput extends BaseRetrieverInput {
  searcher: Searcher;
  userId: string;
  /** Default `hybrid`. */
  searchType?: RetrieverSearchType;
  /** Results per query, 1–50 (default 10). */
  topK?: number;
  categoryFilter?: string;
  minSimilarityScore?: number;
  /** `strong`: confident matches only; `weak` (default) also the closest items. */
  minMatch?: SearchRequestInput['min_match'];
}

export interface CollectionsDocumentMetadata extends Record<string, unknown> {
  item_id: string;
  rank: number;
  score: number;
  score_type: SearchResult['score_type'];
  match: SearchResult['match'];
  category: string | null;
  headline: string | null;
  image_url: string;
  thumbnail_url: string | null;
  created_at: unknown;
  likely_source: unknown;
  original_filename: unknown;
}

/** Per-call overrides of the retriever's settings (the agent tool's `category`, `top_k`). */
export interface RetrieveOptions {
  topK?: number;
  categoryFilter?: string;
  searchType?: RetrieverSearchType;
  minMatch?: SearchRequestInput['min_match'];
}

/** pageContent is what a model reads: headline and summary; the rest is metadata. */
export function resultToDocument(r: SearchResult): Document<CollectionsDocumentMetadata> {
  const pageContent = [r.headline, r.summary].filter((s): s is string => !!s && s.trim() !== '').join('\n\n');
  return new Document<CollectionsDocumentMetadata>({
    id: r.item_id,
    pageContent,
    metadata: {
      item_id: r.item_id,
      rank: r.rank,
      score: r.score,
      score_type: r.score_type,
      match: r.match,
      category: r.category,
      headline: r.headline,
      image_url: r.image_url,
      thumbnail_url: r.thumbnail_url,
      created_at: r.metadata.created_at ?? null,
      likely_source: r.metadata.likely_source ?? null,
      original_filename: r.metadata.original_filename ?? null,
    },
  });
}

const clampTopK = (k: number | undefined, fallback: number) =>
  k === undefined || !Number.isFinite(k) ? fallback : Math.min(50, Math.max(1, Math.round(k)));

export class CollectionsRetriever extends BaseRetriever<CollectionsDocumentMetadata> {
  static override lc_name() {
    return 'CollectionsRetriever';
  }

  lc_namespace = ['collections', 'search', 'retrievers'];

  readonly searcher: Searcher;
  readonly userId: string;
  readonly searchType: RetrieverSearchType;
  readonly topK: number;
  readonly categoryFilter?: string;
  readonly minSimilarityScore?: number;
  readonly minMatch?: SearchRequestInput['min_match'];

  constructor(fields: CollectionsRetrieverInput) {
    super(fields);
    if (!fields.userId) throw new Error('CollectionsRetriever needs a userId');
    this.searcher = fields.searcher;
    this.userId = fields.userId;
    this.searchType = fields.searchType ?? 'hybrid';
    if ((this.searchType as SearchType) === 'agentic') throw new Error('CollectionsRetriever cannot run agentic search');
    this.topK = clampTopK(fields.topK, 10);
    this.categoryFilter = fields.categoryFilter;
    this.minSimilarityScore = fields.minSimilarityScore;
    this.minMatch = fields.minMatch;
  }

  /** The whole search response (results with ranks, timing) for one query. */
  search(query: string, options: RetrieveOptions = {}): Promise<SearchResponse> {
    const category = options.categoryFilter ?? this.categoryFilter;
    return this.searcher.search(this.userId, {
      query,
      search_type: options.searchType ?? this.searchType,
      top_k: clampTopK(options.topK, this.topK),
      ...(category ? { category_filter: category } : {}),
      ...(this.minSimilarityScore !== undefined ? { min_similarity_score: this.minSimilarityScore } : {}),
      ...((options.minMatch ?? this.minMatch) ? { min_match: options.minMatch ?? this.minMatch } : {}),
      include_answer: false,
    });
  }

  override async _getRelevantDocuments(
    query: string,
    _runManager?: CallbackManagerForRetrieverRun,
  ): Promise<Document<CollectionsDocumentMetadata>[]> {
    const response = await this.search(query);
    return response.results.map(resultToDocument);
  }
}
