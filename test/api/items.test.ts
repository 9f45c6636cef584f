import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { PermanentError } from '../../src/domain/errors.js';
import { openTestDatabase, resetDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { screenshotPng, solidImage } from '../helpers/images.js';

let db: PGliteDatabase;
let h: Harness;

beforeAll(async () => {
  db = await openTestDatabase();
  h = await createHarness(db);
});
afterAll(async () => {
  await h?.close();
  await db?.close();
});
beforeEach(async () => {
  await h.services.bus.idle();
  await resetDatabase(db);
  h.vision.setScript([{}]);
});

const expectError = (r: { status: number; body: any }, status: number, code?: string) => {
  expect(r.status).toBe(status);
  expect(r.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  if (code) expect(r.body.error.code).toBe(code);
};

async function uploadAndWait(bytes: Buffer, name = 'shot.png') {
  const up = await h.upload(bytes, name);
  expect(up.status).toBe(201);
  await h.services.bus.idle();
  return (await h.call('GET', `/items/${up.body.id}`)).body;
}

describe('upload and the pipeline', () => {
  it('stores an upload, moves it to ready and returns its analysis and images', async () => {
    const png = await screenshotPng(['Ichiran Ramen', 'Open 10:00 - 22:00']);
    const up = await h.upload(png, 'ramen.png');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ duplicate: false, original_filename: 'ramen.png', mime_type: 'image/png' });
    expect(['uploaded', 'processing', 'analyzed', 'ready']).toContain(up.body.status);

    await h.services.bus.idle();
    const item = (await h.call('GET', `/items/${up.body.id}`)).body;
    expect(item.status).toBe('ready');
    expect(item).toMatchObject({ width: 750, height: 1334, category: 'Food', thumbnail_url: `/items/${up.body.id}/thumbnail` });
    expect(item.analysis).toMatchObject({ version: 1, provider: 'scripted', model: 'scripted-v1', headline: 'Ichiran Ramen in Fukuoka' });
    expect(item.analysis.raw.image_details.extracted_text).toContain('Ichiran Ramen');

    const original = await h.call('GET', item.image_url);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/png');
    expect(Buffer.compare(original.body, png)).toBe(0);

    const thumb = await h.call('GET', item.thumbnail_url);
    const meta = await sharp(thumb.body).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width!, meta.height!)).toBe(512);

    const row = await db.query<{ embedding_model: string; document: string }>(
      'SELECT embedding_model, document FROM search_rows WHERE item_id = $1',
      [up.body.id],
    );
    expect(row.rows[0]?.embedding_model).toBe(h.services.embedder.id);
    expect(row.rows[0]?.document).toContain('Ichiran Ramen');
  });

  it('returns the existing item for byte-identical uploads instead of a second copy', async () => {
    const png = await solidImage('png', 7);
    const first = await h.upload(png, 'a.png');
    const second = await h.upload(png, 'b.png');
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, duplicate: true });
    expect((await h.call('GET', '/items')).body.total).toBe(1);
  });

  it.each(['png', 'jpeg', 'webp', 'gif'] as const)('accepts %s and records its real type', async (format) => {
    const item = await uploadAndWait(await solidImage(format, 11), `x.${format}`);
    expect(item.status).toBe('ready');
    expect(item.mime_type).toBe(`image/${format}`);
  });

  it('accepts an iPhone HEIC, thumbnails it and keeps its EXIF capture time and GPS', async () => {
    const heic = await readFile(new URL('../image/fixtures/sample.heic', import.meta.url));
    const item = await uploadAndWait(heic, 'IMG_0001.HEIC');
    expect(item).toMatchObject({ status: 'ready', mime_type: 'image/heic', width: 60, height: 40 });
    expect(item.captured_at).toMatch(/^2024-05-06T07:08:09/);
    expect(item.gps.latitude).toBeCloseTo(-33.8599, 3);
    expect(item.gps.longitude).toBeCloseTo(151.2113, 3);
    const thumb = await h.call('GET', item.thumbnail_url);
    expect((await sharp(thumb.body).metadata()).format).toBe('webp');
    expect(h.vision.calls.at(-1)?.mimeType).not.toBe('image/heic');
  });

  it('fails an item after retries when the provider keeps failing, keeps the original, and retries on request', async () => {
    h.vision.setScript([new Error('429 rate limited'), new Error('429 rate limited'), new Error('429 rate limited'), {}]);
    const item = await uploadAndWait(await solidImage('png', 21));
    expect(item).toMatchObject({ status: 'failed', failed_step: 'analyze' });
    expect(item.error).toContain('429 rate limited');
    expect(item.error).toContain('after 3 attempts');
    expect(h.vision.calls).toHaveLength(3);
    expect((await h.call('GET', item.image_url)).status).toBe(200);

    const retried = await h.call('POST', `/items/${item.id}/retry`);
    expect(retried.status).toBe(202);
    await h.services.bus.idle();
    const after = (await h.call('GET', `/items/${item.id}`)).body;
    expect(after).toMatchObject({ status: 'ready', error: null, failed_step: null });
    expect(after.analysis.version).toBe(1);
  });

  it('succeeds when a transient provider error clears within the retries', async () => {
    h.vision.setScript([new Error('503 overloaded'), {}]);
    const item = await uploadAndWait(await solidImage('png', 22));
    expect(item.status).toBe('ready');
    expect(h.vision.calls).toHaveLength(2);
  });

  it('does not retry a reply that failed validation, and says why', async () => {
    h.vision.setScript([new PermanentError('vision model reply failed the analysis schema: headline: required')]);
    const item = await uploadAndWait(await solidImage('png', 23));
    expect(item.status).toBe('failed');
    expect(item.error).toContain('headline');
    expect(h.vision.calls).toHaveLength(1);
  });

  it('refuses to retry an item that has not failed', async () => {
    const item = await uploadAndWait(await solidImage('png', 24));
    expectError(await h.call('POST', `/items/${item.id}/retry`), 409, 'not_failed');
  });
});

