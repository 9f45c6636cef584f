import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { PostgresDatabase } from '../../src/adapters/database/postgres.js';
import { listMigrations, migrate } from '../../src/adapters/database/migrate.js';

describe('migrations on PGlite', () => {
  let db: PGliteDatabase;
  beforeAll(async () => {
    db = await PGliteDatabase.open();
  });
  afterAll(async () => db?.close());

  it('apply once, then are a no-op', async () => {
    const all = (await listMigrations()).map((m) => m.version);
    expect(await migrate(db)).toEqual(all);
    expect(await migrate(db)).toEqual([]);
  });

  it('give every table a user_id and lead every index with it', async () => {
    const tables = ['items', 'analyses', 'search_rows'];
    for (const t of tables) {
      const cols = await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND column_name = 'user_id'`,
        [t],
      );
      expect(cols.rows, t).toHaveLength(1);
    }
    const idx = await db.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY($1) AND indexname NOT LIKE '%_pkey'`,
      [tables],
    );
    expect(idx.rows.length).toBeGreaterThanOrEqual(7);
    for (const i of idx.rows) expect(i.indexdef, i.indexname).toMatch(/\(user_id[,)]/);
  });

  it('stores vectors of any dimension and compares them with cosine distance', async () => {
    const r = await db.query<{ d: number }>(`SELECT '[1,0,0]'::vector <=> '[0,1,0]'::vector AS d`);
    expect(r.rows[0]?.d).toBeCloseTo(1);
  });

  it('survives a restart in a persistent data directory', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/collections-pg-`);
    try {
      const first = await PGliteDatabase.open(dir);
      await migrate(first);
      await first.query(
        `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256, original_key)
         VALUES ('11111111-1111-4111-8111-111111111111', 'u', 'f', 'f', 'image/png', 1, 'abc', 'k')`,
      );
      await first.close();
      const second = await PGliteDatabase.open(dir);
      expect(await migrate(second)).toEqual([]);
      const r = await second.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
      expect(r.rows[0]?.n).toBe(1);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('migrations over the Postgres wire protocol (DATABASE_URL)', () => {
  // PGlite's socket server speaks the real protocol, so node-postgres is exercised as on RDS.
  let pg: PGlite;
  let server: PGLiteSocketServer;
  let db: PostgresDatabase;
  beforeAll(async () => {
    pg = await PGlite.create({ extensions: { vector, btree_gin } });
    server = new PGLiteSocketServer({ db: pg, port: 0, host: '127.0.0.1' });
    await server.start();
    const conn = server.getServerConn();
    db = new PostgresDatabase(`postgres://postgres:postgres@${conn}/postgres?sslmode=disable`, 1);
  });
  afterAll(async () => {
    await db?.close();
    await server?.stop();
    await pg?.close();
  });

  it('applies the same migrations and runs transactions', async () => {
    expect((await migrate(db)).length).toBeGreaterThan(0);
    expect(await migrate(db)).toEqual([]);
    await expect(
      db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256, original_key)
           VALUES ('22222222-2222-4222-8222-222222222222', 'u', 'f', 'f', 'image/png', 1, 'abc', 'k')`,
        );
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
    expect(r.rows[0]?.n).toBe(0);
  });
});
