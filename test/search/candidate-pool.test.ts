import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../src/adapters/embedder/index.js';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { loadConfig } from '../../src/shared/config.js';
import { AnalysisSchema } from '../../src/domain/analysis.js';
import { AnalysesRepository } from '../../src/repositories/analyses.js';
import { ItemsRepository } from '../../src/repositories/items.js';
import { SearchRowsRepository } from '../../src/repositories/search-rows.js';
import { searchConfig } from '../../src/services/search/config.js';
import { SearchService } from '../../src/services/search/search-service.js';
import { openTestDatabase } from '../helpers/db.js';

/**
 * The bm25 candidate pool (src/repositories/search/search-sql.ts, bm25Ctes): words whose documents fit the
 * budget are looked up everywhere; commoner words only in headlines and categories.
 * A budget of 10 documents over a 30-item collection makes that visible.
 */
const USER = 'pool-user';
let db: PGliteDatabase;
const ids: Record<string, string> = {};

async function addItem(name: string, fields: { headline: string; text: string[] }) {
  const id = randomUUID();
  await new ItemsRepository(db).insertOrGetDuplicate({
    id,
    user_id: USER,
    filename: `${id}.jpg`,
    original_filename: `${name}.jpg`,
    mime_type: 'image/jpeg',
    file_size: 1,
    sha256: id,
    original_key: `${USER}/originals/${id}.jpg`,
  });
  const analysis = AnalysisSchema.parse({
    category: 'Food',
    headline: fields.headline,
    summary: 'A saved screenshot.',
    image_details: { extracted_text: fields.text },
  });
  const record = await new AnalysesRepository(db).insertNextVersion(USER, id, { analysis, provider: 'test', model: 'test', traceId: null });
  await new SearchRowsRepository(db).upsert({
    userId: USER,
    itemId: id,
    analysisId: record.id,
    analysis,
    embedding: [1, 0, 0],
    embeddingModel: 'test',
    embedderRevision: null,
  });
  ids[name] = id;
}

const service = (pool: number, share = 0) => {
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    EMBEDDING_PROVIDER: 'local',
    SEARCH_CANDIDATE_POOL: String(pool),
    SEARCH_CANDIDATE_POOL_SHARE: String(share),
  });
  const embedder = createEmbedder(config.embedding);
  return new SearchService(db, embedder, searchConfig(config, embedder));
};
const bm25 = async (pool: number, query: string, share = 0) =>
  (await service(pool, share).search(USER, { query, search_type: 'bm25', top_k: 50 })).results.map((r) => r.item_id);
/** Only the confident matches (what the bound must never change). */
const strong = async (pool: number, query: string) =>
  (await service(pool).search(USER, { query, search_type: 'bm25', top_k: 50, min_match: 'strong' })).results.map((r) => r.item_id);

beforeAll(async () => {
  db = await openTestDatabase();
  // 25 items mention mochi in their body text; one has it in its headline; one pairs it with a rare name.
  for (let i = 0; i < 25; i++) await addItem(`body${i}`, { headline: `Dessert shop number ${i}`, text: [`fresh mochi daily ${i}`] });
  await addItem('headline', { headline: 'Mochi stand in Kyoto', text: ['opening hours'] });
  await addItem('rare', { headline: 'Dessert bar', text: ['Zorblatt mochi tasting'] });
  for (let i = 0; i < 3; i++) await addItem(`other${i}`, { headline: 'Coffee roaster', text: ['espresso beans'] });
}, 60_000);
afterAll(async () => {
  await db?.close();
});

describe('bm25 candidate pool', () => {
  it('reads every match while the query’s words fit the budget', async () => {
    const all = await bm25(2000, 'mochi');
    expect(all).toHaveLength(27);
    expect(all).toEqual(expect.arrayContaining([ids.headline, ids.rare]));
  });

  it('looks a word commoner than the budget up in headlines only', async () => {
    expect(await bm25(10, 'mochi')).toEqual([ids.headline]);
  });

  it('grows the budget with the collection: a share of its items where that is more', async () => {
    // 30 items: a share of 0.5 is a budget of 15 (mochi's 27 documents still do not fit), 1 of 30.
    expect(await bm25(10, 'mochi', 0.5)).toEqual([ids.headline]);
    expect(await bm25(10, 'mochi', 1)).toHaveLength(27);
  });

  it('still reads a rare word everywhere: the same confident answer as an unbounded pool', async () => {
    // The bound leaves out items holding only the common word in their body: weak matches at
    // best (they cover little of the query), listed by the unbounded pool below the match.
    const r = await bm25(10, 'Zorblatt mochi');
    expect(r[0]).toBe(ids.rare);
    expect(r[0]).toBe((await bm25(100_000, 'Zorblatt mochi'))[0]);
    expect(await strong(10, 'Zorblatt mochi')).toEqual([ids.rare]);
    expect(await strong(10, 'Zorblatt mochi')).toEqual(await strong(100_000, 'Zorblatt mochi'));
    // Both words are rare: read everywhere (the unbounded pool also lists items that only hold
    // a concept alternative of "espresso", as weak matches).
    const coffee = await bm25(10, 'Zorblatt espresso');
    expect(coffee).toHaveLength(4);
    expect(await bm25(100_000, 'Zorblatt espresso')).toEqual(expect.arrayContaining(coffee));
    expect(await strong(10, 'Zorblatt espresso')).toEqual(await strong(100_000, 'Zorblatt espresso'));
  });
});
