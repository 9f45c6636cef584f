import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { createApp } from '../../src/api/app.js';
import { preferredEncoding } from '../../src/api/compressed.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';

/**
 * Issue 15 part 3: what the browser gets for the web app's files and /docs — compression,
 * caching of hashed assets, security headers. A small built app of its own in a temp folder.
 */
let db: PGliteDatabase;
let h: Harness;
let dist: string;
let app: ReturnType<typeof createApp>;
const script = `export const greeting = ${JSON.stringify('hello collections '.repeat(400))};\n`;

beforeAll(async () => {
  db = await openTestDatabase();
  h = await createHarness(db);
  dist = await mkdtemp(path.join(tmpdir(), 'web-dist-'));
  await mkdir(path.join(dist, 'assets'));
  await writeFile(
    path.join(dist, 'index.html'),
    '<!doctype html><title>Collections</title><script type="module" src="/assets/index-3f9a1c.js"></script>',
  );
  await writeFile(path.join(dist, 'assets', 'index-3f9a1c.js'), script);
  await writeFile(path.join(dist, 'assets', 'tiny-77aa01.css'), 'body{margin:0}');
  app = createApp(h.services, { web: { distDir: dist } });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await db?.close();
  await rm(dist, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => app.request(url, { headers });
const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe('the web app’s files', () => {
  it('sends hashed scripts brotli- or gzip-compressed, as the client asks, cached for good', async () => {
    const br = await get('/assets/index-3f9a1c.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const brBody = await bytes(br);
    expect(Number(br.headers.get('content-length'))).toBe(brBody.length);
    expect(brBody.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(brBody).toString()).toBe(script);

    const gz = await get('/assets/index-3f9a1c.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(await bytes(gz)).toString()).toBe(script);

    const plain = await get('/assets/index-3f9a1c.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    expect((await bytes(plain)).toString()).toBe(script);
  });

  it('leaves files too small to gain as they are', async () => {
    const res = await get('/assets/tiny-77aa01.css', { 'accept-encoding': 'br' });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect((await bytes(res)).toString()).toBe('body{margin:0}');
  });

  it('serves the page with its security headers and no caching', async () => {
    const res = await get('/', { accept: 'text/html' });
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('/docs', () => {
  it('has a content security policy, nosniff, a referrer policy and no framing', async () => {
    const res = await get('/docs');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // Every script the page loads is a file of this server, allowed by script-src 'self'.
    const html = await res.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('sends Swagger UI’s 1.7 MB bundle compressed', async () => {
    const res = await get('/docs/assets/swagger-ui-bundle.js', { 'accept-encoding': 'br' });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await bytes(res);
    expect(body.length).toBeLessThan(600_000);
    expect(brotliDecompressSync(body).toString()).toContain('SwaggerUIBundle');
  });
});

describe('preferredEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0.5, br;q=0', 'gzip'],
    ['*', 'br'],
    ['identity', null],
    ['', null],
    [undefined, null],
  ])('%j → %j', (header, expected) => {
    expect(preferredEncoding(header)).toBe(expected);
  });
});