describe('bad uploads get a clear 4xx and store nothing', () => {
  const cases: [string, () => Promise<Uint8Array>, number, string][] = [
    ['a text file named .png', async () => new TextEncoder().encode('hello, I am not an image'), 415, 'unsupported_media_type'],
    [
      'an SVG',
      async () => new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      415,
      'unsupported_media_type',
    ],
    ['an empty file', async () => new Uint8Array(0), 400, 'empty_file'],
    [
      'a truncated JPEG',
      async () => {
        const jpg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#836' } })
          .jpeg()
          .toBuffer();
        return jpg.subarray(0, Math.floor(jpg.length / 2));
      },
      400,
      'invalid_image',
    ],
  ];
  it.each(cases)('%s', async (_name, make, status, code) => {
    expectError(await h.upload(await make(), 'bad.png'), status, code);
    expect((await h.call('GET', '/items')).body.total).toBe(0);
  });

  it('a request without a file field', async () => {
    const form = new FormData();
    form.append('other', 'x');
    expectError(await h.call('POST', '/items', { body: form }), 400, 'missing_file');
  });

  it('a JSON body instead of multipart', async () => {
    const r = await h.call('POST', '/items', { json: { file: 'x' } });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error.code).toEqual(expect.any(String));
  });
});

describe('limits', () => {
  let small: Harness;
  beforeAll(async () => {
    small = await createHarness(db, { MAX_UPLOAD_BYTES: '20000', MAX_IMAGE_PIXELS: '10000' });
  });
  afterAll(async () => small?.close());

  it('answers 413 for an upload over the size limit', async () => {
    const big = await sharp({ create: { width: 90, height: 90, channels: 3, background: '#123' } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const noisy = Buffer.concat([big, Buffer.alloc(30_000, 1)]);
    expectError(await small.upload(noisy), 413, 'payload_too_large');
  });

  it('answers 400 for more pixels than the limit (decompression bombs)', async () => {
    const png = await solidImage('png', 3, { width: 200, height: 200 });
    expectError(await small.upload(png), 400, 'image_too_large');
  });
});

describe('reading items', () => {
  it('lists newest first with total, paging and filters', async () => {
    h.vision.setScript([{ category: 'Travel', headline: 'Kurokawa Onsen' }]);
    const a = await uploadAndWait(await solidImage('png', 31));
    h.vision.setScript([{ category: 'Food', headline: 'Ichiran Ramen' }]);
    const b = await uploadAndWait(await solidImage('png', 32));
    const c = await uploadAndWait(await solidImage('png', 33));

    const all = (await h.call('GET', '/items')).body;
    expect(all.total).toBe(3);
    expect(all.items.map((i: any) => i.id)).toEqual([c.id, b.id, a.id]);
    // Each item carries its live analysis's category and headline (the grid's card titles).
    expect(all.items.map((i: any) => [i.category, i.headline])).toEqual([
      ['Food', 'Ichiran Ramen'],
      ['Food', 'Ichiran Ramen'],
      ['Travel', 'Kurokawa Onsen'],
    ]);

    const page = (await h.call('GET', '/items?limit=1&offset=1')).body;
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.items.map((i: any) => i.id)).toEqual([b.id]);

    // The filters and their counts, in one call.
    expect((await h.call('GET', '/categories')).body).toEqual({
      total: 3,
      by_status: { uploaded: 0, processing: 0, analyzed: 0, ready: 3, failed: 0 },
      categories: [
        { category: 'Food', count: 2 },
        { category: 'Travel', count: 1 },
      ],
    });

    const travel = (await h.call('GET', '/items?category=travel')).body;
    expect(travel.items.map((i: any) => i.id)).toEqual([a.id]);
    expect((await h.call('GET', '/items?status=failed')).body.total).toBe(0);
    expect((await h.call('GET', '/items?status=ready')).body.total).toBe(3);
  });

  it.each(['/items?limit=101', '/items?limit=0', '/items?limit=abc', '/items?offset=-1', '/items?status=bogus'])(
    'rejects %s with 400',
    async (url) => expectError(await h.call('GET', url), 400, 'invalid_request'),
  );

  it.each([
    '/items/not-a-uuid',
    '/items/00000000-0000-4000-8000-000000000000',
    '/items/abc/image',
    '/items/00000000-0000-4000-8000-000000000000/thumbnail',
    '/analyses/xyz',
    '/items/abc/analyses',
    '/nope',
  ])('404 for %s', async (url) => expectError(await h.call('GET', url), 404));
});

describe('analyses', () => {
  it('returns the live analysis unless forced, then adds a version', async () => {
    const item = await uploadAndWait(await solidImage('png', 41));
    const same = await h.call('POST', `/items/${item.id}/analyze`);
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(1);

    h.vision.setScript([{ headline: 'Re-read: Ichiran Ramen Tenjin' }]);
    const forced = await h.call('POST', `/items/${item.id}/analyze`, { json: { force_reanalyze: true } });
    expect(forced.status).toBe(201);
    expect(forced.body).toMatchObject({ version: 2, headline: 'Re-read: Ichiran Ramen Tenjin' });
    await h.services.bus.idle();

    const versions = (await h.call('GET', `/items/${item.id}/analyses`)).body.analyses;
    expect(versions.map((v: any) => v.version)).toEqual([2, 1]);
    const one = await h.call('GET', `/analyses/${versions[1].id}`);
    expect(one.body).toMatchObject({ id: versions[1].id, version: 1 });
    const detail = (await h.call('GET', `/items/${item.id}`)).body;
    expect(detail).toMatchObject({ status: 'ready', analysis: { version: 2 } });
    const row = await db.query<{ analysis_id: string }>('SELECT analysis_id::text AS analysis_id FROM search_rows WHERE item_id = $1', [
      item.id,
    ]);
    expect(row.rows[0]?.analysis_id).toBe(forced.body.id);
  });

  it('keeps the live analysis and answers 502 when a forced re-analysis fails', async () => {
    const item = await uploadAndWait(await solidImage('png', 42));
    h.vision.setScript([new Error('500 upstream exploded')]);
    const r = await h.call('POST', `/items/${item.id}/analyze`, { json: { force_reanalyze: true } });
    expectError(r, 502, 'provider_error');
    const detail = (await h.call('GET', `/items/${item.id}`)).body;
    expect(detail).toMatchObject({ status: 'ready', analysis: { version: 1 } });
  });

  it('answers 400 when asked for a provider that has no key configured', async () => {
    const item = await uploadAndWait(await solidImage('png', 44));
    const r = await h.call('POST', `/items/${item.id}/analyze`, { json: { force_reanalyze: true, provider: 'anthropic' } });
    expectError(r, 400, 'provider_not_configured');
    expect(r.body.error.message).toContain('ANTHROPIC_API_KEY');
  });

  it.each([
    ['malformed JSON', '{"force_reanalyze": tru'],
    ['a wrong type', '{"force_reanalyze": "yes"}'],
    ['an unknown provider', '{"provider": "skynet"}'],
    ['an unknown field', '{"forse": true}'],
  ])('answers 400 for %s', async (_name, body) => {
    const item = await uploadAndWait(await solidImage('png', 43));
    const r = await h.call('POST', `/items/${item.id}/analyze`, { body, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });
});

describe('delete', () => {
  it('removes the rows, the search row and both objects', async () => {
    const item = await uploadAndWait(await solidImage('png', 51));
    const stored = await db.query<{ original_key: string; thumbnail_key: string }>(
      'SELECT original_key, thumbnail_key FROM items WHERE id = $1',
      [item.id],
    );
    const keys = stored.rows[0]!;
    expect(await h.services.store.exists(keys.original_key)).toBe(true);

    const r = await h.call('DELETE', `/items/${item.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ deleted: true, id: item.id });
    expectError(await h.call('GET', `/items/${item.id}`), 404);
    expect(await h.services.store.exists(keys.original_key)).toBe(false);
    expect(await h.services.store.exists(keys.thumbnail_key)).toBe(false);
    for (const table of ['analyses', 'search_rows']) {
      const left = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE item_id = $1`, [item.id]);
      expect(left.rows[0]?.n).toBe(0);
    }
    expectError(await h.call('DELETE', `/items/${item.id}`), 404);
  });
});

describe('system endpoints and docs', () => {
  it('health reports status, version, database kind and the caller’s item count', async () => {
    await uploadAndWait(await solidImage('png', 61));
    const r = await h.call('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', database: 'pglite', item_count: 1, version: expect.any(String) });
  });

  it('version reports git sha, tag, build time and environment', async () => {
    const r = await h.call('GET', '/version');
    expect(r.body).toMatchObject({ git_sha: expect.any(String), build_time: expect.any(String), environment: 'local' });
    expect(Number.isNaN(Date.parse(r.body.build_time))).toBe(false);
  });

  it('serves an OpenAPI 3.1 document with every route, and offline docs', async () => {
    const doc = (await h.call('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/health',
      '/version',
      '/items',
      '/items/{id}',
      '/items/{id}/analyze',
      '/items/{id}/analyses',
      '/analyses/{id}',
      '/items/{id}/image',
      '/items/{id}/thumbnail',
      '/items/{id}/retry',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.components.schemas.Error).toBeDefined();
    const page = await h.call('GET', '/docs');
    expect(page.status).toBe(200);
    const html = page.body.toString();
    expect(html).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await h.call('GET', '/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
    expectError(await h.call('GET', '/docs/assets/..%2Fpackage.json'), 404);
  });
});
