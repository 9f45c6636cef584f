import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Services } from '../../src/app/services.js';
import type { Embedder } from '../../src/ports/embedder.js';
import { objectKeys } from '../../src/domain/item.js';
import { ItemsRepository } from '../../src/repositories/items.js';
import { runImport, uuidV5 } from '../../src/cli/importer/index.js';
import { solidImage } from '../helpers/images.js';
import { analysisJson, threeItems, type FixtureItem } from './fixtures.js';

import { importFixture } from './import-setup.js';

const fx = importFixture();
const { run, snapshot, sqliteFixture } = fx;
const [A, B, C] = threeItems().map((i) => i.id) as [string, string, string];

describe('import --format sqlite', () => {
  it('imports items, analyses (as they were), images, thumbnails and search rows; the report adds up', async () => {
    const { source, images } = await sqliteFixture();
    const progress: string[] = [];
    const report = await runImport(fx.h.services, { format: 'sqlite', source, images }, (p) =>
      progress.push(`${p.done}/${p.total}:${p.outcome}`),
    );

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
      embedding_model: fx.h.services.embedder.id,
      findable_by_headline: { checked: 3, found: 3, not_found: [], no_headline: [] },
      ok: true,
    });
    expect(progress).toHaveLength(3);
    expect(progress.at(-1)).toMatch(/^3\/3:imported$/);

    // Item: source id, created_at, original_filename; ready.
    const a = await fx.h.call('GET', `/items/${A}`);
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
    const versions = await fx.h.call('GET', `/items/${B}/analyses`);
    expect(versions.body.analyses.map((x: any) => [x.version, x.provider, x.model, x.trace_id, x.created_at])).toEqual([
      [2, 'anthropic', 'claude-sonnet-4-5', 'trace-v2', '2025-12-03T09:30:00.000Z'],
      [1, 'openai', 'gpt-4o', null, '2025-12-02T11:00:03.000Z'],
    ]);
    expect((await fx.h.call('GET', `/items/${B}`)).body.analysis.headline).toBe('Ichiran tonkotsu ramen counter seats in Tenjin');

    // Original and thumbnail under the normal keys.
    expect(await fx.h.services.store.exists(objectKeys.original('local', A, 'jpg'))).toBe(true);
    expect(await fx.h.services.store.exists(objectKeys.thumbnail('local', A))).toBe(true);
    const thumb = await fx.h.call('GET', `/items/${A}/thumbnail`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const original = await fx.h.call('GET', `/items/${A}/image`);
    expect(Buffer.compare(original.body, await readFile(path.join(images, `${A}.jpg`)))).toBe(0);

    // Search rows with the configured embedder, from the live version.
    const rows = await fx.db.query<{ item_id: string; embedding_model: string; analysis_id: string }>(
      'SELECT item_id::text, embedding_model, analysis_id::text FROM search_rows ORDER BY item_id',
    );
    expect(rows.rows.map((r) => r.embedding_model)).toEqual(Array(3).fill(fx.h.services.embedder.id));
    expect(rows.rows.find((r) => r.item_id === B)?.analysis_id).toBe('aaaaaaaa-0000-4000-8000-000000000003');
  });

  it('keeps an item whose image is missing: ready and searchable, no thumbnail, image 404', async () => {
    const { source, images } = await sqliteFixture();
    await run({ format: 'sqlite', source, images });
    const c = await fx.h.call('GET', `/items/${C}`);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ status: 'ready', thumbnail_url: null, image_url: `/items/${C}/image`, sha256: `missing-image:${C}` });
    expect(c.body.analysis.headline).toBe('Perfume shop Le Labo Santal 33 price list');
    expect((await fx.h.call('GET', `/items/${C}/image`)).status).toBe(404);
    expect((await fx.h.call('GET', `/items/${C}/thumbnail`)).status).toBe(404);
    expect((await fx.h.call('GET', '/items?limit=10')).body.items.map((i: any) => i.id)).toEqual([C, B, A]); // source created_at order

    // The image turns up later: a second run with it attaches it and makes the thumbnail.
    await writeFile(path.join(images, `${C}.jpg`), await solidImage('jpeg', 33, { width: 50, height: 50 }));
    const again = await run({ format: 'sqlite', source, images });
    expect(again).toMatchObject({ resumed: 1, skipped_existing: 2, images_missing: [], ok: true });
    const fixed = await fx.h.call('GET', `/items/${C}`);
    expect(fixed.body).toMatchObject({ status: 'ready', thumbnail_url: `/items/${C}/thumbnail`, width: 50 });
    expect(fixed.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await fx.h.call('GET', `/items/${C}/thumbnail`)).status).toBe(200);
  });

  it('is idempotent: a second run skips every item and changes nothing', async () => {
    const { source, images } = await sqliteFixture();
    await run({ format: 'sqlite', source, images });
    const before = await snapshot();
    const second = await run({ format: 'sqlite', source, images });
    expect(second).toMatchObject({
      items_in: 3,
      imported: 0,
      resumed: 0,
      skipped_existing: 3,
      items_out: 3,
      analyses_out: 4,
      failed: [],
      ok: true,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('resumes after an interruption: finished items are skipped, half-imported ones completed', async () => {
    const { source, images } = await sqliteFixture();
    await run({ format: 'sqlite', source, images });
    // Put the collection back into the states a crash leaves: A right after its row was
    // written (uploaded, no thumbnail, no search row), B after process_image (processing,
    // no search row), C never reached.
    await fx.db.query(`UPDATE items SET status = 'uploaded', thumbnail_key = NULL WHERE id = $1`, [A]);
    await fx.db.query(`UPDATE items SET status = 'processing' WHERE id = $1`, [B]);
    await fx.db.query('DELETE FROM search_rows WHERE item_id = ANY($1::uuid[])', [[A, B]]);
    await fx.h.services.store.delete(objectKeys.thumbnail('local', A));
    await fx.db.query('DELETE FROM items WHERE id = $1', [C]);

    const resumed = await run({ format: 'sqlite', source, images });
    expect(resumed).toMatchObject({ imported: 1, resumed: 2, skipped_existing: 0, items_out: 3, analyses_out: 4, ok: true });
    const statuses = await fx.db.query<{ status: string }>('SELECT DISTINCT status FROM items');
    expect(statuses.rows).toEqual([{ status: 'ready' }]);
    expect(await fx.h.services.store.exists(objectKeys.thumbnail('local', A))).toBe(true);
    expect((await run({ format: 'sqlite', source, images })).skipped_existing).toBe(3);
  });

  it('completes an item a failed run left behind (the embedder failed mid-run)', async () => {
    const { source, images } = await sqliteFixture();
    let calls = 0;
    const real = fx.h.services.embedder;
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
    const broken: Services = { ...fx.h.services, embedder: flaky, steps: { ...fx.h.services.steps, embedder: flaky } };
    const first = await run({ format: 'sqlite', source, images }, broken);
    expect(first.ok).toBe(false);
    expect(first.failed).toHaveLength(1);
    expect(first.failed[0]!.reason).toMatch(/search row could not be built: embedding service unavailable/);
    expect(first.items_out).toBe(3); // the row is there, failed at embed

    const second = await run({ format: 'sqlite', source, images });
    expect(second).toMatchObject({ imported: 0, resumed: 1, skipped_existing: 2, failed: [], ok: true });
    const statuses = await fx.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM items GROUP BY status');
    expect(statuses.rows).toEqual([{ status: 'ready', n: 3 }]);
  });

  it('scopes by --user: a second owner of the same source gets deterministic uuid v5 ids', async () => {
    const { source, images } = await sqliteFixture();
    const alice = await run({ format: 'sqlite', source, images, user: 'alice' });
    const bob = await run({ format: 'sqlite', source, images, user: 'bob' });
    expect(alice).toMatchObject({ imported: 3, remapped_ids: {}, ok: true });
    const bobIds = Object.fromEntries([A, B, C].map((id) => [id, uuidV5(`item:bob:${id}`)]));
    expect(bob).toMatchObject({ imported: 3, items_out: 3, analyses_out: 4, remapped_ids: bobIds, images_missing: [C], ok: true });

    const items = new ItemsRepository(fx.db);
    expect(await items.count('alice')).toBe(3);
    expect(await items.count('bob')).toBe(3);
    expect(await items.get('alice', A)).not.toBeNull();
    expect(await items.get('bob', A)).toBeNull();
    const bobB = await fx.db.query<{ id: string; provider: string; version: number; trace_id: string | null }>(
      'SELECT id::text, provider, version, trace_id FROM analyses WHERE user_id = $1 AND item_id = $2 ORDER BY version',
      ['bob', bobIds[B]],
    );
    expect(bobB.rows.map((r) => [r.version, r.provider, r.trace_id])).toEqual([
      [1, 'openai', null],
      [2, 'anthropic', 'trace-v2'],
    ]);
    expect(bobB.rows.map((r) => r.id)).not.toContain('aaaaaaaa-0000-4000-8000-000000000002');
    expect(await fx.h.services.store.exists(objectKeys.thumbnail('bob', bobIds[A]!))).toBe(true);
    // Search is per user too.
    const { createSearcher } = await import('../../src/services/search/index.js');
    const hits = await createSearcher(fx.h.services).search('bob', { query: 'Kushida Shrine festival', search_type: 'bm25' });
    expect(hits.results.map((r) => r.item_id)).toContain(bobIds[A]);
    expect(hits.results.map((r) => r.item_id)).not.toContain(A);

    // Idempotent under the remap too.
    expect(await run({ format: 'sqlite', source, images, user: 'bob' })).toMatchObject({ imported: 0, skipped_existing: 3 });
    expect(await run({ format: 'sqlite', source, images, user: 'alice' })).toMatchObject({ imported: 0, skipped_existing: 3 });
  });

  it('skips an image the user already has (same bytes) and reports it', async () => {
    const items = threeItems();
    const { source, images } = await sqliteFixture(items);
    const uploaded = await fx.h.upload(await readFile(path.join(images, `${A}.jpg`)), 'already-here.jpg');
    expect(uploaded.status).toBe(201);
    await fx.h.services.bus.idle();
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
        analyses: [
          {
            id: 'bbbbbbbb-0000-4000-8000-000000000001',
            version: 1,
            raw: '{"category": "Food", "headline": ',
            provider: 'anthropic',
            model: 'm',
            trace_id: null,
            created_at: '2025-12-05T08:00:01',
          },
        ],
      },
      {
        id: '55555555-5555-4555-8555-555555555555',
        filename: '55555555-5555-4555-8555-555555555555.jpg',
        original_filename: 'no-category.jpg',
        mime_type: 'image/jpeg',
        created_at: '2025-12-06T08:00:00',
        imageSeed: 55,
        analyses: [
          {
            id: 'bbbbbbbb-0000-4000-8000-000000000002',
            version: 1,
            raw: { ...analysisJson('No category here'), category: '' },
            provider: 'anthropic',
            model: 'm',
            trace_id: null,
            created_at: '2025-12-06T08:00:01',
          },
        ],
      },
      {
        id: '66666666-6666-4666-8666-666666666666',
        filename: '66666666-6666-4666-8666-666666666666.jpg',
        original_filename: 'half-good.jpg',
        mime_type: 'image/jpeg',
        created_at: '2025-12-07T08:00:00',
        imageSeed: 66,
        analyses: [
          {
            id: 'bbbbbbbb-0000-4000-8000-000000000003',
            version: 1,
            raw: { ...analysisJson('x'), subcategories: 'not a list' },
            provider: 'anthropic',
            model: 'm',
            trace_id: null,
            created_at: '2025-12-07T08:00:01',
          },
          {
            id: 'bbbbbbbb-0000-4000-8000-000000000004',
            version: 2,
            raw: analysisJson('Hakata night market yatai stalls'),
            provider: 'anthropic',
            model: 'm',
            trace_id: null,
            created_at: '2025-12-07T09:00:01',
          },
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
    const half = await fx.h.call('GET', '/items/66666666-6666-4666-8666-666666666666');
    expect(half.body).toMatchObject({ status: 'ready' });
    expect(half.body.analysis).toMatchObject({ version: 2, headline: 'Hakata night market yatai stalls' });
    expect((await fx.h.call('GET', '/items/44444444-4444-4444-8444-444444444444')).status).toBe(404);
  });
});
