import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { runImport } from '../../src/cli/importer/index.js';
import { openTestDatabase } from '../helpers/db.js';
import { screenshotPng, texturedImage } from '../helpers/images.js';
import { createTwoUserCollection, type TwoUserCollection } from '../helpers/two-user-collection.js';
import { readStoredZip } from '../helpers/unzip.js';

/**
 * What the web app's library tools stand on (issue 17): similar items, near-duplicate
 * warnings, date filters, and the export that round-trips through `collections import`.
 * Two users throughout: nothing of Bob's may show up in Alice's answers.
 */
let db: PGliteDatabase;
let c: TwoUserCollection;
let work: string;

beforeAll(async () => {
  db = await openTestDatabase();
  c = await createTwoUserCollection(db);
  work = await mkdtemp(path.join(tmpdir(), 'collection-tools-'));
});
afterAll(async () => {
  await c?.close();
  await db?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const asAlice = (method: string, url: string, init: { json?: unknown } = {}) => c.h.call(method, url, { ...init, headers: c.alice });
const asBob = (method: string, url: string, init: { json?: unknown } = {}) => c.h.call(method, url, { ...init, headers: c.bob });

describe('GET /items/{id}/similar', () => {
  it('lists the owner’s other items by meaning, most similar first, never another user’s', async () => {
    const r = await asAlice('GET', `/items/${c.ids.ramen}/similar?limit=10`);
    expect(r.status).toBe(200);
    const ids = r.body.items.map((i: { id: string }) => i.id);
    expect(ids).not.toContain(c.ids.ramen);
    expect(ids).not.toContain(c.ids.bobRamen);
    expect(new Set(ids)).toEqual(
      new Set(
        Object.entries(c.ids)
          .filter(([k]) => k !== 'ramen' && k !== 'bobRamen')
          .map(([, v]) => v),
      ),
    );
    const scores = r.body.items.map((i: { similarity: number }) => i.similarity);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(r.body.items[0]).toMatchObject({ headline: expect.any(String), thumbnail_url: expect.stringMatching(/^\/items\//) });
    expect((await asAlice('GET', `/items/${c.ids.ramen}/similar?limit=1`)).body.items).toHaveLength(1);
  });

  it('is 404 for another user’s item and 400 for a bad limit', async () => {
    expect((await asBob('GET', `/items/${c.ids.ramen}/similar`)).status).toBe(404);
    const bad = await asAlice('GET', `/items/${c.ids.ramen}/similar?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBeTruthy();
  });
});

describe('near-duplicate warnings (perceptual hash)', () => {
  it('warns when a re-encoded, resized copy is uploaded; not for a different picture or another user', async () => {
    const first = await texturedImage(1);
    const up = await c.h.upload(first, 'onsen.png', c.alice);
    expect(up.status).toBe(201);
    expect(up.body.near_duplicates).toEqual([]);
    await c.h.services.bus.idle();

    const copy = await sharp(first).resize(375).jpeg({ quality: 70 }).toBuffer();
    const again = await c.h.upload(copy, 'onsen-small.jpg', c.alice);
    expect(again.status).toBe(201);
    expect(again.body.duplicate).toBe(false);
    expect(again.body.near_duplicates).toEqual([
      expect.objectContaining({ id: up.body.id, distance: expect.any(Number), thumbnail_url: expect.stringMatching(/thumbnail$/) }),
    ]);
    expect(again.body.near_duplicates[0].distance).toBeLessThanOrEqual(9);
    await c.h.services.bus.idle();

    const other = await c.h.upload(await texturedImage(2), 'waves.png', c.alice);
    expect(other.body.near_duplicates).toEqual([]);
    // A white screen with a few words hashes to almost nothing: it warns of nothing.
    const plain = await c.h.upload(await screenshotPng(['Cursor', 'The AI code editor']), 'cursor.png', c.alice);
    const plainToo = await c.h.upload(await screenshotPng(['Le Labo', 'Santal 33']), 'perfume.png', c.alice);
    expect([plain.body.near_duplicates, plainToo.body.near_duplicates]).toEqual([[], []]);
    const bobs = await c.h.upload(await sharp(first).resize(500).png().toBuffer(), 'bob-onsen.png', c.bob);
    expect(bobs.status).toBe(201);
    expect(bobs.body.near_duplicates).toEqual([]);
    await c.h.services.bus.idle();

    // The item page can ask later (direct uploads learn it once processed).
    const later = await asAlice('GET', `/items/${again.body.id}/near-duplicates`);
    expect(later.body.near_duplicates.map((d: { id: string }) => d.id)).toEqual([up.body.id]);
    expect((await asBob('GET', `/items/${again.body.id}/near-duplicates`)).status).toBe(404);
  });

  it('is filled in by process_image for items that came without one (direct uploads, imports)', async () => {
    const up = await c.h.upload(await texturedImage(3), 'shade.png', c.alice);
    await c.h.services.bus.idle();
    await db.query('UPDATE items SET phash = NULL, thumbnail_key = NULL, status = $2 WHERE id = $1', [up.body.id, 'uploaded']);
    const { processImageStep } = await import('../../src/services/pipeline/steps.js');
    await processImageStep(c.h.services.steps, { item_id: up.body.id, user_id: 'alice' });
    const r = await db.query<{ phash: string | null }>('SELECT phash::text AS phash FROM items WHERE id = $1', [up.body.id]);
    expect(r.rows[0]?.phash).toMatch(/^[01]{64}$/);
  });
});

describe('date filters', () => {
  beforeAll(async () => {
    // Alice's four sample items on four days.
    const days = ['2026-03-01T10:00:00Z', '2026-03-05T23:30:00Z', '2026-03-06T00:10:00Z', '2026-04-01T12:00:00Z'];
    for (const [i, name] of ['ramen', 'onsen', 'cursor', 'perfume'].entries()) {
      await db.query('UPDATE items SET created_at = $2 WHERE id = $1', [c.ids[name], days[i]]);
    }
  });

  it('GET /items keeps the days asked for, inclusive', async () => {
    const r = await asAlice('GET', '/items?date_from=2026-03-05&date_to=2026-03-06&limit=50');
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { id: string }) => i.id)).toEqual([c.ids.cursor, c.ids.onsen]);
    expect(r.body.total).toBe(2);
    expect((await asAlice('GET', '/items?date_to=2026-03-01&limit=50')).body.items.map((i: { id: string }) => i.id)).toEqual([c.ids.ramen]);
  });

  it('search keeps the days asked for, in every search type', async () => {
    for (const search_type of ['bm25', 'vector', 'hybrid'] as const) {
      const all = await asAlice('POST', '/search', { json: { query: 'ramen noodles', search_type } });
      expect(
        all.body.results.map((r: { item_id: string }) => r.item_id),
        search_type,
      ).toContain(c.ids.ramen);
      const none = await asAlice('POST', '/search', { json: { query: 'ramen noodles', search_type, date_from: '2026-03-02' } });
      expect(none.status).toBe(200);
      expect(
        none.body.results.map((r: { item_id: string }) => r.item_id),
        search_type,
      ).not.toContain(c.ids.ramen);
      const only = await asAlice('POST', '/search', {
        json: { query: 'ramen noodles', search_type, date_from: '2026-03-01', date_to: '2026-03-01' },
      });
      expect(
        only.body.results.map((r: { item_id: string }) => r.item_id),
        search_type,
      ).toEqual([c.ids.ramen]);
    }
  });

  it('refuses a day that does not exist or is not YYYY-MM-DD', async () => {
    for (const bad of ['2026-02-30', '03/01/2026', '2026-3-1']) {
      expect((await asAlice('GET', `/items?date_from=${encodeURIComponent(bad)}`)).status, bad).toBe(400);
      const s = await asAlice('POST', '/search', { json: { query: 'ramen', date_to: bad } });
      expect(s.status, bad).toBe(400);
      expect(s.body.error.code).toBeTruthy();
    }
  });
});

describe('GET /export', () => {
  it('zips the owner’s collection in collections-local’s export format, and it imports back', async () => {
    const res = await c.h.app.request('/export', { headers: c.alice });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="collections-export-\d{4}-\d{2}-\d{2}\.zip"$/);
    const files = readStoredZip(Buffer.from(await res.arrayBuffer()));
    const database = JSON.parse(files.get('database.json')!.toString('utf8'));
    const aliceItems = await db.query<{ id: string; filename: string }>('SELECT id::text AS id, filename FROM items WHERE user_id = $1', [
      'alice',
    ]);
    expect(new Set(database.tables.items.map((i: { id: string }) => i.id))).toEqual(new Set(aliceItems.rows.map((r) => r.id)));
    expect(database.tables.items.map((i: { id: string }) => i.id)).not.toContain(c.ids.bobRamen);
    for (const row of aliceItems.rows) {
      const original = (await asAlice('GET', `/items/${row.id}/image`)).body as Buffer;
      expect(Buffer.compare(files.get(`images/${row.filename}`)!, original), row.filename).toBe(0);
    }
    const ramenAnalysis = database.tables.analyses.find((a: { item_id: string }) => a.item_id === c.ids.ramen);
    expect(JSON.parse(ramenAnalysis.raw_response).headline).toBe('Ichiran Ramen in Fukuoka: tonkotsu noodles open late');

    // Unzipped and imported for another user: the same items, analyses and bytes.
    const folder = path.join(work, 'export');
    await mkdir(path.join(folder, 'images'), { recursive: true });
    for (const [name, bytes] of files) await writeFile(path.join(folder, name), bytes);
    const report = await runImport(c.h.services, { format: 'export', source: path.join(folder, 'database.json'), user: 'carol' });
    expect(report.failed).toEqual([]);
    const carol = await db.query<{ headline: string; category: string; sha256: string }>(
      `SELECT a.headline, a.category, i.sha256 FROM items i JOIN analyses a ON a.item_id = i.id WHERE i.user_id = 'carol' ORDER BY 1, 2, 3`,
    );
    const alice = await db.query<{ headline: string; category: string; sha256: string }>(
      `SELECT a.headline, a.category, i.sha256 FROM items i JOIN analyses a ON a.item_id = i.id WHERE i.user_id = 'alice' ORDER BY 1, 2, 3`,
    );
    expect(carol.rows).toEqual(alice.rows);
  });

  it('exports only the ids asked for; unknown ids are 404 and malformed ones 400', async () => {
    const res = await c.h.app.request(`/export?ids=${c.ids.ramen},${c.ids.cursor}`, { headers: c.alice });
    const database = JSON.parse(
      readStoredZip(Buffer.from(await res.arrayBuffer()))
        .get('database.json')!
        .toString('utf8'),
    );
    expect(database.tables.items.map((i: { id: string }) => i.id).sort()).toEqual([c.ids.ramen, c.ids.cursor].sort());
    expect((await asAlice('GET', `/export?ids=${c.ids.bobRamen}`)).status).toBe(404);
    expect((await asAlice('GET', '/export?ids=not-an-id')).status).toBe(400);
    expect((await asAlice('GET', '/export?ids=,')).status).toBe(400);
  });
});
