import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { solidImage } from '../helpers/images.js';
import { startJwtIssuer } from '../helpers/jwt-issuer.js';

let db: PGliteDatabase;
let h: Harness;
let issuer: Awaited<ReturnType<typeof startJwtIssuer>>;
let operator: Record<string, string>;
let user: Record<string, string>;

beforeAll(async () => {
  db = await openTestDatabase();
  issuer = await startJwtIssuer();
  h = await createHarness(db, { AUTH_MODE: 'jwt', JWT_ISSUER: issuer.issuer, JWT_JWKS_URL: issuer.jwksUrl, ADMIN_USER_IDS: 'ops' });
  operator = { authorization: `Bearer ${await issuer.sign({ sub: 'ops' })}` };
  user = { authorization: `Bearer ${await issuer.sign({ sub: 'someone' })}` };
  for (const seed of [1, 2, 3]) expect((await h.upload(await solidImage('png', seed), 'x.png', user)).status).toBe(201);
  await h.services.bus.idle();
});
afterAll(async () => {
  await h?.close();
  await issuer?.close();
  await db?.close();
});

async function waitForReindex() {
  for (let i = 0; i < 200; i++) {
    const s = (await h.call('GET', '/admin/index/status', { headers: operator })).body;
    if (s.reindex?.state !== 'running') return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('reindex did not finish');
}

describe('admin', () => {
  it('is for operators only', async () => {
    for (const [method, url] of [
      ['GET', '/admin/index/status'],
      ['POST', '/admin/reindex'],
    ] as const) {
      const r = await h.call(method, url, { headers: user });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
  });

  it('reports items per status, rows per model, and rows needing work', async () => {
    const s = (await h.call('GET', '/admin/index/status', { headers: operator })).body;
    expect(s).toMatchObject({
      embedding_model: h.services.embedder.id,
      items_by_status: { ready: 3, failed: 0, uploaded: 0 },
      rows_by_embedding_model: [{ embedding_model: h.services.embedder.id, rows: 3 }],
      rows_missing_embedding: 0,
      rows_stale: 0,
      items_without_search_row: 0,
      reindex: null,
    });
  });

  it('rebuilds stale rows in the background and shows progress', async () => {
    await db.query(`UPDATE search_rows SET embedding_model = 'old/model' WHERE item_id IN (SELECT item_id FROM search_rows LIMIT 2)`);
    expect((await h.call('GET', '/admin/index/status', { headers: operator })).body.rows_stale).toBe(2);

    const started = await h.call('POST', '/admin/reindex', { headers: operator });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'running', embedding_model: h.services.embedder.id, all: false });

    const after = await waitForReindex();
    expect(after.reindex).toMatchObject({ state: 'done', total: 2, done: 2, failed: 0 });
    expect(after.rows_stale).toBe(0);

    // A row the same model made in an older revision (its lexicon or settings changed) is stale too.
    expect(h.services.embedder.revision).toEqual(expect.any(String));
    await db.query(`UPDATE search_rows SET embedder_revision = 'older' WHERE item_id IN (SELECT item_id FROM search_rows LIMIT 1)`);
    expect((await h.call('GET', '/admin/index/status', { headers: operator })).body.rows_stale).toBe(1);
    expect((await h.call('POST', '/admin/reindex', { headers: operator })).status).toBe(202);
    const refreshed = await waitForReindex();
    expect(refreshed.reindex).toMatchObject({ state: 'done', total: 1, done: 1 });
    expect(refreshed.rows_stale).toBe(0);

    const all = await h.call('POST', '/admin/reindex', { headers: operator, json: { all: true } });
    expect(all.status).toBe(202);
    expect((await waitForReindex()).reindex).toMatchObject({ state: 'done', all: true, total: 3, done: 3 });
  });

  it('rejects a malformed reindex request', async () => {
    const r = await h.call('POST', '/admin/reindex', { headers: operator, json: { everything: true } });
    expect(r.status).toBe(400);
  });
});
