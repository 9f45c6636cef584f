import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { solidImage } from '../helpers/images.js';
import { startJwtIssuer } from '../helpers/jwt-issuer.js';

/** Two users in `jwt` mode: each sees only their own items, analyses, images and keys. */
let db: PGliteDatabase;
let h: Harness;
let issuer: Awaited<ReturnType<typeof startJwtIssuer>>;
let alice: Record<string, string>;
let bob: Record<string, string>;
let aliceItem: any;

beforeAll(async () => {
  db = await openTestDatabase();
  issuer = await startJwtIssuer();
  h = await createHarness(db, { AUTH_MODE: 'jwt', JWT_ISSUER: issuer.issuer, JWT_JWKS_URL: issuer.jwksUrl, JWT_AUDIENCE: 'collections' });
  alice = { authorization: `Bearer ${await issuer.sign({ sub: 'alice', aud: 'collections' })}` };
  bob = { authorization: `Bearer ${await issuer.sign({ sub: 'bob', aud: 'collections' })}` };
  const up = await h.upload(await solidImage('png', 1), 'alice.png', alice);
  expect(up.status).toBe(201);
  await h.services.bus.idle();
  aliceItem = (await h.call('GET', `/items/${up.body.id}`, { headers: alice })).body;
  expect(aliceItem.status).toBe('ready');
});
afterAll(async () => {
  await h?.close();
  await issuer?.close();
  await db?.close();
});

describe('jwt mode', () => {
  it('rejects requests without a valid token, but health and version stay open', async () => {
    for (const headers of [{}, { authorization: 'Bearer nonsense' }, { authorization: 'Basic YTpi' }] as Record<string, string>[]) {
      const r = await h.call('GET', '/items', { headers });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('unauthorized');
    }
    const health = await h.call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.item_count).toBeNull();
    expect((await h.call('GET', '/health', { headers: alice })).body.item_count).toBe(1);
    expect((await h.call('GET', '/version')).status).toBe(200);
  });

  it('user B gets 404 for everything of user A', async () => {
    const id = aliceItem.id;
    const analysisId = aliceItem.analysis.id;
    for (const url of [
      `/items/${id}`,
      `/items/${id}/image`,
      `/items/${id}/thumbnail`,
      `/items/${id}/analyses`,
      `/analyses/${analysisId}`,
    ]) {
      expect((await h.call('GET', url, { headers: alice })).status, url).toBe(200);
      const r = await h.call('GET', url, { headers: bob });
      expect(r.status, url).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect((await h.call('POST', `/items/${id}/analyze`, { headers: bob, json: { force_reanalyze: true } })).status).toBe(404);
    expect((await h.call('POST', `/items/${id}/retry`, { headers: bob })).status).toBe(404);
    expect((await h.call('DELETE', `/items/${id}`, { headers: bob })).status).toBe(404);
    expect((await h.call('GET', '/items', { headers: bob })).body.total).toBe(0);
    expect((await h.call('GET', '/categories', { headers: bob })).body).toMatchObject({ total: 0, categories: [] });
    expect((await h.call('GET', '/categories', { headers: alice })).body).toMatchObject({ total: 1, categories: [{ count: 1 }] });
    expect((await h.call('GET', '/health', { headers: bob })).body.item_count).toBe(0);
    expect((await h.call('GET', `/items/${id}`, { headers: alice })).status).toBe(200);
  });

  it('the same bytes uploaded by B become B’s own item, stored under B’s keys', async () => {
    const up = await h.upload(await solidImage('png', 1), 'bob.png', bob);
    expect(up.status).toBe(201);
    expect(up.body.duplicate).toBe(false);
    expect(up.body.id).not.toBe(aliceItem.id);
    await h.services.bus.idle();
    const rows = await db.query<{ user_id: string; original_key: string; thumbnail_key: string }>(
      'SELECT user_id, original_key, thumbnail_key FROM items ORDER BY created_at',
    );
    expect(rows.rows).toHaveLength(2);
    for (const r of rows.rows) {
      expect(r.original_key.startsWith(`${r.user_id}/originals/`)).toBe(true);
      expect(r.thumbnail_key.startsWith(`${r.user_id}/thumbnails/`)).toBe(true);
    }
    const owners = await db.query<{ user_id: string }>('SELECT DISTINCT user_id FROM search_rows ORDER BY user_id');
    expect(owners.rows.map((r) => r.user_id)).toEqual(['alice', 'bob']);
    expect((await h.call('GET', '/items', { headers: alice })).body.total).toBe(1);
  });
});
