import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { loadConfig } from '../../src/config.js';
import type { Services } from '../../src/app/services.js';
import type { Embedder } from '../../src/ports/embedder.js';
import { objectKeys } from '../../src/domain/item.js';
import { ItemsRepository } from '../../src/repositories/items.js';
import { runImport, uuidV5, ImportInputError, type ImportOptions, type ImportReport } from '../../src/importer/index.js';
import { createProgressDisplay } from '../../src/importer/progress.js';
import { importCommand } from '../../src/cli/import.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { solidImage } from '../helpers/images.js';
import {
  analysisJson,
  threeItems,
  writeChromaDir,
  writeCollectionsLocalDb,
  writeExportJson,
  writeGolden,
  type FixtureItem,
} from './fixtures.js';

let db: PGliteDatabase;
let h: Harness;
let work: string;
let n = 0;
/** A fresh folder per fixture. */
const dir = (name: string) => path.join(work, `${++n}-${name}`);

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

const run = (opts: ImportOptions, services: Services = h.services) => runImport(services, opts);
const [A, B, C] = threeItems().map((i) => i.id) as [string, string, string];

/** What a second run must leave exactly as it was. */
async function snapshot(userId = 'local') {
  const r = await db.query(
    `SELECT i.id::text, i.status, i.updated_at, i.thumbnail_key, i.sha256, i.original_key, i.created_at,
       (SELECT json_agg(json_build_object('id', a.id, 'v', a.version) ORDER BY a.version) FROM analyses a WHERE a.item_id = i.id) AS analyses,
       s.updated_at AS row_updated, s.embedding_model, s.analysis_id::text
     FROM items i LEFT JOIN search_rows s ON s.item_id = i.id WHERE i.user_id = $1 ORDER BY i.id`,
    [userId],
  );
  return r.rows;
}

async function sqliteFixture(items: FixtureItem[] = threeItems()) {
  const d = dir('sqlite');
  const source = await writeCollectionsLocalDb(d, items);
  return { source, images: path.join(d, 'images') };
}

