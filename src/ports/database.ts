/**
 * The one thing the core needs from Postgres: parameterised SQL and transactions. PGlite (laptop)
 * and node-postgres (RDS, any DATABASE_URL) both implement it, so every query is written once.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs one read-only statement through a named prepared statement with a generic plan,
   * parsed and planned once per session instead of on every call. `settings` (run-time
   * parameters by name, e.g. `hnsw.ef_search`) apply to this call only. Offered where planning costs more
   * than the transaction around it (PGlite: the search statement plans in ~3 ms in WASM);
   * callers fall back to `query` without it. The statement must not depend on custom
   * plans: no parameter whose value decides which index serves it.
   */
  queryCachedPlan?<T>(name: string, sql: string, params: unknown[], settings?: LocalSettings): Promise<{ rows: T[] }>;
  close(): Promise<void>;
}

/** Run-time parameters for one transaction (`SET LOCAL`), by name. */
export type LocalSettings = Readonly<Record<string, string>>;
