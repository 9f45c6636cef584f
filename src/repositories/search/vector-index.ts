/**
 * Approximate nearest-neighbour search where it pays off, exact search where it is faster.
 *
 * `search_rows.embedding` has no fixed dimension (it follows the provider), so an HNSW index is
 * a partial expression index per embedding model:
 *
 *   CREATE INDEX search_rows_hnsw_<hash> ON search_rows
 *     USING hnsw ((embedding::vector(<dims>)) vector_cosine_ops) WHERE embedding_model = '<id>'
 *
 * and only a query ordering by the same expression, with the model id as a literal (so the
 * planner can prove the index predicate even for a generic plan), can use it: `annVectorCte`.
 * The plain `vectorCte` of sql.ts orders by `embedding <=> $3::vector`, which no index
 * matches: that is the exact search.
 *
 * Which one a search takes is decided per caller (`VectorIndex.mode`): exact below
 * `annMinRows` rows of the model, HNSW at or above it once the index exists. Measured with
 * `npm run bench:search` (PGlite, one user, 484 dimensions, 2-core machine): a vector search
 * (the whole statement) p50/p95 exact 8/11 ms at 1k rows, 20/33 ms at 5k, 27/38 ms at 10k, 129/175 ms at 50k;
 * through HNSW 8/12 ms at 10k and 15/19 ms at 50k with recall@10 1.0 (m 16, ef_construction
 * 128, ef_search 200; see efSearch for 120). Below ~10k rows the planner itself prefers the sequential scan to the
 * index. The index has costs: every insert of the model updates the graph (one item 6 → 10 ms
 * at 10k rows, 6.5 → 16 ms at 50k), and PGlite builds it on its only thread, stalling other
 * queries (1 s at 1k rows, 11 s at 10k, 66 s at 50k). So it is built once, in the background,
 * when some user's collection has reached the threshold (seen at start-up or by that user's
 * next search): a ~10 s stall, once, instead of a slower insert for every small collection.
 *
 * Settings: the ANN search needs `hnsw.ef_search` above its candidate limit and an iterative
 * scan (the user filter is applied after the index scan). They are set with `SET LOCAL` inside
 * the search's transaction, never per session: on the PGlite socket server every client
 * shares one session (DESIGN.md §9), and a pooled Postgres connection outlives a request.
 */
import { createHash } from 'node:crypto';
import type { Database, LocalSettings, Queryable } from '../../ports/database.js';
import type { Embedder } from '../../ports/embedder.js';
import { categoryClause, count, type StatementShape } from './search-sql.js';

export interface VectorIndexOptions {
  /** A caller with at least this many rows of the model searches through HNSW… */
  annMinRows: number;
  /**
   * …when they are at least this share of the index (every user's rows of the model): the
   * user filter is applied while walking the graph, so a caller holding 1% of it makes the
   * scan visit ~100 rows for each one kept, while an exact scan of the caller's own rows (the
   * (user_id, embedding_model) index) stays cheap. Only matters with many users (Postgres).
   */
  annMinShare: number;
  /**
   * hnsw.ef_search of a search (≥ the candidate limit, 100 by default). 120 rather than 200
   * (bench:search, 2026-12-07): HNSW vector p95 6.2 → 5.0 ms at 10k items and 11.4 → 9.0 ms at
   * 50k, recall@10 against exact 1.0 and 0.998; the iterative scan still fills the candidates.
   */
  efSearch: number;
  /**
   * Graph parameters of the build. Measured at 50k synthetic rows of 384 dimensions:
   * ef_construction 128 (pgvector's default is 64) builds ~40% slower (58 s vs 41 s) but gives
   * recall@10 1.0 at ef_search 200 (p95 6 ms), where 64 gives 0.956 and needs ef_search 800
   * for 0.996 (p95 16 ms).
   */
  m: number;
  efConstruction: number;
  /** How long a caller's row count is trusted before it is counted again. */
  countTtlMs: number;
  /** After a failed build, how long before another is tried. */
  retryAfterMs: number;
}

