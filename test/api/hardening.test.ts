import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { solidImage } from '../helpers/images.js';

/**
 * Issue 15: what an attacker or an old collections-local client sends. The real app over one
 * PGlite; no chat model is configured (no key), which is what a fresh install has.
 */
let db: PGliteDatabase;
let h: Harness;

beforeAll(async () => {
  db = await openTestDatabase();
  h = await createHarness(db);
}, 60_000);
afterAll(async () => {
  await h?.close();
  await db?.close();
});

const expectError = (r: { status: number; body: any }, status: number, code?: string) => {
  expect(r.status).toBe(status);
  expect(r.body.error).toMatchObject({ code: code ?? expect.any(String), message: expect.any(String) });
};

/** A body that arrives without a Content-Length, in chunks: the limit must hold while reading. */
function streamedBody(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(`{"query":"${'a'.repeat(1000)}`);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.length;
    },
  });
}

describe('body limits, enforced before the body is parsed', () => {
  it.each([
    ['/search', 64 * 1024],
    ['/chat', 256 * 1024],
    ['/chat/stream', 256 * 1024],
    ['/items/uploads', 64 * 1024],
  ])('%s: over %i bytes → 413 with the error shape', async (url, limit) => {
    const body = JSON.stringify({ query: 'x'.repeat(limit), message: 'x' });
    const r = await h.call('POST', url, { body, headers: { 'content-type': 'application/json' } });
    expectError(r, 413, 'payload_too_large');
    expect(r.body.error.message).toContain(`${limit / 1024} kB`);
  });

  it('stops a streamed body with no Content-Length once it passes the limit', async () => {
    const res = await h.app.request('/search', {
      method: 'POST',
      body: streamedBody(2 * 1024 * 1024),
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('lets a body under the limit through to validation', async () => {
    const r = await h.call('POST', '/search', { json: { query: 'ramen', top_k: 999 } });
    expectError(r, 400, 'invalid_request');
  });
});

describe('methods and validation', () => {
  it.each([
    ['PUT', '/items', ['GET', 'POST']],
    ['DELETE', '/search', ['POST']],
    ['PATCH', '/items/00000000-0000-4000-8000-000000000000', ['DELETE', 'GET']],
    ['POST', '/chat/sessions', ['GET']],
  ])('%s %s → 405 with Allow', async (method, url, allowed) => {
    const r = await h.call(method, url);
    expectError(r, 405, 'method_not_allowed');
    const allow = (r.headers.get('allow') ?? '').split(/,\s*/);
    expect(allow).toEqual(expect.arrayContaining(allowed));
  });

  it('still answers 404 for a path that is not there at all', async () => {
    expectError(await h.call('PUT', '/no-such-thing'), 404, 'not_found');
  });

  it('validates chat input before saying no chat model is configured', async () => {
    expectError(await h.call('POST', '/chat', { json: { message: '' } }), 400);
    expectError(await h.call('POST', '/chat', { json: { message: 'hi', top_k: 'ten' } }), 400);
    expectError(await h.call('POST', '/chat/stream', { body: '{"message": tru', headers: { 'content-type': 'application/json' } }), 400);
    // Valid input, no model: the availability error.
    const r = await h.call('POST', '/chat', { json: { message: 'hi' } });
    expect(r.status).toBe(503);
  });

  it.each([
    ['/search', { query: 'ramen', color: 'red' }],
    ['/chat', { message: 'hi', colour: 'red' }],
    ['/items/uploads', { filename: 'a.png', content_type: 'image/png', size: 10, extra: 1 }],
  ])('refuses unknown fields on %s (one policy for every JSON endpoint)', async (url, json) => {
    const r = await h.call('POST', url, { json });
    expectError(r, 400);
    expect(r.body.error.message).toMatch(/unrecognized|unknown/i);
  });
});

describe('duplicates', () => {
  it('returns the existing item in full: its category, headline and analysis', async () => {
    h.vision.setScript([{ category: 'Food', headline: 'Ichiran Ramen Fukuoka' }]);
    const png = await solidImage('png', 1501);
    const first = await h.upload(png, 'ramen.png');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ duplicate: false, analysis: null });
    await h.services.bus.idle();
    const again = await h.upload(png, 'ramen-again.png');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: first.body.id,
      duplicate: true,
      status: 'ready',
      category: 'Food',
      headline: 'Ichiran Ramen Fukuoka',
      analysis: { category: 'Food', headline: 'Ichiran Ramen Fukuoka' },
    });
  });
});

describe('collections-local compatibility', () => {
  it.each([
    ['bm25-lc', 'bm25'],
    ['vector-lc', 'vector'],
    ['hybrid-lc', 'hybrid'],
  ])('accepts search_type %s as %s', async (old, current) => {
    const r = await h.call('POST', '/search', { json: { query: 'ramen', search_type: old } });
    expect(r.status).toBe(200);
    expect(r.body.search_type).toBe(current);
  });

  it('serves GET /images/{filename} (the original) and DELETE /chat/sessions/{id}', async () => {
    const png = await solidImage('png', 1502);
    const up = await h.upload(png, 'shop.png');
    const image = await h.call('GET', `/images/${up.body.filename}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.compare(image.body as Buffer, Buffer.from(png))).toBe(0);
    expectError(await h.call('GET', '/images/not-a-file.png'), 404);
    expectError(await h.call('GET', '/images/..%2F..%2Fetc%2Fpasswd'), 404);

    // The route exists and answers as DELETE /chat/{id} does: here, that there is no such session.
    const del = await h.call('DELETE', '/chat/sessions/s-123');
    const direct = await h.call('DELETE', '/chat/s-123');
    expect(del).toMatchObject({ status: direct.status, body: direct.body });
    expect(del.body.error.message).not.toMatch(/no route/i);
  });

  it('documents the compatibility routes and aliases in the OpenAPI spec', async () => {
    const spec = (await h.call('GET', '/openapi.json')).body;
    expect(spec.paths['/images/{filename}']?.get).toBeDefined();
    expect(spec.paths['/chat/sessions/{session_id}']?.delete).toBeDefined();
    expect(JSON.stringify(spec.components.schemas.SearchRequest)).toContain('hybrid-lc');
  });
});
