import { createHash } from 'node:crypto';
import type { Database } from '../../ports/database.js';
import type { Embedder } from '../../ports/embedder.js';
import { setLocal } from '../local-settings.js';
import { searchSql, type Bm25Params, type FusionParams, type StatementShape } from './search-sql.js';
import { annSettings, annVectorCte, indexableDimensions, vectorIndexFor, type VectorIndex } from './vector-index.js';

/** One result row of the search statement (sql.ts). */
export interface SearchRow {
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

/** One shape of the search statement: its SQL and the name it is prepared under. */
interface Statement {
  sql: string;
  name: string;
}
const statementOf = (sql: string): Statement => ({
  sql,
  name: `collections_search_${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`,
});

/**
 * The search statement's forms for one configuration and embedder, and how each runs: exact
 * or HNSW vector scan, with or without a category filter (DESIGN.md §4).
 */
export class SearchStatements {
  // Statements by [exact | HNSW vector CTE] × [category filter as $5 | every category]. The
  // HNSW forms are null when the model's dimension has no HNSW index (vector-index wiring).
  private readonly statements: Record<'exact' | 'ann', Record<'filtered' | 'all', Statement> | null>;
  private readonly vectorIndex: VectorIndex;

  constructor(
    private readonly db: Database,
    embedder: Embedder,
    config: { bm25: Bm25Params; fusion: FusionParams; candidates: number },
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

  /**
   * A runner for one request: the statement's form is chosen once (it may ask whether the
   * caller's collection has an HNSW index), then run with each parameter list given.
   */
  async prepare(
    userId: string,
    request: { withVector: boolean; categoryFilter?: string | null; filtered?: boolean },
  ): Promise<(params: unknown[]) => Promise<SearchRow[]>> {
    const filtered = Boolean(request.categoryFilter || request.filtered);
    // vector-index wiring: exact scan for small collections, HNSW (with its SET LOCAL settings,
    // in one transaction) for a caller past the threshold once the index exists.
    const mode = request.withVector && this.statements.ann ? await this.vectorIndex.mode(userId, { filtered }) : 'exact';
    const statement = this.statements[mode === 'ann' ? 'ann' : 'exact']![filtered ? 'filtered' : 'all'];
    const settings = mode === 'ann' ? annSettings(this.vectorIndex.options) : undefined;
    return async (params) => {
      // Without a category filter (nearly every search) the statement's plan is cached where the
      // database offers it: planning it costs ~3 ms on PGlite, a fifth of a search at 10k items.
      if (this.db.queryCachedPlan && !filtered) {
        return (await this.db.queryCachedPlan<SearchRow>(statement.name, statement.sql, params, settings)).rows;
      }
      // HNSW needs its SET LOCAL settings in the same transaction as the statement.
      if (settings) {
        return this.db.transaction(async (tx) => {
          await setLocal(tx, settings);
          return (await tx.query<SearchRow>(statement.sql, params)).rows;
        });
      }
      return (await this.db.query<SearchRow>(statement.sql, params)).rows;
    };
  }
}
