import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { conceptExpansions } from '../../src/services/search/expansion.js';
import { openTestDatabase } from '../helpers/db.js';
import type { Harness } from '../helpers/harness.js';
import { SAMPLE_ITEMS, createTwoUserCollection, type TwoUserCollection } from '../helpers/two-user-collection.js';

/**
 * Search over a small real collection (the pipeline with a scripted vision model, the local
 * embedder, PGlite) for two users in jwt mode.
 */
let db: PGliteDatabase;
let c: TwoUserCollection;
let h: Harness;
let alice: Record<string, string>;
let bob: Record<string, string>;
let ids: Record<string, string>;
const ITEMS = SAMPLE_ITEMS;

beforeAll(async () => {
  db = await openTestDatabase();
  c = await createTwoUserCollection(db);
  ({ h, alice, bob, ids } = c);
});
afterAll(async () => {
  await c?.close();
  await db?.close();
});

const search = (body: unknown, headers = alice) => h.call('POST', '/search', { json: body, headers });

describe('POST /search', () => {
  it.each(['bm25', 'vector', 'hybrid'] as const)('%s finds an item by words from it, with ranks 1..n', async (search_type) => {
    const r = await search({ query: 'Ichiran tonkotsu ramen Fukuoka', search_type });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ query: 'Ichiran tonkotsu ramen Fukuoka', search_type });
    expect(r.body.results[0]).toMatchObject({
      item_id: ids.ramen,
      rank: 1,
      category: 'Food',
      thumbnail_url: `/items/${ids.ramen}/thumbnail`,
    });
    expect(r.body.results.map((x: any) => x.rank)).toEqual(r.body.results.map((_: unknown, i: number) => i + 1));
    expect(r.body.total_results).toBe(r.body.results.length);
    expect(r.body.retrieval_time_ms).toBeGreaterThanOrEqual(0);
    // One 0–1 score whatever the type; the raw BM25 and RRF numbers only in metadata.
    expect(r.body.results[0]).toMatchObject({ score_type: 'relevance', match: 'strong' });
    for (const x of r.body.results) expect(x.score).toBeGreaterThanOrEqual(0), expect(x.score).toBeLessThanOrEqual(1);
    expect(r.body.match).toBe('strong');
  });

  it('hybrid is the default and ranks the most relevant item first', async () => {
    const r = await search({ query: 'AI code editor' });
    expect(r.body.search_type).toBe('hybrid');
    expect(r.body.results[0].item_id).toBe(ids.cursor);
  });

  it('filters by category', async () => {
    const r = await search({ query: 'Fukuoka ramen', category_filter: 'travel' });
    expect(r.body.results.map((x: any) => x.item_id)).not.toContain(ids.ramen);
    const food = await search({ query: 'Fukuoka ramen', category_filter: 'Food' });
    expect(food.body.results.map((x: any) => x.item_id)).toEqual([ids.ramen]);
  });

  it('never calls something the collection does not hold a match', async () => {
    // No word of it is in any item: keyword search has nothing.
    const words = await search({ query: 'Mexican tacos in Guadalajara', search_type: 'bm25' });
    expect(words.body).toMatchObject({ match: 'none', results: [] });
    // By meaning there are always nearest items (hybrid falls back to them when nothing clears
    // its bars): offered as the closest, never as a match.
    for (const search_type of ['vector', 'hybrid']) {
      const nearest = await search({ query: 'Mexican tacos in Guadalajara', search_type });
      expect(nearest.body.match, search_type).toBe('weak');
      expect(nearest.body.results.length, search_type).toBeGreaterThan(0);
      expect(
        nearest.body.results.every((x: any) => x.match === 'weak'),
        search_type,
      ).toBe(true);
      // Asked for confident matches only: nothing.
      const strong = await search({ query: 'Mexican tacos in Guadalajara', search_type, min_match: 'strong' });
      expect(strong.body, search_type).toMatchObject({ match: 'none', results: [] });
    }
  });

  it('answers a query that only touches an item with that item as a weak match, not with nothing', async () => {
    // "perfume" is in the Le Labo item, "shopping" in nothing: a partial match, listed as closest.
    const r = await search({ query: 'perfume shopping', search_type: 'bm25' });
    expect(r.body.match).toBe('weak');
    expect(r.body.results[0]).toMatchObject({ item_id: ids.perfume, match: 'weak' });
    expect(r.body.results[0].score).toBeGreaterThan(0);
    expect(r.body.results[0].score).toBeLessThan(0.5);
    // Asked for confident matches only, the same query has none.
    const strongOnly = await search({ query: 'perfume shopping', search_type: 'bm25', min_match: 'strong' });
    expect(strongOnly.body).toMatchObject({ match: 'none', results: [] });
    // And a confident one is kept by min_match: strong.
    const confident = await search({ query: 'Ichiran ramen Fukuoka', min_match: 'strong' });
    expect(confident.body.match).toBe('strong');
    expect(confident.body.results.every((x: any) => x.match === 'strong')).toBe(true);
    expect(confident.body.results[0].item_id).toBe(ids.ramen);
  });

  it('never shows another user’s items', async () => {
    const a = await search({ query: 'Ichiran ramen Fukuoka', top_k: 50 });
    const b = await search({ query: 'Ichiran ramen Fukuoka', top_k: 50 }, bob);
    expect(a.body.results.map((x: any) => x.item_id)).not.toContain(ids.bobRamen);
    expect(b.body.results.map((x: any) => x.item_id)).toEqual([ids.bobRamen]);
  });

  it('says agentic search and answers are unavailable without a chat model, and still answers', async () => {
    const r = await search({ query: 'ramen', search_type: 'agentic', include_answer: true });
    expect(r.status).toBe(200);
    expect(r.body.notices).toEqual(['agentic_unavailable', 'answer_unavailable']);
    expect(r.body.results[0].item_id).toBe(ids.ramen);
  });

  const hostile = [
    `"unterminated`,
    `'`,
    `''`,
    `\\`,
    `a & b | !c`,
    `ramen:* & (fukuoka | !tokyo)`,
    `<->`,
    `<2>`,
    `()()()`,
    `!!!`,
    `&&&|||`,
    `🍜🍜 ramen 🍜`,
    `東京のラーメン`,
    `Привет мир`,
    `مرحبا`,
    `a`.repeat(1000),
    `x `.repeat(500),
    `%_%`,
    `$1`,
    `'; DROP TABLE items; --`,
    `e-mail state-of-the-art`,
    `http://example.com/a?b&c=d`,
    `ramen\u0000\u0001`,
    `${` `.repeat(5)}ramen`,
  ];
  it.each(hostile.map((q) => [JSON.stringify(q).slice(0, 40), q]))('any string is a valid query: %s', async (_label, query) => {
    for (const search_type of ['bm25', 'vector', 'hybrid']) {
      const r = await search({ query, search_type });
      expect(r.status, `${search_type}: ${JSON.stringify(r.body).slice(0, 200)}`).toBe(200);
      expect(Array.isArray(r.body.results)).toBe(true);
    }
  });

  it.each([
    ['an empty query', { query: '' }],
    ['a blank query', { query: '   ' }],
    ['a query over 1000 characters', { query: 'a'.repeat(1001) }],
    ['top_k 0', { query: 'x', top_k: 0 }],
    ['top_k 51', { query: 'x', top_k: 51 }],
    ['an unknown search type', { query: 'x', search_type: 'magic' }],
    ['an unknown field', { query: 'x', colour: 'blue' }],
    ['a similarity above 1', { query: 'x', min_similarity_score: 2 }],
  ])('answers 400 for %s', async (_name, body) => {
    const r = await search(body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'invalid_request', message: expect.any(String) });
  });

  it('answers 400 for malformed JSON', async () => {
    const r = await h.call('POST', '/search', { body: '{"query": ', headers: { ...alice, 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
  });

  it('reports its configuration', async () => {
    const r = await h.call('GET', '/search/config', { headers: alice });
    expect(r.body).toMatchObject({ default_search_type: 'hybrid', embedding_model: h.services.embedder.id });
  });
});

describe('BM25 corpus statistics', () => {
  it('stay equal to a recount after inserts, re-analyses and deletes (df and head_df)', async () => {
    const recount = async () => {
      const expected = await db.query<{ user_id: string; term: string; df: number }>(
        `SELECT user_id, term, count(*)::int AS df FROM search_rows, unnest(tsvector_to_array(tsv)) AS term
         GROUP BY user_id, term ORDER BY 1, 2`,
      );
      const kept = await db.query<{ user_id: string; term: string; df: number }>(
        'SELECT user_id, term, df FROM search_terms WHERE df > 0 ORDER BY 1, 2',
      );
      expect(kept.rows).toEqual(expected.rows);
      // head_df: documents holding the term in their headline or category (weight A).
      const heads = await db.query(
        `SELECT user_id, term, count(*)::int AS head_df FROM search_rows, unnest(tsvector_to_array(ts_filter(tsv, '{a}'))) AS term
         GROUP BY user_id, term ORDER BY 1, 2`,
      );
      expect(heads.rows.length).toBeGreaterThan(0);
      expect((await db.query('SELECT user_id, term, head_df FROM search_terms WHERE head_df > 0 ORDER BY 1, 2')).rows).toEqual(heads.rows);
      const corpus = await db.query('SELECT user_id, docs, total_length::int AS total_length FROM search_corpus WHERE docs > 0 ORDER BY 1');
      const real = await db.query(
        'SELECT user_id, count(*)::int AS docs, sum(length(tsv))::int AS total_length FROM search_rows GROUP BY 1 ORDER BY 1',
      );
      expect(corpus.rows).toEqual(real.rows);
    };
    await recount();
    h.vision.setScript([{ ...ITEMS.perfume, headline: 'Santal 33 perfume: woody sandalwood fragrance, second look' }]);
    const re = await h.call('POST', `/items/${ids.perfume}/analyze`, { json: { force_reanalyze: true }, headers: alice });
    expect(re.status).toBe(201);
    await h.services.bus.idle();
    await recount();
    expect((await h.call('DELETE', `/items/${ids.perfume}`, { headers: alice })).status).toBe(200);
    await recount();
  });
});

describe('what is searchable', () => {
  it('finds an item by its poster or a tagged account, not only by the words in the image', async () => {
    h.vision.setScript([{ ...ITEMS.cursor, media_metadata: { original_poster: 'Quillmere Studio', tagged_accounts: ['@brontavex'] } }]);
    const re = await h.call('POST', `/items/${ids.cursor}/analyze`, { json: { force_reanalyze: true }, headers: alice });
    expect(re.status).toBe(201);
    await h.services.bus.idle();
    for (const query of ['quillmere', 'brontavex']) {
      const r = await search({ query, search_type: 'bm25' });
      expect(
        r.body.results.map((x: any) => x.item_id),
        query,
      ).toEqual([ids.cursor]);
    }
    // Another user's search never sees it.
    expect((await search({ query: 'quillmere', search_type: 'bm25' }, bob)).body.results).toEqual([]);
  });

  it('finds an item by the name of a site in its text (Postgres reads a host as one token)', async () => {
    h.vision.setScript([{ ...ITEMS.onsen, image_details: { extracted_text: ['Kurokawa Onsen', 'Book at www.Ryokanbrell.jp/rooms'] } }]);
    const re = await h.call('POST', `/items/${ids.onsen}/analyze`, { json: { force_reanalyze: true }, headers: alice });
    expect(re.status).toBe(201);
    await h.services.bus.idle();
    const r = await search({ query: 'ryokanbrell', search_type: 'bm25' });
    expect(r.body.results.map((x: any) => x.item_id)).toEqual([ids.onsen]);
    expect(r.body.match).toBe('strong');
    expect((await search({ query: 'ryokanbrell', search_type: 'bm25' }, bob)).body.results).toEqual([]);
  });

  it('finds a word with or without the marks on its letters, whichever way it was typed or saved', async () => {
    h.vision.setScript([{ ...ITEMS.cursor, media_metadata: { original_poster: 'Zéphyrine Ōtakë Studio', tagged_accounts: [] } }]);
    const re = await h.call('POST', `/items/${ids.cursor}/analyze`, { json: { force_reanalyze: true }, headers: alice });
    expect(re.status).toBe(201);
    await h.services.bus.idle();
    for (const query of ['zephyrine otake', 'Zéphyrine Ōtakë', 'ZEPHYRINE']) {
      const r = await search({ query, search_type: 'bm25' });
      expect(
        r.body.results.map((x: any) => x.item_id),
        query,
      ).toEqual([ids.cursor]);
      expect(r.body.results[0].metadata.bm25_coverage, query).toBeCloseTo(1, 3);
    }
    expect((await search({ query: 'zephyrine', search_type: 'bm25' }, bob)).body.results).toEqual([]);
  });

  it('finds an item by words only its visual hierarchy holds (what the screenshot shows, described)', async () => {
    h.vision.setScript([
      { ...ITEMS.cursor, image_details: { ...ITEMS.cursor.image_details, visual_hierarchy: ['Caption about Quorvane magazine picks'] } },
    ]);
    const re = await h.call('POST', `/items/${ids.cursor}/analyze`, { json: { force_reanalyze: true }, headers: alice });
    expect(re.status).toBe(201);
    await h.services.bus.idle();
    const r = await search({ query: 'quorvane', search_type: 'bm25' });
    expect(r.body.results.map((x: any) => x.item_id)).toEqual([ids.cursor]);
    expect((await search({ query: 'quorvane', search_type: 'bm25' }, bob)).body.results).toEqual([]);
  });
});

describe('what the words of a query count for', () => {
  // Coverage is the share of the query's IDF mass an item holds; Alice's corpus is a few items.
  const top = async (query: string) => {
    const r = await search({ query, search_type: 'bm25' });
    return { match: r.body.match, first: r.body.results[0], coverage: r.body.results[0]?.metadata.bm25_coverage as number };
  };
  const idfOfDf = async (df: number) => {
    const docs = (await db.query<{ docs: number }>(`SELECT docs FROM search_corpus WHERE user_id = 'alice'`)).rows[0]!.docs;
    return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
  };
  const idf = async (lexeme: string) => {
    const r = await db.query<{ df: number }>(`SELECT df FROM search_terms WHERE user_id = 'alice' AND term = $1`, [lexeme]);
    return idfOfDf(r.rows[0]?.df ?? 0);
  };

  it('a word that phrases the request ("ideas") weighs little against the word that names the thing', async () => {
    // Counted at full IDF, "ideas" (in no item) would leave "kurokawa" a third of the query: weak.
    const r = await top('kurokawa ideas');
    expect(r.first.item_id).toBe(ids.onsen);
    const [word, absent] = [await idf('kurokawa'), await idf('idea')];
    const weight = h.services.config.search.bm25.requestWordWeight;
    expect(weight).toBeLessThan(1);
    expect(r.coverage).toBeCloseTo(word / (word + weight * absent), 3);
    expect(r.match).toBe('strong');
    // A word that names something absent still counts in full.
    const shopping = await top('kurokawa shopping');
    expect(shopping.coverage).toBeCloseTo(word / (word + (await idf('shop'))), 3);
    expect(shopping.match).toBe('weak');
  });

  it('an alternative stands in for an absent word by no more than its own IDF', async () => {
    // "udon" is in no item; some of its alternatives ("ramen", "noodle", "tonkotsu") are in the
    // ramen item. An alternative earning a share of an absent word's (highest) IDF made
    // off-topic queries look answered; it earns a share of its own.
    const r = await top('Fukuoka udon');
    expect(r.first.item_id).toBe(ids.ramen);
    const alternatives = conceptExpansions('Fukuoka udon')
      .map((e) => e.alts)
      .join(', ');
    const held = await db.query<{ df: number }>(
      `SELECT min(t.df)::int AS df FROM search_terms t
       WHERE t.user_id = 'alice' AND t.term IN (SELECT lexeme FROM unnest(to_tsvector('english', $1)))
         AND t.term IN (SELECT unnest(tsvector_to_array(tsv)) FROM search_rows WHERE item_id = $2)`,
      [alternatives, ids.ramen],
    );
    const [word, absent, alternative] = [await idf('fukuoka'), await idf('udon'), await idfOfDf(held.rows[0]!.df)];
    expect(alternative).toBeLessThan(absent);
    const share = h.services.config.search.bm25.altCoverage;
    expect(r.coverage).toBeCloseTo((word + share * alternative) / (word + absent), 3);
    expect(r.match).toBe('weak');
    // Typed, the word itself is a match.
    expect((await top('Fukuoka ramen')).match).toBe('strong');
  });

  it('a place inside the region typed, or a country’s other form, counts as the word itself', async () => {
    // "kyushu" is in no item; Fukuoka (in Kyushu) is in the ramen item. A region's place names
    // the thing asked for, so it covers the word in full, where a concept alternative covers a share.
    const region = await top('kyushu tonkotsu');
    expect(region.first.item_id).toBe(ids.ramen);
    expect(region.coverage).toBeCloseTo(1, 3);
    expect(region.match).toBe('strong');
    // "japanese" is in no item (the stemmer keeps it apart from "japan", in the ramen item's place).
    expect(await idf('japanes')).toBe(await idfOfDf(0));
    const country = await top('japanese tonkotsu');
    expect(country.first.item_id).toBe(ids.ramen);
    expect(country.coverage).toBeCloseTo(1, 3);
    expect(country.match).toBe('strong');
    // Bob's collection is his own: the same search over it finds only his items.
    const bobs = await search({ query: 'kyushu tonkotsu', search_type: 'bm25' }, bob);
    expect(bobs.body.results.map((x: any) => x.item_id)).not.toContain(ids.ramen);
  });

  it('an item outside the place the query asks about is not a strong match; a place as a point of reference asks nothing', async () => {
    // The ramen item holds "ramen open late" (three of the four words) but not Kumamoto, which
    // only the onsen item holds: not what was asked for, wherever its words are.
    for (const search_type of ['bm25', 'hybrid'] as const) {
      const r = await search({ query: 'ramen open late in kumamoto', search_type });
      expect(r.body.results.map((x: any) => x.item_id)).toContain(ids.ramen);
      expect(r.body.match).toBe('weak');
    }
    expect((await top('ramen open late')).match).toBe('strong');
    // "near kumamoto" names where to start from, not where the ramen must be.
    const near = await top('ramen open late near kumamoto');
    expect(near.first.item_id).toBe(ids.ramen);
    expect(near.match).toBe('strong');
    // A place inside the region asked about is in it.
    expect((await top('ramen open late in kyushu')).match).toBe('strong');
  });
  it('a synonym or a kind of the thing typed covers the word in full, where a concept alternative covers a share', async () => {
    // "eateries", "lodging" and "programming" are in no item; "restaurant", "ryokan" and "coding" are.
    for (const [query, item] of [
      ['eateries', ids.ramen],
      ['lodging in kumamoto', ids.onsen],
      ['programming', ids.cursor],
    ] as const) {
      const r = await top(query);
      expect(r.first?.item_id, query).toBe(item);
      expect(r.coverage, query).toBeCloseTo(1, 3);
      expect(r.match, query).toBe('strong');
    }
    // A kind typed is only that kind: "soba" is a noodle of the noodle concept, not ramen.
    expect((await top('soba')).match).not.toBe('strong');
  });
  it('a place typed in Japanese script counts as its romanised name, and asks about that place', async () => {
    // "福岡" is in no item; the ramen item says Fukuoka.
    const r = await top('福岡 tonkotsu');
    expect(r.first?.item_id).toBe(ids.ramen);
    expect(r.coverage).toBeCloseTo(1, 3);
    expect(r.match).toBe('strong');
    // Tokyo (東京) is not where the ramen item is: not a strong match, though "tonkotsu" is in it.
    expect((await top('東京 tonkotsu')).match).not.toBe('strong');
  });

  it('an everyday word typed in Japanese script counts as its English word', async () => {
    // "温泉" and "ラーメン" are in no item; the onsen and ramen items say onsen and ramen.
    const onsen = await top('温泉');
    expect(onsen.first?.item_id).toBe(ids.onsen);
    expect(onsen.coverage).toBeCloseTo(1, 3);
    expect(onsen.match).toBe('strong');
    expect((await top('ラーメン')).first?.item_id).toBe(ids.ramen);
    // A word in kana no table lists reads as its romaji: the ramen item says tonkotsu.
    const tonkotsu = await top('とんこつ');
    expect(tonkotsu.first?.item_id).toBe(ids.ramen);
    expect(tonkotsu.match).toBe('strong');
  });
});
