import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { solidImage } from '../helpers/images.js';
import { UPLOAD_TICKET_SECONDS } from '../../src/adapters/object-store/s3-presigned-post.js';
import { postForm, startLocalS3, type LocalS3 } from './helpers/s3.js';

/**
 * POST /items/uploads on the S3 store (s3rver) and on the filesystem store. s3rver checks
 * neither presigned signatures nor policy conditions, so the policy S3 would enforce is decoded
 * and checked here, and its signature recomputed from the credentials.
 */
const MAX = 2 * 1024 * 1024;
const SECRET = 'S3RVER';
let s3: LocalS3;
let db: PGliteDatabase;
let onS3: Harness;
let onDisk: Harness;

beforeAll(async () => {
  s3 = await startLocalS3();
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', SECRET);
  db = await openTestDatabase();
  onS3 = await createHarness(db, { ...s3.env, MAX_UPLOAD_BYTES: String(MAX) });
  onDisk = await createHarness(db);
});
afterAll(async () => {
  await onS3?.close();
  await onDisk?.close();
  await db?.close();
  await s3?.stop();
  vi.unstubAllEnvs();
});

const start = (h: Harness, json: unknown) => h.call('POST', '/items/uploads', { json });

describe('POST /items/uploads', () => {
  it('creates the item first, then returns a form POST for exactly its key', async () => {
    const res = await start(onS3, { filename: 'C:\\photos\\ramen.png', content_type: 'image/png', size: 1234 });
    expect(res.status).toBe(201);
    const { item, upload } = res.body;
    expect(item).toMatchObject({
      status: 'uploaded',
      mime_type: 'image/png',
      original_filename: 'ramen.png',
      file_size: 1234,
      sha256: `pending:${item.id}`,
    });
    const key = `local/originals/${item.id}.png`;
    expect(upload).toMatchObject({ method: 'POST', url: `${s3.endpoint}/${s3.bucket}`, file_field: 'file', max_bytes: MAX });
    expect(upload.fields).toMatchObject({ key, 'Content-Type': 'image/png', 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' });
    const row = (await onS3.call('GET', `/items/${item.id}`)).body;
    expect(row.status).toBe('uploaded');
  });

  it('signs a policy that pins key, content type, size range and a short expiry', async () => {
    const { body } = await start(onS3, { filename: 'a.jpg', content_type: 'image/jpeg', size: 10 });
    const { fields, expires_at } = body.upload;
    const policy = JSON.parse(Buffer.from(fields.Policy, 'base64').toString('utf8'));
    const expiration = Date.parse(policy.expiration);
    expect(Math.abs(expiration - Date.parse(expires_at))).toBeLessThan(1000);
    expect(expiration - Date.now()).toBeGreaterThan((UPLOAD_TICKET_SECONDS - 30) * 1000);
    expect(expiration - Date.now()).toBeLessThanOrEqual(UPLOAD_TICKET_SECONDS * 1000);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { key: `local/originals/${body.item.id}.jpg` },
        { bucket: s3.bucket },
        { 'Content-Type': 'image/jpeg' },
        ['content-length-range', 1, MAX],
        { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
        { 'X-Amz-Credential': fields['X-Amz-Credential'] },
        { 'X-Amz-Date': fields['X-Amz-Date'] },
      ]),
    );
    // No condition leaves the key or type open (a starts-with on either would let a client
    // write another user's prefix or another type).
    expect(JSON.stringify(policy.conditions)).not.toMatch(/starts-with/);

    // The signature is SigV4's over the base64 policy, with the credential's scope.
    const [, date, region, service] = fields['X-Amz-Credential'].split('/');
    expect([region, service]).toEqual(['us-east-1', 's3']);
    const hmac = (k: Buffer | string, v: string) => createHmac('sha256', k).update(v).digest();
    const signingKey = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, date), region), service), 'aws4_request');
    expect(fields['X-Amz-Signature']).toBe(createHmac('sha256', signingKey).update(fields.Policy).digest('hex'));
  });

  it('the form stores the bytes under the key (and S3 announces the object)', async () => {
    const png = await solidImage('png', 77);
    const { body } = await start(onS3, { filename: 'x.png', content_type: 'image/png', size: png.length });
    const res = await postForm(body.upload, png, 'image/png');
    expect(res.status).toBe(204);
    const stored = await onS3.services.store.get(body.upload.fields.key);
    expect(stored && Buffer.compare(stored, png)).toBe(0);
    expect(s3.created.at(-1)?.detail.object.key).toBe(body.upload.fields.key);
    expect(s3.created.at(-1)?.detail.reason).toBe('POST Object');
  });

  it('answers 400 for unsupported types and sizes, and for a malformed request', async () => {
    for (const content_type of ['image/svg+xml', 'application/pdf', 'image/avif']) {
      const res = await start(onS3, { filename: 'x', content_type, size: 10 });
      expect([res.status, res.body.error.code]).toEqual([400, 'unsupported_media_type']);
    }
    const big = await start(onS3, { filename: 'x.png', content_type: 'image/png', size: MAX + 1 });
    expect([big.status, big.body.error.code]).toEqual([400, 'file_too_large']);
    for (const bad of [
      { filename: 'x.png', content_type: 'image/png' },
      { filename: 'x.png', content_type: 'image/png', size: 0 },
      { content_type: 'image/png', size: 5 },
    ]) {
      expect((await start(onS3, bad)).status).toBe(400);
    }
  });

  it('answers 503 on the filesystem store (laptop uploads go to POST /items)', async () => {
    const res = await start(onDisk, { filename: 'x.png', content_type: 'image/png', size: 10 });
    expect([res.status, res.body.error.code]).toEqual([503, 'direct_uploads_unavailable']);
    expect(res.body.error.message).toMatch(/POST \/items/);
  });
});
