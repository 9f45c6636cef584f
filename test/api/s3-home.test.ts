import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { solidImage } from '../helpers/images.js';

/**
 * The app configured only through the environment (S3_BUCKET, S3_ENDPOINT,
 * S3_FORCE_PATH_STYLE, AWS credentials as the SDK reads them) against an S3-compatible
 * server on loopback: upload, pipeline, images and delete all go through S3.
 */
let s3: S3rver;
let s3Dir: string;
let db: PGliteDatabase;
let h: Harness;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  s3Dir = await mkdtemp(path.join(tmpdir(), 'collections-s3home-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: 'collections-test' }] });
  const { port } = await s3.run();
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  db = await openTestDatabase();
  h = await createHarness(db, {
    S3_BUCKET: 'collections-test',
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_FORCE_PATH_STYLE: 'true',
  });
});
afterAll(async () => {
  await h?.close();
  await db?.close();
  await s3?.close();
  if (s3Dir) await rm(s3Dir, { recursive: true, force: true });
  process.env.AWS_ACCESS_KEY_ID = saved.id;
  process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
});

describe('the app on an S3 object store', () => {
  it('stores originals and thumbnails under the user’s keys in the bucket, and deletes them', async () => {
    expect(h.services.store.kind).toBe('s3');
    const png = await solidImage('png', 5, { width: 900, height: 600 });
    const up = await h.upload(png, 'photo.png');
    expect(up.status).toBe(201);
    await h.services.bus.idle();
    const item = (await h.call('GET', `/items/${up.body.id}`)).body;
    expect(item.status).toBe('ready');

    const original = await h.services.store.get(`local/originals/${item.id}.png`);
    expect(original && Buffer.compare(original, png)).toBe(0);
    expect(await h.services.store.exists(`local/thumbnails/${item.id}.webp`)).toBe(true);
    expect((await h.call('GET', item.thumbnail_url)).status).toBe(200);

    expect((await h.call('DELETE', `/items/${item.id}`)).status).toBe(200);
    expect(await h.services.store.exists(`local/originals/${item.id}.png`)).toBe(false);
    expect(await h.services.store.exists(`local/thumbnails/${item.id}.webp`)).toBe(false);
  });
});
