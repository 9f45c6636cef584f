import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { runImport } from '../../src/cli/importer/index.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';

/**
 * Imports the real collections-local data in ../shared (never copied into the repository):
 * the 96-item SQLite collection with its images, then the 55-item golden set. The shared
 * folder is found at COLLECTIONS_SHARED_DIR (default: ../shared beside the repository).
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const shared = path.resolve(repoRoot, process.env.COLLECTIONS_SHARED_DIR ?? '../shared');
const exportDir = path.join(shared, 'data', 'collections-local-export');
const goldenDir = path.join(shared, 'data', 'golden');
const exists = existsSync(path.join(exportDir, 'collections.db')) && existsSync(path.join(goldenDir, 'analyses.json'));
if (!exists) {
  // Reason for the skip, visible in the test output: a fresh clone has no ../shared.
  console.warn(`real-data import test skipped: no collections-local data at ${shared}/data (set COLLECTIONS_SHARED_DIR)`);
}

let db: PGliteDatabase;
let h: Harness;
beforeAll(async () => {
  if (!exists) return;
  db = await openTestDatabase();
  h = await createHarness(db);
});
afterAll(async () => {
  await h?.close();
  await db?.close();
});

describe('import of the real collections-local data (../shared)', () => {
  // Skipped, not failed, where the shared data is absent (a fresh clone, CI without it).
  it.skipIf(!exists)(
    'imports the SQLite collection and the golden set completely, findable by headline',
    { timeout: 180_000 },
    async () => {
      const src = new Database(path.join(exportDir, 'collections.db'), { readonly: true });
      const expected = {
        items: (src.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n,
        analyses: (src.prepare('SELECT count(*) AS n FROM analyses WHERE item_id IN (SELECT id FROM items)').get() as { n: number }).n,
      };
      src.close();
      const golden = JSON.parse(readFileSync(path.join(goldenDir, 'analyses.json'), 'utf8')) as {
        golden_analyses: { item_id: string; headline: string }[];
      };
      const goldenEmpty = golden.golden_analyses.filter((g) => !g.headline.trim()).map((g) => g.item_id);

      let t = performance.now();
      const sqlite = await runImport(h.services, {
        format: 'sqlite',
        source: path.join(exportDir, 'collections.db'),
        images: path.join(exportDir, 'images'),
      });
      const sqliteMs = performance.now() - t;
      expect(sqlite).toMatchObject({
        items_in: expected.items,
        analyses_in: expected.analyses,
        imported: expected.items,
        items_out: expected.items,
        analyses_out: expected.analyses,
        failed: [],
        skipped_duplicate: [],
        images_missing: [],
        items_without_analysis: [],
        findable_by_headline: { checked: expected.items, found: expected.items, not_found: [] },
        ok: true,
      });

      t = performance.now();
      const gold = await runImport(h.services, {
        format: 'golden',
        source: path.join(goldenDir, 'analyses.json'),
        images: path.join(goldenDir, 'images'),
      });
      const goldenMs = performance.now() - t;
      const n = golden.golden_analyses.length;
      expect(gold).toMatchObject({
        items_in: n,
        imported: n,
        items_out: n,
        analyses_out: n,
        failed: [],
        images_missing: [],
        remapped_ids: {},
        findable_by_headline: { checked: n - goldenEmpty.length, found: n - goldenEmpty.length, not_found: [], no_headline: goldenEmpty },
        ok: true,
      });

      t = performance.now();
      const again = await runImport(h.services, { format: 'sqlite', source: path.join(exportDir, 'collections.db') });
      const againMs = performance.now() - t;
      expect(again).toMatchObject({ imported: 0, resumed: 0, skipped_existing: expected.items, ok: true });

      const ready = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM items WHERE status = 'ready' AND thumbnail_key IS NOT NULL`,
      );
      expect(ready.rows[0]!.n).toBe(expected.items + n);
      console.info(
        `real data: sqlite ${expected.items} items ${(sqliteMs / 1000).toFixed(1)} s, golden ${n} items ${(goldenMs / 1000).toFixed(1)} s, ` +
          `second sqlite run ${(againMs / 1000).toFixed(1)} s (embedder ${h.services.embedder.id})`,
      );
    },
  );
});
