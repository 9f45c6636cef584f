import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../src/adapters/object-store/s3.js';
import { describeObjectStoreContract } from './contract.js';

// A real S3-compatible server on loopback; s3rver checks signatures against S3RVER/S3RVER.
const BUCKET = 'test-bucket';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
let server: S3rver;
let endpoint: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'collections-s3rver-'));
  server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: dataDir,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const s3Store = (bucket = BUCKET) => new S3ObjectStore({ bucket, region: 'us-east-1', endpoint, forcePathStyle: true, credentials });

describeObjectStoreContract('S3ObjectStore', () => s3Store());

describe('S3ObjectStore against s3rver', () => {
  it('sends object tags as the signed x-amz-tagging header of the same PutObject', async () => {
    // s3rver accepts the header but does not keep it, so the request itself is what is checked.
    const store = s3Store();
    const sent: Record<string, string>[] = [];
    store.client.middlewareStack.add(
      (next) => async (args) => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'finalizeRequest', name: 'captureHeaders', priority: 'low' },
    );
    await store.put('u1/thumbnails/tagged.webp', Buffer.from('webp'), 'image/webp', { tags: { kind: 'thumbnail' } });
    await store.put('u1/originals/untagged.png', Buffer.from('png'), 'image/png');
    expect(sent[0]!['x-amz-tagging']).toBe('kind=thumbnail');
    expect(sent[0]!.authorization).toMatch(/SignedHeaders=[^,]*x-amz-tagging/);
    expect(sent[1]!['x-amz-tagging']).toBeUndefined();
    expect(await store.get('u1/thumbnails/tagged.webp')).toEqual(Buffer.from('webp'));
  });

  it('stores the content type', async () => {
    const store = s3Store();
    await store.put('u1/originals/typed.png', Buffer.from('png'), 'image/png');
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    const head = await store.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'u1/originals/typed.png' }));
    expect(head.ContentType).toBe('image/png');
  });

  it('throws, rather than answering "missing", when the bucket does not exist', async () => {
    const store = s3Store('no-such-bucket');
    await expect(store.get('u1/originals/x.jpg')).rejects.toThrow(/bucket/i);
  });

  it('refuses an empty bucket name', () => {
    expect(() => new S3ObjectStore({ bucket: '', region: 'us-east-1' })).toThrow(/S3_BUCKET/);
  });
});
