import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { solidImage } from '../helpers/images.js';
import { s3ObjectCreated } from '../aws/helpers/events.js';
import { postForm } from '../aws/helpers/s3.js';
import { EVENT_PATTERNS } from '../../src/contracts/aws.js';
import { matchesPattern, type EventPattern } from '../aws/helpers/event-pattern.js';
import { ANALYSIS, startAwsHome, type AwsHome } from './helpers/aws-home.js';

/**
 * Faults in the AWS home: a step that keeps failing propagates its error (Lambda retries the
 * event) and marks the item failed on the last attempt; a permanent failure fails the item at
 * once without a retry; a publish lost after the work is re-announced by the retry; direct
 * uploads that are duplicates, not images, or have no row yet. One user (AUTH_MODE=local).
 */
let home: AwsHome;
let seed = 1;

beforeAll(async () => {
  home = await startAwsHome();
});
afterAll(async () => home?.stop());
beforeEach(() => {
  home.vision.reply({ text: JSON.stringify(ANALYSIS) });
  home.aws.failNextEntries(0);
});

async function row(id: string) {
  const r = await home.pglite.query<{ status: string; error: string | null; failed_step: string | null; attempts: number; sha256: string }>(
    'SELECT status, error, failed_step, attempts, sha256 FROM items WHERE id = $1',
    [id],
  );
  return r.rows[0];
}

/** POST /items/uploads + the form POST; returns the item id and S3's event for the object. */
async function upload(bytes?: Buffer, contentType = 'image/png') {
  const body = bytes ?? (await solidImage('png', seed++, { width: 320, height: 200 }));
  const started = await home.api({
    method: 'POST',
    url: '/items/uploads',
    json: { filename: 'x.png', content_type: contentType, size: body.length },
  });
  expect(started.status).toBe(201);
  expect((await postForm(started.body.upload, body, contentType)).status).toBe(204);
  const key: string = started.body.upload.fields.key;
  return { id: started.body.item.id as string, key, event: home.s3.created.find((e) => e.detail.object.key === key)! };
}

async function processed() {
  const { id, event } = await upload();
  expect(await home.processImage(event, home.ctx('image-processor'))).toMatchObject({ outcome: 'done' });
  return { id, event, imageProcessed: home.deliveredLast('ImageProcessed', id) };
}

describe('a step that keeps failing', () => {
  it('throws for Lambda to retry, counts the attempts, and fails the item on the last one', async () => {
    const { id, imageProcessed } = await processed();
    home.vision.reply({ status: 500, error: 'overloaded for a moment' });

    for (const attempt of [1, 2]) {
      await expect(home.analyze(imageProcessed, home.ctx('analyzer'))).rejects.toThrow(/HTTP 500|overloaded/);
      expect(await row(id)).toMatchObject({ status: 'processing', attempts: attempt, failed_step: null });
    }
    // The last attempt: the item says why, and the error still propagates (to the DLQ).
    await expect(home.analyze(imageProcessed, home.ctx('analyzer'))).rejects.toThrow(/overloaded/);
    const failed = await row(id);
    expect(failed).toMatchObject({ status: 'failed', failed_step: 'analyze', attempts: 0 });
    expect(failed?.error).toMatch(/overloaded for a moment \(after 3 attempts\)/);
    expect(home.published('AnalysisComplete', id)).toEqual([]);

    // POST /items/{id}/retry puts it back through EventBridge, with all its attempts again.
    home.vision.reply({ text: JSON.stringify(ANALYSIS) });
    const retried = await home.api({ method: 'POST', url: `/items/${id}/retry` });
    expect([retried.status, retried.body.status]).toEqual([202, 'processing']);
    expect(home.published('ImageProcessed', id)).toHaveLength(2);
    await home.analyze(home.deliveredLast('ImageProcessed', id), home.ctx('analyzer'));
    await home.embed(home.deliveredLast('AnalysisComplete', id), home.ctx('embedder'));
    expect(await row(id)).toMatchObject({ status: 'ready', error: null, attempts: 0 });
  });

  it('fails the item at once on a permanent error, without asking Lambda to retry', async () => {
    const { id, imageProcessed } = await processed();
    home.vision.reply({ status: 400, error: 'image could not be read' });
    expect(await home.analyze(imageProcessed, home.ctx('analyzer'))).toEqual({ outcome: 'failed', item_id: id });
    const failed = await row(id);
    expect(failed).toMatchObject({ status: 'failed', failed_step: 'analyze' });
    expect(failed?.error).toMatch(/HTTP 400.*image could not be read/);
    expect(failed?.error).not.toMatch(/attempts/);
  });

  it('re-announces work a failed try finished but could not publish', async () => {
    const { id, event } = await upload();
    home.aws.failNextEntries(3); // every PutEvents try of this invocation
    await expect(home.processImage(event, home.ctx('image-processor'))).rejects.toThrow(/EventBridge refused the ImageProcessed/);
    expect(await row(id)).toMatchObject({ status: 'processing', attempts: 1 });
    expect(home.published('ImageProcessed', id)).toEqual([]);

    // Lambda's retry: the step itself has nothing left to do; the event goes out now.
    expect(await home.processImage(event, home.ctx('image-processor'))).toMatchObject({ outcome: 'done' });
    expect(home.published('ImageProcessed', id)).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'processing', attempts: 0 });
    // And a third delivery announces nothing more.
    await home.processImage(event, home.ctx('image-processor'));
    expect(home.published('ImageProcessed', id)).toHaveLength(1);
  });
});

