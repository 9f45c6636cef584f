import { mkdir } from 'node:fs/promises';
import { parse, PGlite, protocol } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { vector } from '@electric-sql/pglite-pgvector';
import type { Database, LocalSettings, Queryable } from '../../ports/database.js';

/** Embedded Postgres (WASM) with pgvector: the laptop home's database, no server to install. */
export class PGliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  /** Named statements parsed in this session: their text, parameter types and result shape. */
  private readonly prepared = new Map<string, PreparedStatement>();

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

  async queryCachedPlan<T>(name: string, sql: string, params: unknown[], settings?: LocalSettings): Promise<{ rows: T[] }> {
    // plan_cache_mode only for this transaction: a session-wide setting would give every other
    // (unnamed) statement a generic plan too.
    return this.pg.transaction(async (tx) => {
      await applySettings(tx, { plan_cache_mode: 'force_generic_plan', ...settings });
      // The statement goes through the protocol (Parse once, then Bind/Execute): PGlite's query()
      // always parses an unnamed statement. runExclusive keeps other callers' messages out.
      return { rows: await this.pg.runExclusive(() => this.executeNamed<T>(name, sql, params)) };
    });
  }

  private async executeNamed<T>(name: string, sql: string, params: unknown[]): Promise<T[]> {
    const { serialize } = protocol;
    const send = async (message: Uint8Array) => (await this.pg.execProtocol(message, { syncToFs: false })).messages;
    const messages: BackendMessage[] = [];
    try {
      let statement = this.prepared.get(name);
      if (statement && statement.sql !== sql) throw new Error(`prepared statement ${name} was defined with other SQL`);
      if (!statement) {
        // Close first (no error when there is none): a Parse that succeeded before a failed
        // Describe would otherwise make the name unusable for the rest of the session.
        await send(serialize.close({ type: 'S', name }));
        await send(serialize.parse({ name, text: sql }));
        const described = await send(serialize.describe({ type: 'S', name }));
        const parameters = described.find((m) => m.name === 'parameterDescription') as { dataTypeIDs: number[] } | undefined;
        const row = described.find((m) => m.name === 'rowDescription') as RowDescriptionMessage | undefined;
        if (!row) throw new Error(`prepared statement ${name} returns no rows`);
        statement = { sql, parameterTypes: parameters?.dataTypeIDs ?? [], row };
        this.prepared.set(name, statement);
      }
      // Parameters serialised as PGlite's own query() does it, by the type Postgres inferred.
      const values = params.map((value, i) => {
        if (value == null) return null;
        const serializer = this.pg.serializers[statement!.parameterTypes[i]!];
        return serializer ? serializer(value) : String(value);
      });
      messages.push(statement.row, ...(await send(serialize.bind({ statement: name, values }))), ...(await send(serialize.execute({}))));
    } finally {
      await send(serialize.sync());
    }
    return parse.parseResults(messages, this.pg.parsers)[0]!.rows as T[];
  }

  async close() {
    if (!this.pg.closed) await this.pg.close();
  }
}

type BackendMessage = Awaited<ReturnType<PGlite['execProtocol']>>['messages'][number];
type RowDescriptionMessage = InstanceType<typeof protocol.messages.RowDescriptionMessage>;

interface PreparedStatement {
  sql: string;
  parameterTypes: number[];
  row: RowDescriptionMessage;
}

/** `SET LOCAL` for each setting, in one statement (values bound as parameters). */
async function applySettings(tx: Queryable, settings: LocalSettings): Promise<void> {
  const entries = Object.entries(settings);
  await tx.query(`SELECT ${entries.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, entries.flat());
}
