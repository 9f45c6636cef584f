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
  close(): Promise<void>;
}
