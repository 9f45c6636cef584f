import pg from 'pg';
import type { Database, Queryable } from '../../ports/database.js';
import { log } from '../../shared/logger.js';

/** Real Postgres (RDS on AWS, or any DATABASE_URL) through a node-postgres pool. */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;

  /** A connection string, or pool settings (IAM auth: a password function, see rds-iam.ts). */
  constructor(connection: string | pg.PoolConfig, max = 10) {
    this.pool = new pg.Pool(typeof connection === 'string' ? { connectionString: connection, max } : { ...connection, max });
    // An idle connection the server closes (RDS restarts, a Lambda thawed after minutes) makes
    // the pool emit 'error'; unhandled, that would crash the process. The pool drops the client
    // and opens a new one on the next query.
    this.pool.on('error', (err) => log.warn('idle database connection closed', { error: err.message }));
  }

  async query<T>(sql: string, params?: unknown[]) {
    const r = await this.pool.query(sql, params as unknown[] | undefined);
    return { rows: r.rows as T[] };
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({
        query: async <R>(sql: string, params?: unknown[]) => ({
          rows: (await client.query(sql, params as unknown[] | undefined)).rows as R[],
        }),
      });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async close() {
    await this.pool.end();
  }
}
