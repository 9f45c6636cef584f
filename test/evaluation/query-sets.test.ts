import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EDGE_QUERY_TYPE, loadDataset, SINGLE_ITEM_QUERY_TYPE } from '../../src/cli/evaluation/dataset.js';

/**
 * The committed query sets (eval/queries): written blind from the items of two collections,
 * split into tune (search is adjusted on it) and holdouts (only reported). They must parse as
 * the evaluation reads them, keep their ids apart, and name items that exist; the last check
 * needs ../shared and is skipped, saying so, where it is absent.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const QUERIES = path.join(ROOT, 'eval', 'queries');
const SHARED = path.resolve(ROOT, '..', 'shared', 'data');

const COLLECTIONS = {
  export: () => {
    const db = JSON.parse(readFileSync(path.join(SHARED, 'collections-local-export', 'database.json'), 'utf8'));
    return new Set<string>(db.tables.items.map((i: { id: string }) => i.id));
  },
  golden: () => {
    const a = JSON.parse(readFileSync(path.join(SHARED, 'golden', 'analyses.json'), 'utf8'));
    const items: { item_id: string }[] = Array.isArray(a) ? a : a.golden_analyses;
    return new Set(items.map((i) => i.item_id));
  },
} as const;

describe.each(Object.keys(COLLECTIONS) as (keyof typeof COLLECTIONS)[])('%s query sets', (collection) => {
  const splits = [
    'tune',
    'holdout',
    'holdout2',
    'holdout3',
    'holdout4',
    'holdout5',
    'holdout6',
    'holdout7',
    'holdout8',
    'holdout9',
    'holdout10',
    'holdout11',
    'holdout12',
    'holdout13',
    'holdout14',
    'holdout15',
    'holdout16',
    'holdout17',
    'holdout18',
    'holdout19',
    'holdout20',
    'holdout21',
    'holdout22',
    'holdout23',
    'holdout24',
    'holdout25',
    'holdout26',
    'holdout27',
    'holdout28',
  ] as const;
  const files = splits.map((split) => path.join(QUERIES, `${collection}.${split}.json`));

  it('parse as the evaluation reads them, with counts that match, and no query in two splits', async () => {
    const sets = await Promise.all(files.map((f) => loadDataset(f)));
    const all = sets.flatMap((set) => set.queries);
    const ids = all.map((q) => q.query_id);
    expect(new Set(ids).size).toBe(ids.length);
    const texts = all.map((q) => q.query_text.toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
    for (const [i, set] of sets.entries()) {
      const split = splits[i];
      expect(set.metadata.split).toBe(split);
      expect(set.metadata.total_queries).toBe(set.queries.length);
      for (const q of set.queries) {
        if (q.query_type === EDGE_QUERY_TYPE) expect(q.expected_items, q.query_id).toEqual([]);
        else expect(q.expected_items.length, q.query_id).toBeGreaterThan(0);
        if (q.query_type === SINGLE_ITEM_QUERY_TYPE) expect(q.expected_items, q.query_id).toHaveLength(1);
      }
      // Enough off-topic queries per split to judge the verdict (issue 13: 6 of 8 not strong).
      expect(set.queries.filter((q) => q.query_type === EDGE_QUERY_TYPE).length).toBeGreaterThanOrEqual(collection === 'export' ? 8 : 4);
    }
    if (collection === 'export') expect(ids.length).toBeGreaterThanOrEqual(80);
  });

  it.skipIf(!existsSync(SHARED))(
    `name only items of the collection${existsSync(SHARED) ? '' : ' (skipped: ../shared is absent)'}`,
    async () => {
      const items = COLLECTIONS[collection]();
      for (const file of files) {
        const set = await loadDataset(file);
        for (const q of set.queries)
          for (const e of q.expected_items) expect(items.has(e.item_id), `${q.query_id} ${e.item_id}`).toBe(true);
      }
    },
  );
});