export const DEFAULT_VECTOR_INDEX_OPTIONS: VectorIndexOptions = {
  annMinRows: 10_000,
  annMinShare: 0.1,
  efSearch: 120,
  m: 16,
  efConstruction: 128,
  countTtlMs: 60_000,
  retryAfterMs: 10 * 60_000,
};

type Model = Pick<Embedder, 'id' | 'dimensions'>;

const sqlLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** pgvector's HNSW indexes vectors of up to 2,000 dimensions (larger ones stay exact). */
export const indexableDimensions = (dimensions: number) => Number.isInteger(dimensions) && dimensions >= 1 && dimensions <= 2000;

function checkDimensions(dimensions: number) {
  if (!indexableDimensions(dimensions)) {
    throw new Error(`no HNSW index for ${dimensions}-dimensional embeddings (1–2000)`);
  }
  return dimensions;
}

/** The index name for a model: stable, short, and safe as an identifier. */
export function vectorIndexName(model: Model): string {
  const hash = createHash('sha256').update(`${model.id}\u0000${model.dimensions}`).digest('hex').slice(0, 16);
  return `search_rows_hnsw_${hash}`;
}

/** The indexed expression and operator class; the query must use the same expression. */
export function vectorIndexSql(model: Model, opts: Pick<VectorIndexOptions, 'm' | 'efConstruction'>, concurrently = false) {
  const d = checkDimensions(model.dimensions);
  return (
    `CREATE INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF NOT EXISTS ${vectorIndexName(model)} ON search_rows ` +
    `USING hnsw ((embedding::vector(${d})) vector_cosine_ops) ` +
    `WITH (m = ${Math.trunc(opts.m)}, ef_construction = ${Math.trunc(opts.efConstruction)}) ` +
    `WHERE embedding_model = ${sqlLiteral(model.id)}`
  );
}

/**
 * The `vec` CTE of sql.ts in its index-eligible form: same parameters ($1 user, $3 query
 * vector, $5 category unless the shape has every category), limit and columns, ordered by the indexed expression. $4 stays in
 * the filter so the statement reads the same parameters as the exact one.
 */
export function annVectorCte(model: Model, shape: StatementShape): string {
  const d = checkDimensions(model.dimensions);
  const id = sqlLiteral(model.id);
  return `
  vec AS (
    SELECT s.item_id, 1 - (s.embedding::vector(${d}) <=> $3::vector(${d})) AS score
    FROM search_rows s
    WHERE s.user_id = $1 AND s.embedding_model = ${id} AND s.embedding_model = $4 AND $3::vector IS NOT NULL
      ${categoryClause(shape)}
    ORDER BY s.embedding::vector(${d}) <=> $3::vector(${d})
    LIMIT ${count(shape.candidates)}
  )`;
}

/** The `SET LOCAL` settings of an ANN search (applied inside its transaction). */
export function annSettings(opts: Pick<VectorIndexOptions, 'efSearch'>): LocalSettings {
  const ef = Math.min(1000, Math.max(1, Math.trunc(opts.efSearch)));
  // relaxed_order: the scan continues past ef_search until enough rows pass the user filter;
  // results may come slightly out of order, and the search re-ranks them (vec_ranked).
  return { 'hnsw.ef_search': String(ef), 'hnsw.iterative_scan': 'relaxed_order' };
}

/**
 * Drops the model's index (e.g. before a bulk import: every insert would update the graph; it
 * is built again, in one go, by the next start or search past the threshold).
 */
export async function dropVectorIndex(db: Queryable, model: Model): Promise<void> {
  await db.query(`DROP INDEX IF EXISTS ${vectorIndexName(model)}`);
}

/** Whether the model's index exists and is usable (a failed CONCURRENTLY build leaves it invalid). */
export async function vectorIndexState(db: Queryable, model: Model): Promise<'missing' | 'valid' | 'invalid'> {
  const r = await db.query<{ valid: boolean }>(
    `SELECT i.indisvalid AND i.indisready AS valid FROM pg_index i
     WHERE i.indexrelid = to_regclass($1)`,
    [vectorIndexName(model)],
  );
  const row = r.rows[0];
  return !row ? 'missing' : row.valid ? 'valid' : 'invalid';
}