describe('direct uploads', () => {
  it('a second upload of the same bytes fails, naming the item that has them, however often it is delivered', async () => {
    const png = await solidImage('png', 9001, { width: 100, height: 100 });
    const first = await upload(png);
    await home.processImage(first.event, home.ctx('image-processor'));
    const second = await upload(png);
    for (let i = 0; i < 2; i++) {
      expect(await home.processImage(second.event, home.ctx('image-processor'))).toEqual({ outcome: 'failed', item_id: second.id });
      expect(await row(second.id)).toMatchObject({
        status: 'failed',
        failed_step: 'process_image',
        error: `duplicate: this image is already in the collection as item ${first.id}`,
      });
    }
    expect((await row(second.id))?.sha256).toBe(`pending:${second.id}`);
    expect(home.published('ImageProcessed', second.id)).toEqual([]);
  });

  it('bytes that are not an image fail the item; retried with an image, it goes through ImageUploaded', async () => {
    const { id, key, event } = await upload(Buffer.from('%PDF-1.7 definitely not a png'));
    expect(await home.processImage(event, home.ctx('image-processor'))).toEqual({ outcome: 'failed', item_id: id });
    expect(await row(id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/not a supported image/) });

    // The object is replaced, and the user retries: the API publishes ImageUploaded.
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ region: 'us-east-1', endpoint: home.s3.endpoint, forcePathStyle: true });
    await s3.send(
      new PutObjectCommand({ Bucket: home.s3.bucket, Key: key, Body: await solidImage('png', 31337), ContentType: 'image/png' }),
    );
    s3.destroy();
    expect((await home.api({ method: 'POST', url: `/items/${id}/retry` })).status).toBe(202);
    const uploaded = home.deliveredLast('ImageUploaded', id);
    expect(uploaded.source).toBe('collections.api');
    expect(matchesPattern(EVENT_PATTERNS.imageProcessorFromApi(home.s3.bucket) as EventPattern, uploaded)).toBe(true);
    expect(matchesPattern(EVENT_PATTERNS.imageProcessor(home.s3.bucket) as EventPattern, uploaded)).toBe(false);
    expect(await home.processImage(uploaded, home.ctx('image-processor'))).toEqual({ outcome: 'done', item_id: id });
    expect((await row(id))?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an object whose row is not there yet is retried; a late one, a thumbnail or another bucket is ignored', async () => {
    const key = `local/originals/${randomUUID()}.png`;
    await expect(home.processImage(s3ObjectCreated(home.s3.bucket, key), home.ctx('image-processor'))).rejects.toThrow(
      /no item for the new object/,
    );
    const late = s3ObjectCreated(home.s3.bucket, key, { time: new Date(Date.now() - 10 * 60_000) });
    expect(await home.processImage(late, home.ctx('image-processor'))).toMatchObject({ outcome: 'ignored' });
    expect(
      await home.processImage(s3ObjectCreated(home.s3.bucket, `local/thumbnails/${randomUUID()}.webp`), home.ctx('image-processor')),
    ).toEqual({
      outcome: 'ignored',
      reason: 'not an original image key',
    });
    expect(await home.processImage(s3ObjectCreated('another-bucket', key), home.ctx('image-processor'))).toMatchObject({
      outcome: 'ignored',
    });
  });
});

describe('malformed events', () => {
  it('are refused with a reason (they end in the DLQ, where an operator sees them)', async () => {
    const { imageProcessed } = await processed();
    await expect(home.analyze({ ...imageProcessed, detail: { item_id: 'nope' } }, home.ctx('analyzer'))).rejects.toThrow(
      /not an ImageProcessed event: detail.item_id/,
    );
    await expect(home.analyze({ ...imageProcessed, source: 'someone.else' }, home.ctx('analyzer'))).rejects.toThrow(/source/);
    await expect(home.embed(imageProcessed, home.ctx('embedder'))).rejects.toThrow(/not an AnalysisComplete event/);
    await expect(home.processImage({ source: 'aws.s3', detail: {} }, home.ctx('image-processor'))).rejects.toThrow(
      /not an S3 Object Created event/,
    );
  });
});
