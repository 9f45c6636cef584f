import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import type { Services } from '../../src/app/services.js';
import { runImport, type ImportOptions } from '../../src/cli/importer/index.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { threeItems, writeCollectionsLocalDb, type FixtureItem } from './fixtures.js';

/**
 * One database and harness per test file, emptied before each test, and a scratch folder for
 * the source collections the tests write. Call at the top of a test file.
 */
export function importFixture() {
  let db: PGliteDatabase;
  let h: Harness;
  let work: string;
  let n = 0;
  beforeAll(async () => {
    db = await openTestDatabase();
    h = await createHarness(db);
    work = await mkdtemp(path.join(tmpdir(), 'collections-import-test-'));
  });
  afterAll(async () => {
    await h?.close();
    await db?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await db.query('TRUNCATE search_rows, analyses, items CASCADE');
    // BM25 statistics (kept by triggers that TRUNCATE does not fire), when the search migration is there.
    await db.query(`DO $$ BEGIN
      IF to_regclass('search_terms') IS NOT NULL THEN DELETE FROM search_terms; DELETE FROM search_corpus; END IF;
    END $$`);
    await rm(path.join(h.dataDir, 'objects'), { recursive: true, force: true });
  });

  /** A fresh folder per fixture. */
  const dir = (name: string) => path.join(work, `${++n}-${name}`);
  return {
    get db() {
      return db;
    },
    get h() {
      return h;
    },
    dir,
    run: (opts: ImportOptions, services: Services = h.services) => runImport(services, opts),
    /** What a second run must leave exactly as it was. */
    async snapshot(userId = 'local') {
      const r = await db.query(
        `SELECT i.id::text, i.status, i.updated_at, i.thumbnail_key, i.sha256, i.original_key, i.created_at,
           (SELECT json_agg(json_build_object('id', a.id, 'v', a.version) ORDER BY a.version) FROM analyses a WHERE a.item_id = i.id) AS analyses,
           s.updated_at AS row_updated, s.embedding_model, s.analysis_id::text
         FROM items i LEFT JOIN search_rows s ON s.item_id = i.id WHERE i.user_id = $1 ORDER BY i.id`,
        [userId],
      );
      return r.rows;
    },
    async sqliteFixture(items: FixtureItem[] = threeItems()) {
      const d = dir('sqlite');
      const source = await writeCollectionsLocalDb(d, items);
      return { source, images: path.join(d, 'images') };
    },
  };
}