/** The most rows any one user has of the model (what decides whether an index pays off). */
export async function largestCollection(db: Queryable, modelId: string): Promise<number> {
  const r = await db.query<{ n: number | null }>(
    `SELECT max(n)::int AS n FROM (
       SELECT count(*) AS n FROM search_rows WHERE embedding_model = $1 GROUP BY user_id) c`,
    [modelId],
  );
  return r.rows[0]?.n ?? 0;
}

export interface EnsureResult {
  index: string;
  state: 'created' | 'exists' | 'not_needed';
  ms: number;
}

/**
 * Creates the HNSW index of the configured model if it is missing (idempotent), when some
 * user has at least `minRows` rows of the model (0: always). On Postgres the build is
 * CONCURRENTLY (writes go on); PGlite has one backend on the caller's thread, so its build
 * stalls other queries while it runs: callers start it in the background, once.
 */
export async function ensureVectorIndex(
  db: Database,
  embedder: Model,
  options: Partial<Pick<VectorIndexOptions, 'm' | 'efConstruction'>> & { minRows?: number } = {},
): Promise<EnsureResult> {
  const opts = { ...DEFAULT_VECTOR_INDEX_OPTIONS, ...options };
  const index = vectorIndexName(embedder);
  const started = performance.now();
  const done = (state: EnsureResult['state']) => ({ index, state, ms: Math.round(performance.now() - started) });
  const state = await vectorIndexState(db, embedder);
  if (state === 'valid') return done('exists');
  const minRows = options.minRows ?? opts.annMinRows;
  if (minRows > 0 && (await largestCollection(db, embedder.id)) < minRows) return done('not_needed');

  if (db.kind === 'postgres') {
    if (state === 'invalid') await db.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index}`);
    try {
      await db.query(vectorIndexSql(embedder, opts, true));
    } catch (err) {
      // Another process built it at the same time.
      if ((err as { code?: string }).code !== '42P07') throw err;
    }
  } else {
    await db.transaction(async (tx) => {
      if (state === 'invalid') await tx.query(`DROP INDEX IF EXISTS ${index}`);
      // The graph must fit in maintenance_work_mem or the build gets far slower; SET LOCAL
      // keeps the setting out of the shared session.
      await tx.query(`SELECT set_config('maintenance_work_mem', $1, true)`, [`${buildMemoryMb(embedder)}MB`]);
      await tx.query(vectorIndexSql(embedder, opts));
    });
  }
  return done('created');
}

/** ~rows × (vector + neighbour lists), with room; PGlite's WASM heap is limited, so capped. */
function buildMemoryMb(model: Model) {
  // Sized for 100k rows of the model; a bigger graph spills to the slower on-disk build.
  const perRow = model.dimensions * 4 + 16 * 2 * 8 + 64;
  return Math.min(1024, Math.max(64, Math.ceil((100_000 * perRow) / 2 ** 20)));
}

/**
 * One per database and model (see `vectorIndexFor`): decides exact vs ANN per caller, and
 * starts the index build in the background once a caller's collection crosses the threshold.
 */
export class VectorIndex {
  readonly options: VectorIndexOptions;
  private ready = false;
  private building: Promise<void> | null = null;
  private lastError: unknown = null;
  private failedAt = 0;
  private checkedAt = 0;
  private readonly counts = new Map<string, { n: number; at: number }>();
  private indexed: { n: number; at: number } | null = null;

  constructor(
    private readonly db: Database,
    readonly model: Model,
    options: Partial<VectorIndexOptions> = {},
  ) {
    this.options = { ...DEFAULT_VECTOR_INDEX_OPTIONS, ...options };
  }

  /** True once the index exists and is valid. */
  get indexReady() {
    return this.ready;
  }

  /** The last background build's error (the search keeps working, exactly). */
  get error() {
    return this.lastError;
  }

  /**
   * Start-up: notes whether the index exists and, when a collection is already over the
   * threshold, builds it in the background. Never awaited by start-up.
   */
  start(): Promise<void> {
    return this.build();
  }

  /** Resolves when no build is in flight (await it before closing the database). */
  async idle(): Promise<void> {
    await this.building;
  }

  /**
   * Exact or ANN for this caller's search: ANN only with the index ready, at least
   * `annMinRows` rows of the model for the caller making up `annMinShare` of the index, and
   * without a category filter (a selective filter makes the graph walk long and lose recall,
   * while it makes the exact scan cheap).
   */
  async mode(userId: string, opts: { categoryFilter?: string | null; filtered?: boolean } = {}): Promise<'exact' | 'ann'> {
    if (opts.categoryFilter || opts.filtered) return 'exact';
    const rows = await this.rowsOf(userId);
    if (rows < this.options.annMinRows) return 'exact';
    // Re-read the catalogue now and then: the index may have been dropped (a bulk import).
    if (this.ready && Date.now() - this.checkedAt > this.options.countTtlMs) {
      this.ready = (await vectorIndexState(this.db, this.model)) === 'valid';
      this.checkedAt = Date.now();
    }
    if (!this.ready) {
      void this.build(); // crossed the threshold: build once, in the background
      return 'exact';
    }
    const indexed = await this.indexedRows();
    return rows >= this.options.annMinShare * indexed ? 'ann' : 'exact';
  }

  /** Entries in the index, from the catalogue (set by the build, kept by VACUUM/ANALYZE). */
  private async indexedRows(): Promise<number> {
    const now = Date.now();
    if (this.indexed && now - this.indexed.at < this.options.countTtlMs) return this.indexed.n;
    const r = await this.db.query<{ n: number | null }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass($1)`, [
      vectorIndexName(this.model),
    ]);
    const n = Math.max(0, r.rows[0]?.n ?? 0); // -1: never counted
    this.indexed = { n, at: now };
    return n;
  }

  private async rowsOf(userId: string): Promise<number> {
    const cached = this.counts.get(userId);
    const now = Date.now();
    if (cached && now - cached.at < this.options.countTtlMs) return cached.n;
    // search_corpus (kept by triggers) bounds the count for free; count exactly only near or
    // above the threshold.
    const docs = await this.db.query<{ docs: number }>(`SELECT docs FROM search_corpus WHERE user_id = $1`, [userId]);
    let n = docs.rows[0]?.docs ?? 0;
    if (n >= this.options.annMinRows) {
      const r = await this.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM search_rows WHERE user_id = $1 AND embedding_model = $2`,
        [userId, this.model.id],
      );
      n = r.rows[0]?.n ?? 0;
    }
    this.counts.set(userId, { n, at: now });
    return n;
  }

  private build(): Promise<void> {
    if (this.building) return this.building;
    if (!indexableDimensions(this.model.dimensions)) return Promise.resolve();
    if (this.lastError && Date.now() - this.failedAt < this.options.retryAfterMs) return Promise.resolve();
    this.building = (async () => {
      try {
        const r = await ensureVectorIndex(this.db, this.model, {
          minRows: this.options.annMinRows,
          m: this.options.m,
          efConstruction: this.options.efConstruction,
        });
        this.ready = r.state !== 'not_needed';
        this.checkedAt = Date.now();
        this.lastError = null;
      } catch (err) {
        this.lastError = err;
        this.failedAt = Date.now();
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }
}

const registry = new WeakMap<Database, Map<string, VectorIndex>>();

/** The shared VectorIndex of a database and model (the server and every searcher use one). */
export function vectorIndexFor(db: Database, model: Model, options?: Partial<VectorIndexOptions>): VectorIndex {
  let byModel = registry.get(db);
  if (!byModel) registry.set(db, (byModel = new Map()));
  const key = `${model.id}\u0000${model.dimensions}`;
  let vi = byModel.get(key);
  if (!vi) byModel.set(key, (vi = new VectorIndex(db, model, options)));
  return vi;
}
