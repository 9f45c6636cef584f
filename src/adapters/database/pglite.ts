import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { vector } from '@electric-sql/pglite-pgvector';
import type { Database, Queryable } from '../../ports/database.js';

/** Embedded Postgres (WASM) with pgvector: the laptop home's database, no server to install. */
export class PGliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  private constructor(readonly pg: PGlite) {}

  /** `dir` undefined → in memory (tests); otherwise a persistent data directory. */
  static async open(dir?: string): Promise<PGliteDatabase> {
    if (dir) await mkdir(dir, { recursive: true });
    const pg = await PGlite.create(dir, { extensions: { vector, btree_gin } });
    return new PGliteDatabase(pg);
  }

  /** Wraps an existing instance (e.g. a clone of a migrated template in tests). */
  static wrap(pg: PGlite): PGliteDatabase {
    return new PGliteDatabase(pg);
  }

  async query<T>(sql: string, params?: unknown[]) {
    // Multi-statement SQL without parameters (migrations) goes through exec.
    if (!params?.length && sql.includes(';')) {
      const results = await this.pg.exec(sql);
      return { rows: (results.at(-1)?.rows ?? []) as T[] };
    }
    const r = await this.pg.query<T>(sql, params);
    return { rows: r.rows };
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction(async (tx) =>
      fn({
        query: async <R>(sql: string, params?: unknown[]) => {
          if (!params?.length && sql.includes(';')) {
            const results = await tx.exec(sql);
            return { rows: (results.at(-1)?.rows ?? []) as R[] };
          }
          return { rows: (await tx.query<R>(sql, params)).rows };
        },
      }),
    );
  }

  async close() {
    if (!this.pg.closed) await this.pg.close();
  }
}
