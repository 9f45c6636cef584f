import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { openTestDatabase } from '../helpers/db.js';
import { createTwoUserCollection, type TwoUserCollection } from '../helpers/two-user-collection.js';

/**
 * How bm25's list is fused into one ranking (src/repositories/search/search-sql.ts, `fused`): reciprocal ranks,
 * plus the headline and coverage boosts, over a collection built to pull them apart.
 */
let db: PGliteDatabase;
let c: TwoUserCollection;

const text = (headline: string, extracted: string[]) => ({
  category: 'Beauty',
  subcategories: [],
  headline,
  summary: headline,
  image_details: { extracted_text: extracted },
});

beforeAll(async () => {
  db = await openTestDatabase();
  c = await createTwoUserCollection(db, {
    items: {
      // "vetiver" over and over, in the headline too: bm25's first place for "vetiver tonka".
      guide: text('Vetiver guide: vetiver, vetiver and more vetiver', ['vetiver', 'vetiver root oil', 'vetiver']),
      // Both words once, in the text: all of the query, bm25's second place.
      bottle: text('Weekend fragrance notes', ['smoky vetiver with tonka in one bottle']),
      // "tonka" is common in this collection, so it weighs little.
      cake: text('Tonka bean cake recipe', ['tonka']),
      dessert: text('Tonka dessert menu', ['tonka']),
      cream: text('Tonka ice cream', ['tonka']),
    },
  });
}, 120_000);
afterAll(async () => {
  await c?.close();
  await db?.close();
});

describe('fusion', () => {
  it('puts an item holding all of the query above one that ranks higher on words but holds half', async () => {
    const r = await c.h.call('POST', '/search', { json: { query: 'vetiver tonka', search_type: 'bm25' }, headers: c.alice });
    expect(r.status).toBe(200);
    const [first, second] = r.body.results;
    // bm25's own order: the guide first (many occurrences, in the headline), the bottle second.
    expect(first.metadata.bm25_rank).toBe(2);
    expect(second.metadata.bm25_rank).toBe(1);
    expect(first.item_id).toBe(c.ids.bottle);
    expect(first.metadata.bm25_coverage).toBeCloseTo(1, 3);
    expect(second.item_id).toBe(c.ids.guide);
    expect(second.metadata.bm25_coverage).toBeLessThan(1);
  });

  it('counts the meaning list for more when keyword search found little of the query', async () => {
    // "zebra" is in no item: at best an item holds a small share of the query's IDF mass.
    const r = await c.h.call('POST', '/search', {
      json: { query: 'vetiver tonka zebra', search_type: 'hybrid', top_k: 50 },
      headers: c.alice,
    });
    const { rrfK, vectorWeight, vectorLift } = c.h.services.config.search.fusion;
    const listed = r.body.results.filter((x: any) => x.metadata.bm25_rank != null);
    const best = Math.max(...listed.map((x: any) => x.metadata.bm25_coverage));
    expect(best).toBeLessThan(1);
    // An item on the vector side only: its fused score is its reciprocal rank, lifted by what keyword search missed.
    const onlyVector = r.body.results.filter((x: any) => x.metadata.bm25_rank == null && x.metadata.vector_rank != null);
    expect(onlyVector.length).toBeGreaterThan(0);
    for (const x of onlyVector)
      expect(x.metadata.rrf).toBeCloseTo((vectorWeight * (1 + vectorLift * (1 - best))) / (rrfK + x.metadata.vector_rank), 4);
    expect(vectorLift).toBeGreaterThan(0);
  });
});