describe('import --format sqlite', () => {
  it('imports items, analyses (as they were), images, thumbnails and search rows; the report adds up', async () => {
    const { source, images } = await sqliteFixture();
    const progress: string[] = [];
    const report = await runImport(h.services, { format: 'sqlite', source, images }, (p) => progress.push(`${p.done}/${p.total}:${p.outcome}`));

    expect(report).toMatchObject({
      format: 'sqlite',
      user_id: 'local',
      items_in: 3,
      analyses_in: 4,
      imported: 3,
      resumed: 0,
      skipped_existing: 0,
      skipped_duplicate: [],
      failed: [],
      items_out: 3,
      analyses_out: 4,
      items_without_analysis: [],
      images_missing: [C],
      remapped_ids: {},
      embedding_model: h.services.embedder.id,
      findable_by_headline: { checked: 3, found: 3, not_found: [], no_headline: [] },
      ok: true,
    });
    expect(progress).toHaveLength(3);
    expect(progress.at(-1)).toMatch(/^3\/3:imported$/);

    // Item: source id, created_at, original_filename; ready.
    const a = await h.call('GET', `/items/${A}`);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      id: A,
      status: 'ready',
      original_filename: 'IMG_0001.jpg',
      mime_type: 'image/jpeg',
      width: 90,
      height: 160,
      created_at: '2025-12-01T10:00:00.123Z',
      thumbnail_url: `/items/${A}/thumbnail`,
    });
    expect(a.body.analysis).toMatchObject({
      id: 'aaaaaaaa-0000-4000-8000-000000000001',
      version: 1,
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      trace_id: '019b5d1e-966a-7e42-bb68-10857611a35d',
      created_at: '2025-12-01T10:00:05.500Z',
      headline: 'Kushida Shrine autumn festival in Hakata',
    });
    expect(a.body.analysis.raw.media_metadata.location_tags).toEqual(['Fukuoka, Japan']);

    // Every version kept, newest live.
    const versions = await h.call('GET', `/items/${B}/analyses`);
    expect(versions.body.analyses.map((x: any) => [x.version, x.provider, x.model, x.trace_id, x.created_at])).toEqual([
      [2, 'anthropic', 'claude-sonnet-4-5', 'trace-v2', '2025-12-03T09:30:00.000Z'],
      [1, 'openai', 'gpt-4o', null, '2025-12-02T11:00:03.000Z'],
    ]);
    expect((await h.call('GET', `/items/${B}`)).body.analysis.headline).toBe('Ichiran tonkotsu ramen counter seats in Tenjin');

    // Original and thumbnail under the normal keys.
    expect(await h.services.store.exists(objectKeys.original('local', A, 'jpg'))).toBe(true);
    expect(await h.services.store.exists(objectKeys.thumbnail('local', A))).toBe(true);
    const thumb = await h.call('GET', `/items/${A}/thumbnail`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const original = await h.call('GET', `/items/${A}/image`);
    expect(Buffer.compare(original.body, await readFile(path.join(images, `${A}.jpg`)))).toBe(0);

    // Search rows with the configured embedder, from the live version.
    const rows = await db.query<{ item_id: string; embedding_model: string; analysis_id: string }>(
      'SELECT item_id::text, embedding_model, analysis_id::text FROM search_rows ORDER BY item_id',
    );
    expect(rows.rows.map((r) => r.embedding_model)).toEqual(Array(3).fill(h.services.embedder.id));
    expect(rows.rows.find((r) => r.item_id === B)?.analysis_id).toBe('aaaaaaaa-0000-4000-8000-000000000003');
  });

  it('keeps an item whose image is missing: ready and searchable, no thumbnail, image 404', async () => {
    const { source, images } = await sqliteFixture();
    await run({ format: 'sqlite', source, images });
    const c = await h.call('GET', `/items/${C}`);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ status: 'ready', thumbnail_url: null, image_url: `/items/${C}/image`, sha256: `missing-image:${C}` });
    expect(c.body.analysis.headline).toBe('Perfume shop Le Labo Santal 33 price list');
    expect((await h.call('GET', `/items/${C}/image`)).status).toBe(404);
    expect((await h.call('GET', `/items/${C}/thumbnail`)).status).toBe(404);
    expect((await h.call('GET', '/items?limit=10')).body.items.map((i: any) => i.id)).toEqual([C, B, A]); // source created_at order

    // The image turns up later: a second run with it attaches it and makes the thumbnail.
    await writeFile(path.join(images, `${C}.jpg`), await solidImage('jpeg', 33, { width: 50, height: 50 }));
    const again = await run({ format: 'sqlite', source, images });
    expect(again).toMatchObject({ resumed: 1, skipped_existing: 2, images_missing: [], ok: true });
    const fixed = await h.call('GET', `/items/${C}`);
    expect(fixed.body).toMatchObject({ status: 'ready', thumbnail_url: `/items/${C}/thumbnail`, width: 50 });
    expect(fixed.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await h.call('GET', `/items/${C}/thumbnail`)).status).toBe(200);
  });

  it('is idempotent: a second run skips every item and changes nothing', async () => {
    const { source, images } = await sqliteFixture();
    await run({ format: 'sqlite', source, images });
    const before = await snapshot();
    const second = await run({ format: 'sqlite', source, images });
    expect(second).toMatchObject({ items_in: 3, imported: 0, resumed: 0, skipped_existing: 3, items_out: 3, analyses_out: 4, failed: [], ok: true });
    expect(await snapshot()).toEqual(before);
  });

  it('resumes after an interruption: finished items are skipped, half-imported ones completed', async () => {
    const { source, images } = await sqliteFixture();
    await run({ format: 'sqlite', source, images });
    // Put the collection back into the states a crash leaves: A right after its row was
    // written (uploaded, no thumbnail, no search row), B after process_image (processing,
    // no search row), C never reached.
    await db.query(`UPDATE items SET status = 'uploaded', thumbnail_key = NULL WHERE id = $1`, [A]);
    await db.query(`UPDATE items SET status = 'processing' WHERE id = $1`, [B]);
    await db.query('DELETE FROM search_rows WHERE item_id = ANY($1::uuid[])', [[A, B]]);
    await h.services.store.delete(objectKeys.thumbnail('local', A));
    await db.query('DELETE FROM items WHERE id = $1', [C]);

    const resumed = await run({ format: 'sqlite', source, images });
    expect(resumed).toMatchObject({ imported: 1, resumed: 2, skipped_existing: 0, items_out: 3, analyses_out: 4, ok: true });
    const statuses = await db.query<{ status: string }>('SELECT DISTINCT status FROM items');
    expect(statuses.rows).toEqual([{ status: 'ready' }]);
    expect(await h.services.store.exists(objectKeys.thumbnail('local', A))).toBe(true);
    expect((await run({ format: 'sqlite', source, images })).skipped_existing).toBe(3);
  });

  it('completes an item a failed run left behind (the embedder failed mid-run)', async () => {
    const { source, images } = await sqliteFixture();
    let calls = 0;
    const real = h.services.embedder;
    const flaky: Embedder = {
      provider: real.provider,
      model: real.model,
      dimensions: real.dimensions,
      id: real.id,
      embed: async (texts, type) => {
        if (++calls === 2) throw new Error('embedding service unavailable');
        return real.embed(texts, type);
      },
    };
    const broken: Services = { ...h.services, embedder: flaky, steps: { ...h.services.steps, embedder: flaky } };
    const first = await run({ format: 'sqlite', source, images }, broken);
    expect(first.ok).toBe(false);
    expect(first.failed).toHaveLength(1);
    expect(first.failed[0]!.reason).toMatch(/search row could not be built: embedding service unavailable/);
    expect(first.items_out).toBe(3); // the row is there, failed at embed

    const second = await run({ format: 'sqlite', source, images });
    expect(second).toMatchObject({ imported: 0, resumed: 1, skipped_existing: 2, failed: [], ok: true });
    const statuses = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM items GROUP BY status');
    expect(statuses.rows).toEqual([{ status: 'ready', n: 3 }]);
  });

  it('scopes by --user: a second owner of the same source gets deterministic uuid v5 ids', async () => {
    const { source, images } = await sqliteFixture();
    const alice = await run({ format: 'sqlite', source, images, user: 'alice' });
    const bob = await run({ format: 'sqlite', source, images, user: 'bob' });
    expect(alice).toMatchObject({ imported: 3, remapped_ids: {}, ok: true });
    const bobIds = Object.fromEntries([A, B, C].map((id) => [id, uuidV5(`item:bob:${id}`)]));
    expect(bob).toMatchObject({ imported: 3, items_out: 3, analyses_out: 4, remapped_ids: bobIds, images_missing: [C], ok: true });

    const items = new ItemsRepository(db);
    expect(await items.count('alice')).toBe(3);
    expect(await items.count('bob')).toBe(3);
    expect(await items.get('alice', A)).not.toBeNull();
    expect(await items.get('bob', A)).toBeNull();
    const bobB = await db.query<{ id: string; provider: string; version: number; trace_id: string | null }>(
      'SELECT id::text, provider, version, trace_id FROM analyses WHERE user_id = $1 AND item_id = $2 ORDER BY version',
      ['bob', bobIds[B]],
    );
    expect(bobB.rows.map((r) => [r.version, r.provider, r.trace_id])).toEqual([[1, 'openai', null], [2, 'anthropic', 'trace-v2']]);
    expect(bobB.rows.map((r) => r.id)).not.toContain('aaaaaaaa-0000-4000-8000-000000000002');
    expect(await h.services.store.exists(objectKeys.thumbnail('bob', bobIds[A]!))).toBe(true);
    // Search is per user too.
    const { createSearcher } = await import('../../src/search/index.js');
    const hits = await createSearcher(h.services).search('bob', { query: 'Kushida Shrine festival', search_type: 'bm25' });
    expect(hits.results.map((r) => r.item_id)).toContain(bobIds[A]);
    expect(hits.results.map((r) => r.item_id)).not.toContain(A);

    // Idempotent under the remap too.
    expect(await run({ format: 'sqlite', source, images, user: 'bob' })).toMatchObject({ imported: 0, skipped_existing: 3 });
    expect(await run({ format: 'sqlite', source, images, user: 'alice' })).toMatchObject({ imported: 0, skipped_existing: 3 });
  });

  it('skips an image the user already has (same bytes) and reports it', async () => {
    const items = threeItems();
    const { source, images } = await sqliteFixture(items);
    const uploaded = await h.upload(await readFile(path.join(images, `${A}.jpg`)), 'already-here.jpg');
    expect(uploaded.status).toBe(201);
    await h.services.bus.idle();
    const report = await run({ format: 'sqlite', source, images });
    expect(report).toMatchObject({
      imported: 2,
      skipped_duplicate: [{ item_id: A, existing_item_id: uploaded.body.id }],
      items_out: 2,
      failed: [],
      ok: true,
    });
    expect(await run({ format: 'sqlite', source, images })).toMatchObject({ skipped_existing: 2, skipped_duplicate: [{ item_id: A }] });
  });

  it('reports invalid analyses with the reason and imports the rest', async () => {
    const items: FixtureItem[] = [
      ...threeItems().slice(0, 1),
      {
        id: '44444444-4444-4444-8444-444444444444',
        filename: '44444444-4444-4444-8444-444444444444.jpg',
        original_filename: 'bad-json.jpg',
        mime_type: 'image/jpeg',
        created_at: '2025-12-05T08:00:00',
        imageSeed: 44,
        analyses: [{ id: 'bbbbbbbb-0000-4000-8000-000000000001', version: 1, raw: '{"category": "Food", "headline": ', provider: 'anthropic', model: 'm', trace_id: null, created_at: '2025-12-05T08:00:01' }],
      },
      {
        id: '55555555-5555-4555-8555-555555555555',
        filename: '55555555-5555-4555-8555-555555555555.jpg',
        original_filename: 'no-category.jpg',
        mime_type: 'image/jpeg',
        created_at: '2025-12-06T08:00:00',
        imageSeed: 55,
        analyses: [{ id: 'bbbbbbbb-0000-4000-8000-000000000002', version: 1, raw: { ...analysisJson('No category here'), category: '' }, provider: 'anthropic', model: 'm', trace_id: null, created_at: '2025-12-06T08:00:01' }],
      },
      {
        id: '66666666-6666-4666-8666-666666666666',
        filename: '66666666-6666-4666-8666-666666666666.jpg',
        original_filename: 'half-good.jpg',
        mime_type: 'image/jpeg',
        created_at: '2025-12-07T08:00:00',
        imageSeed: 66,
        analyses: [
          { id: 'bbbbbbbb-0000-4000-8000-000000000003', version: 1, raw: { ...analysisJson('x'), subcategories: 'not a list' }, provider: 'anthropic', model: 'm', trace_id: null, created_at: '2025-12-07T08:00:01' },
          { id: 'bbbbbbbb-0000-4000-8000-000000000004', version: 2, raw: analysisJson('Hakata night market yatai stalls'), provider: 'anthropic', model: 'm', trace_id: null, created_at: '2025-12-07T09:00:01' },
        ],
      },
    ];
    const { source, images } = await sqliteFixture(items);
    const report = await run({ format: 'sqlite', source, images });
    expect(report).toMatchObject({ items_in: 4, analyses_in: 5, imported: 2, items_out: 2, analyses_out: 2, ok: false });
    const reasons = report.failed.map((f) => `${f.item_id}|${f.analysis_id ?? ''}|${f.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^44444444.*\|bbbbbbbb-0000-4000-8000-000000000001\|.*raw_response is not valid JSON/),
        expect.stringMatching(/^44444444.*\|\|none of its analyses is valid/),
        expect.stringMatching(/^55555555.*\|bbbbbbbb-0000-4000-8000-000000000002\|.*category: category must not be empty/),
        expect.stringMatching(/^66666666.*\|bbbbbbbb-0000-4000-8000-000000000003\|.*subcategories/),
      ]),
    );
    expect(report.failed).toHaveLength(5);
    const half = await h.call('GET', '/items/66666666-6666-4666-8666-666666666666');
    expect(half.body).toMatchObject({ status: 'ready' });
    expect(half.body.analysis).toMatchObject({ version: 2, headline: 'Hakata night market yatai stalls' });
    expect((await h.call('GET', '/items/44444444-4444-4444-8444-444444444444')).status).toBe(404);
  });
});

describe('import --format export', () => {
  it('reads collections-local\'s database.json like its database', async () => {
    const d = dir('export');
    const source = await writeExportJson(d, threeItems());
    const report = await run({ format: 'export', source }); // images/ beside the file by default
    expect(report).toMatchObject({ items_in: 3, analyses_in: 4, imported: 3, analyses_out: 4, images_missing: [C], images_dir: path.join(d, 'images'), ok: true });
    const b = await h.call('GET', `/items/${B}/analyses`);
    expect(b.body.analyses.map((x: any) => [x.id, x.version, x.model, x.trace_id])).toEqual([
      ['aaaaaaaa-0000-4000-8000-000000000003', 2, 'claude-sonnet-4-5', 'trace-v2'],
      ['aaaaaaaa-0000-4000-8000-000000000002', 1, 'gpt-4o', null],
    ]);
    expect((await run({ format: 'export', source })).skipped_existing).toBe(3);
  });
});

describe('import --format golden', () => {
  it('imports reviewed analyses as provider golden / human-reviewed, dated reviewed_at', async () => {
    const d = dir('golden');
    const g = ['f5129142-8126-4f7b-8b72-72f4024d4078', 'fe0288ee-5bcf-46e5-8ce6-c1c65cae5395', '987f250b-7e99-4ce6-9504-0a9d7879dbdc'];
    const source = await writeGolden(d, [
      { item_id: g[0]!, reviewed_at: '2025-12-13T23:02:52.946Z', headline: 'TeamLab Forest Fukuoka digital art', imageSeed: 101 },
      { item_id: g[1]!, reviewed_at: '2025-12-13T23:05:00.000Z', headline: 'Mentaiko udon at Yamaya', imageSeed: 140, original_filename: 'IMG_7930 Large.jpeg' },
      { item_id: g[2]!, reviewed_at: '2025-12-13T23:09:00.000Z', headline: '', imageSeed: 180 },
    ]);
    const report = await run({ format: 'golden', source, images: path.join(d, 'images') });
    expect(report).toMatchObject({
      items_in: 3,
      imported: 3,
      analyses_out: 3,
      images_missing: [],
      findable_by_headline: { checked: 2, found: 2, no_headline: [g[2]] },
      ok: true,
    });
    const item = await h.call('GET', `/items/${g[1]}`);
    expect(item.body).toMatchObject({ id: g[1], original_filename: 'IMG_7930 Large.jpeg', created_at: '2025-12-13T23:05:00.000Z', status: 'ready' });
    expect(item.body.analysis).toMatchObject({ provider: 'golden', model: 'human-reviewed', version: 1, trace_id: null, created_at: '2025-12-13T23:05:00.000Z' });
    expect(item.body.analysis.raw).not.toHaveProperty('reviewed_at'); // bookkeeping fields are not analysis
    expect((await h.call('GET', `/items/${g[0]}`)).body.original_filename).toBe(`${g[0]}.jpg`);
    expect((await run({ format: 'golden', source, images: path.join(d, 'images') })).skipped_existing).toBe(3);
  });
});

describe('import --format chroma', () => {
  it('reads documents and metadata from chroma.sqlite3 without a server and re-embeds them', async () => {
    const d = dir('chroma');
    const U1 = '77777777-7777-4777-8777-777777777777';
    const U2 = '88888888-8888-4888-8888-888888888888';
    const raw1 = analysisJson('Ohori Park lake boat rental prices', { category: 'Travel' });
    await writeChromaDir(path.join(d, 'chroma'), 'collections_vectors', [
      {
        // What collections-local's ChromaVectorStoreManager wrote: everything, raw_response included.
        id: 'c0a8a4a2-3f7b-4a51-9d1e-111111111111',
        document: 'Ohori Park lake boat rental prices Travel Japan',
        metadata: { item_id: U1, category: 'Travel', headline: raw1['headline'] as string, summary: raw1['summary'] as string, filename: `${U1}.jpg`, image_url: `/images/${U1}.jpg`, raw_response: JSON.stringify(raw1) },
      },
      {
        // Chunked, without raw_response: assembled from the metadata, chunks as extracted text.
        id: 'c0a8a4a2-3f7b-4a51-9d1e-222222222222',
        document: 'Shin-Shin ramen menu: tonkotsu 790 yen',
        metadata: { item_id: U2, category: 'Food', headline: 'Shin-Shin ramen menu', summary: 'Ramen menu with prices.', chunk_index: 0, total_chunks: 2 },
      },
      {
        id: 'c0a8a4a2-3f7b-4a51-9d1e-333333333333',
        document: 'Opening hours 11:00 to 3:00 at night',
        metadata: { item_id: U2, category: 'Food', headline: 'Shin-Shin ramen menu', summary: 'Ramen menu with prices.', chunk_index: 1, total_chunks: 2 },
        documentOnlyInFts: true,
      },
      {
        // A bare Chroma record: no item_id, no metadata; its id is not a uuid.
        id: 'doc-3',
        document: 'Le Labo Santal 33 eau de parfum\n100 ml 310 USD',
        metadata: {},
      },
    ], { wal: true });
    await mkdir(path.join(d, 'images'), { recursive: true });
    await writeFile(path.join(d, 'images', `${U1}.jpg`), await solidImage('jpeg', 201, { width: 70, height: 70 }));

    const report = await run({ format: 'chroma', source: path.join(d, 'chroma'), images: path.join(d, 'images') });
    const doc3 = uuidV5('item:local:doc-3');
    expect(report).toMatchObject({
      format: 'chroma',
      items_in: 3,
      analyses_in: 3,
      imported: 3,
      items_out: 3,
      analyses_out: 3,
      images_missing: [U2, 'doc-3'],
      remapped_ids: { 'doc-3': doc3 },
      failed: [],
      findable_by_headline: { checked: 3, found: 3 },
      ok: true,
    });
    expect(report.warnings).toEqual([{ item_id: 'doc-3', message: expect.stringMatching(/Uncategorized/) }]);

    const one = await h.call('GET', `/items/${U1}`);
    expect(one.body).toMatchObject({ status: 'ready', thumbnail_url: `/items/${U1}/thumbnail`, created_at: '2025-12-20T10:00:00.000Z' });
    expect(one.body.analysis).toMatchObject({ provider: 'chroma-import', model: 'collections_vectors', headline: 'Ohori Park lake boat rental prices' });
    expect(one.body.analysis.raw.media_metadata.hashtags).toEqual(['#fukuoka']);

    const two = (await h.call('GET', `/items/${U2}`)).body.analysis;
    expect(two).toMatchObject({ category: 'Food', headline: 'Shin-Shin ramen menu', summary: 'Ramen menu with prices.' });
    expect(two.raw.image_details.extracted_text).toEqual(['Shin-Shin ramen menu: tonkotsu 790 yen', 'Opening hours 11:00 to 3:00 at night']);

    const three = (await h.call('GET', `/items/${doc3}`)).body.analysis;
    expect(three).toMatchObject({ category: 'Uncategorized', headline: 'Le Labo Santal 33 eau de parfum' });

    const rows = await db.query<{ embedding_model: string }>('SELECT DISTINCT embedding_model FROM search_rows');
    expect(rows.rows).toEqual([{ embedding_model: h.services.embedder.id }]);
    // Read-only for real: a WAL database read in place would get -shm/-wal files beside it.
    expect(await readdir(path.join(d, 'chroma'))).toEqual(['chroma.sqlite3']);
    // Given the file instead of the folder; images/ beside the Chroma folder by default.
    const again = await run({ format: 'chroma', source: path.join(d, 'chroma', 'chroma.sqlite3') });
    expect(again).toMatchObject({ skipped_existing: 3, images_dir: path.join(d, 'images') });
  });
});

describe('bad inputs', () => {
  it('fail with a clear error and import nothing', async () => {
    const d = dir('bad');
    await mkdir(d, { recursive: true });
    const notJson = path.join(d, 'broken.json');
    await writeFile(notJson, '{"tables": {"items": [');
    const golden = await writeGolden(path.join(d, 'g'), [{ item_id: A, reviewed_at: '2025-12-13T23:02:52.946Z', headline: 'x', imageSeed: null }]);
    const text = path.join(d, 'notes.db');
    await writeFile(text, 'this is not a database, just text '.repeat(200));
    const exportFile = await writeExportJson(path.join(d, 'e'), threeItems());
    const sqlite = await writeCollectionsLocalDb(path.join(d, 's'), threeItems());

    const cases: [ImportOptions, RegExp][] = [
      [{ format: 'sqlite', source: path.join(d, 'nope.db') }, /--source .*nope\.db does not exist/],
      [{ format: 'export', source: path.join(d, 'nope.json') }, /--source .*nope\.json does not exist/],
      [{ format: 'export', source: notJson }, /is not valid JSON/],
      [{ format: 'golden', source: notJson }, /is not valid JSON/],
      [{ format: 'export', source: golden }, /not a collections-local JSON export.*use --format golden/],
      [{ format: 'golden', source: exportFile }, /not a golden set.*use --format export/],
      [{ format: 'sqlite', source: text }, /is not a SQLite database/],
      [{ format: 'sqlite', source: d }, /is not a file/],
      [{ format: 'chroma', source: d }, /not a Chroma persistent directory: it has no chroma\.sqlite3/],
      [{ format: 'chroma', source: sqlite }, /not a Chroma database.*use --format sqlite/],
      [{ format: 'sqlite', source: sqlite, images: path.join(d, 'no-images') }, /--images .*no-images does not exist/],
      [{ format: 'sqlite', source: sqlite, user: 'a/b' }, /--user "a\/b" is not a valid user id/],
      [{ format: 'csv' as never, source: sqlite }, /Unknown import format "csv": use --format sqlite, export, golden, chroma/],
    ];
    for (const [opts, message] of cases) {
      const err = await run(opts).then(() => null, (e: unknown) => e);
      expect(err, JSON.stringify(opts)).toBeInstanceOf(ImportInputError);
      expect((err as Error).message, JSON.stringify(opts)).toMatch(message);
    }
    expect(await new ItemsRepository(db).count('local')).toBe(0);
  });
});

describe('collections import (CLI)', () => {
  const stream = (isTTY: boolean) => {
    const s = new PassThrough();
    const chunks: string[] = [];
    s.on('data', (c: Buffer) => chunks.push(c.toString()));
    return { s: Object.assign(s, { isTTY, columns: 100 }) as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
  };

  it('prints the report as JSON on stdout, progress and a summary on stderr, and exits 1 on failures', async () => {
    const items = threeItems();
    items[2]!.analyses[0]!.raw = '{not json';
    const { source, images } = await sqliteFixture(items);
    const dataDir = dir('cli-data');
    const out = stream(false);
    const err = stream(false);
    const code = await importCommand(loadConfig({ COLLECTIONS_DATA_DIR: dataDir }), { format: 'sqlite', source, images, user: 'cli' }, { stdout: out.s, stderr: err.s });
    expect(code).toBe(1);
    const report = JSON.parse(out.text()) as ImportReport;
    expect(report).toMatchObject({ user_id: 'cli', items_in: 3, imported: 2, ok: false });
    expect(report.failed.map((f) => f.item_id)).toEqual([C, C]);
    expect(err.text()).toContain('import: 3/3 (imported 2, skipped 0, failed 1)');
    expect(err.text()).toMatch(/items: 3 in the source, 2 in the collection/);
    expect(err.text()).toMatch(/import: PROBLEMS/);
  });

  it('shows a bar on a terminal and a line every N items elsewhere', () => {
    const tty = stream(true);
    const bar = createProgressDisplay(tty.s);
    for (let i = 1; i <= 3; i++) bar.update({ done: i, total: 3, item_id: `i${i}`, outcome: 'imported' });
    bar.stop();
    expect(tty.text()).toContain('3/3');

    const log = stream(false);
    const lines = createProgressDisplay(log.s, { every: 2 });
    for (let i = 1; i <= 5; i++) lines.update({ done: i, total: 5, item_id: `i${i}`, outcome: i === 3 ? 'failed' : 'skipped' });
    expect(log.text().trim().split('\n')).toEqual([
      'import: 2/5 (imported 0, skipped 2, failed 0)',
      'import: 4/5 (imported 0, skipped 3, failed 1)',
      'import: 5/5 (imported 0, skipped 4, failed 1)',
    ]);
  });
});
