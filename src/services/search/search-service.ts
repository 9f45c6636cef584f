import type { Database } from '../../ports/database.js';
import type { Embedder } from '../../ports/embedder.js';
import { toVectorLiteral } from '../../repositories/search-rows.js';
import type { SearchConfig } from './config.js';
import {
  matchVerdict,
  SearchRequestSchema,
  type SearchRequestInput,
  type SearchResponse,
  type SearchResult,
  type Searcher,
} from '../../contracts/search.js';
import { statementParams, type StatementSearchType } from './params.js';
import { SearchStatements, type SearchRow } from '../../repositories/search/search-statements.js';

const round = (x: number | null, d = 6) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);
const unit = (x: number) => Math.min(1, Math.max(0, x));

/**
 * The score a person sees, 0–1 whatever the search type: bm25 the share of the query's IDF mass
 * the item matches (its coverage), vector the cosine similarity, hybrid the mean of the two.
 * Raw BM25 and RRF numbers stay in `metadata`: they only order one result list and mean
 * nothing across queries.
 */
function relevance(type: StatementSearchType, r: SearchRow): number {
  const coverage = unit(r.bm25_coverage ?? 0);
  const cosine = unit(r.vector_score ?? 0);
  const score = type === 'bm25' ? coverage : type === 'vector' ? cosine : (coverage + cosine) / 2;
  return round(score, 4) ?? 0;
}

/**
 * bm25, vector and hybrid search over one user's search rows (DESIGN.md §4). Agentic search
 * and answers are layered on top of this by the agent module.
 */
export class SearchService implements Searcher {
  private readonly statements: SearchStatements;

  constructor(
    db: Database,
    private readonly embedder: Embedder,
    readonly config: SearchConfig,
  ) {
    this.statements = new SearchStatements(db, embedder, config);
  }

  async search(userId: string, input: SearchRequestInput): Promise<SearchResponse> {
    const request = SearchRequestSchema.parse(input);
    const started = performance.now();
    // Agentic search without an agent falls back to hybrid (the agent layer says so).
    const type = request.search_type === 'agentic' ? 'hybrid' : request.search_type;
    const useVector = type !== 'bm25';
    const embedding = useVector ? (await this.embedder.embed([request.query], 'query'))[0] : undefined;

    const paramsFor = (closestOnly: boolean) =>
      statementParams(this.config, {
        userId,
        type,
        query: request.query,
        embedding: embedding ? toVectorLiteral(embedding) : null,
        embeddingModel: this.embedder.id,
        categoryFilter: request.category_filter,
        dateFrom: request.date_from,
        dateTo: request.date_to,
        topK: request.top_k,
        minSimilarity: request.min_similarity_score,
        strongOnly: request.min_match === 'strong',
        closestOnly,
      });
    const filtered = Boolean(request.category_filter || request.date_from || request.date_to);
    const run = await this.statements.prepare(userId, {
      withVector: Boolean(embedding),
      categoryFilter: request.category_filter,
      filtered,
    });
    let rows = await run(paramsFor(false));
    // Hybrid found nothing past its per-document bars: the closest items by words or meaning
    // instead (all weak), so a query that touches the collection is never answered with nothing.
    if (rows.length === 0 && type === 'hybrid' && request.min_match !== 'strong') rows = await run(paramsFor(true));

    const results: SearchResult[] = rows.map((r, i) => ({
      item_id: r.item_id,
      rank: i + 1,
      score: relevance(type, r),
      score_type: 'relevance',
      match: r.strong ? 'strong' : 'weak',
      category: r.category,
      headline: r.headline,
      summary: r.summary,
      thumbnail_url: r.has_thumbnail ? `/items/${r.item_id}/thumbnail` : null,
      image_url: `/items/${r.item_id}/image`,
      metadata: {
        original_filename: r.original_filename,
        status: r.status,
        created_at: new Date(r.created_at).toISOString(),
        likely_source: r.likely_source,
        rrf: round(r.rrf),
        bm25_score: round(r.bm25_score),
        bm25_coverage: round(r.bm25_coverage, 4),
        bm25_rank: r.bm25_rank,
        vector_score: round(r.vector_score),
        vector_rank: r.vector_rank,
      },
    }));
    const notices: string[] = [];
    // Until a chat model is configured the agent and the answer cannot run: say so, plainly.
    if (request.search_type === 'agentic') notices.push('agentic_unavailable');
    if (request.include_answer) notices.push('answer_unavailable');
    return {
      query: request.query,
      search_type: request.search_type,
      match: matchVerdict(results),
      results,
      total_results: results.length,
      retrieval_time_ms: Math.round((performance.now() - started) * 100) / 100,
      ...(notices.length ? { notices } : {}),
    };
  }
}
