import { createHash } from 'node:crypto';
import { setLocal, type Database } from '../ports/database.js';
import type { Embedder } from '../ports/embedder.js';
import { toVectorLiteral } from '../repositories/search-rows.js';
import type { SearchConfig } from './config.js';
import {
  matchVerdict,
  SearchRequestSchema,
  type SearchRequestInput,
  type SearchResponse,
  type SearchResult,
  type Searcher,
} from './schemas.js';
import { statementParams, type StatementSearchType } from './params.js';
import { searchSql, type StatementShape } from './sql.js';
import { annSettings, annVectorCte, indexableDimensions, vectorIndexFor, type VectorIndex } from './vector-index.js';

interface Row {
  item_id: string;
  rrf: number;
  bm25_score: number | null;
  bm25_coverage: number | null;
  bm25_rank: number | null;
  vector_score: number | null;
  vector_rank: number | null;
  /** A confident match (sql.ts says when); otherwise one of the closest items. */
  strong: boolean;
  category: string | null;
  headline: string | null;
  summary: string | null;
  has_thumbnail: boolean;
  original_filename: string;
  status: string;
  created_at: Date;
  likely_source: string | null;
}

const round = (x: number | null, d = 6) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);
const unit = (x: number) => Math.min(1, Math.max(0, x));

/**
 * The score a person sees, 0–1 whatever the search type: bm25 the share of the query's IDF mass
 * the item matches (its coverage), vector the cosine similarity, hybrid the mean of the two.
 * Raw BM25 and RRF numbers stay in `metadata`: they only order one result list and mean
 * nothing across queries.
 */
function relevance(type: StatementSearchType, r: Row): number {
  const coverage = unit(r.bm25_coverage ?? 0);
  const cosine = unit(r.vector_score ?? 0);
  const score = type === 'bm25' ? coverage : type === 'vector' ? cosine : (coverage + cosine) / 2;
  return round(score, 4) ?? 0;
}

/** One shape of the search statement: its SQL and the name it is prepared under. */
interface Statement {
  sql: string;
  name: string;
}
const statementOf = (sql: string): Statement => ({ sql, name: `collections_search_${createHash('sha256').update(sql).digest('hex').slice(0, 16)}` });

/**
 * bm25, vector and hybrid search over one user's search rows (DESIGN.md §4). Agentic search
 * and answers are layered on top of this by the agent module.
 */
export class SearchService implements Searcher {
  // Statements by [exact | HNSW vector CTE] × [category filter as $5 | every category]. The
  // HNSW forms are null when the model's dimension has no HNSW index (vector-index wiring).
  private readonly statements: Record<'exact' | 'ann', Record<'filtered' | 'all', Statement> | null>;
  private readonly vectorIndex: VectorIndex;

  constructor(
    private readonly db: Database,
    private readonly embedder: Embedder,
    readonly config: SearchConfig,
  ) {
    const shapes = (vectorCte?: (shape: StatementShape) => string) => ({
      filtered: statementOf(searchSql(config.bm25, config.fusion, { candidates: config.candidates, vectorCte })),
      all: statementOf(searchSql(config.bm25, config.fusion, { candidates: config.candidates, allCategories: true, vectorCte })),
    });
    this.statements = {
      exact: shapes(),
      ann: indexableDimensions(embedder.dimensions) ? shapes((shape) => annVectorCte(embedder, shape)) : null,
    };
    this.vectorIndex = vectorIndexFor(db, embedder);
  }

  async search(userId: string, input: SearchRequestInput): Promise<SearchResponse> {
    const request = SearchRequestSchema.parse(input);
    const started = performance.now();
    // Agentic search without an agent falls back to hybrid (the agent layer says so).
    const type = request.search_type === 'agentic' ? 'hybrid' : request.search_type;
    const useText = type !== 'vector';
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
        topK: request.top_k,
        minSimilarity: request.min_similarity_score,
        strongOnly: request.min_match === 'strong',
        closestOnly,
      });
    // vector-index wiring: exact scan for small collections, HNSW (with its SET LOCAL settings,
    // in one transaction) for a caller past the threshold once the index exists.
    const mode =
      embedding && this.statements.ann
        ? await this.vectorIndex.mode(userId, { categoryFilter: request.category_filter })
        : 'exact';
    const statement = this.statements[mode === 'ann' ? 'ann' : 'exact']![request.category_filter ? 'filtered' : 'all'];
    const settings = mode === 'ann' ? annSettings(this.vectorIndex.options) : undefined;
    const run = async (params: unknown[]): Promise<Row[]> => {
      // Without a category filter (nearly every search) the statement's plan is cached where the
      // database offers it: planning it costs ~3 ms on PGlite, a fifth of a search at 10k items.
      if (this.db.queryCachedPlan && !request.category_filter) {
        return (await this.db.queryCachedPlan<Row>(statement.name, statement.sql, params, settings)).rows;
      }
      // HNSW needs its SET LOCAL settings in the same transaction as the statement.
      if (settings) {
        return this.db.transaction(async (tx) => {
          await setLocal(tx, settings);
          return (await tx.query<Row>(statement.sql, params)).rows;
        });
      }
      return (await this.db.query<Row>(statement.sql, params)).rows;
    };
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
