import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/shared/config.js';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { screenshotPng } from '../helpers/images.js';

/**
 * The whole local home as a user meets it: the real server on a loopback port, PGlite in a
 * data directory, files on disk, offline OCR (PaddleOCR) and the local embedder. Upload over HTTP, wait
 * for `ready`, read the analysis.
 */
let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'collections-e2e-'));
  server = await startServer(loadConfig({ COLLECTIONS_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' }));
});
afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function waitForStatus(id: string, done: (s: string) => boolean, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  const seen: string[] = [];
  for (;;) {
    const item = await (await fetch(`${server.url}/items/${id}`)).json();
    if (seen.at(-1) !== item.status) seen.push(item.status);
    if (done(item.status)) return { item, seen };
    if (Date.now() > until) throw new Error(`item stuck in ${item.status}: ${item.error ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('local server end to end', () => {
  it('uploads a screenshot over HTTP, reaches ready and reads its text', async () => {
    const png = await screenshotPng([
      'Ichiran Ramen Fukuoka',
      'Open daily 10:00 - 22:00',
      'Tonkotsu ramen from 980 yen',
      '#ramen #fukuoka',
    ]);
    const form = new FormData();
    form.append('file', new File([new Uint8Array(png)], 'IMG_0001.PNG', { type: 'image/png' }));
    const res = await fetch(`${server.url}/items`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const created = await res.json();

    const { item, seen } = await waitForStatus(created.id, (s) => s === 'ready' || s === 'failed');
    expect(item.error).toBeNull();
    expect(item.status).toBe('ready');
    expect(seen.at(-1)).toBe('ready');

    const analysis = item.analysis;
    expect(analysis).toMatchObject({ provider: 'local', version: 1 });
    const text = analysis.raw.image_details.extracted_text.join('\n').toLowerCase();
    expect(text).toContain('ichiran');
    expect(text).toContain('ramen');
    expect(analysis.headline.toLowerCase()).toContain('ichiran');
    expect(analysis.category).toBe('Food');

    const health = await (await fetch(`${server.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: 'pglite', item_count: 1 });
    const thumb = await fetch(`${server.url}${item.thumbnail_url}`);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
  });

  it('answers malformed input with JSON errors, never a 500', async () => {
    const bad = await fetch(`${server.url}/items`, {
      method: 'POST',
      body: 'not multipart',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect((await bad.json()).error.code).toEqual(expect.any(String));
  });
});
