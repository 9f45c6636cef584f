import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import { S3ObjectStore } from '../../src/adapters/object-store/s3.js';
import { StepClaimsRepository } from '../../src/repositories/step-claims.js';
import type { CognitoUser } from '../aws/helpers/cognito-local.js';
import { lambdaContext } from '../aws/helpers/events.js';
import { postForm } from '../aws/helpers/s3.js';
import { startFakeProviderServer, type FakeProviderServer } from '../embedder/fake-provider-server.js';
import { solidImage } from '../helpers/images.js';
import { ANALYSIS, claimsOf, startAwsHome, type AwsHome } from './helpers/aws-home.js';

/**
 * At-least-once delivery, exactly-once effects: EventBridge and Lambda's async queue may hand the
 * same event to two invocations at once. Each step claims the item in Postgres
 * (src/repositories/step-claims.ts), so two concurrent deliveries of the same S3 event make one
 * thumbnail, one vision call, one analysis version and one embedding, and publish each next
 * event once. Slow scripted providers make the two invocations overlap.
 */
let home: AwsHome;
let embeddings: FakeProviderServer;
let alice: CognitoUser;
const as = (user: CognitoUser) => ({ token: user.accessToken, claims: claimsOf(user.accessToken) });
const DIMENSIONS = 1024;

beforeAll(async () => {
  // Voyage's embeddings API on loopback, answering after 300 ms, counting calls.
  embeddings = await startFakeProviderServer((req) => ({
    delayMs: 300,
    body: {
      object: 'list',
      data: (req.body.input as string[]).map((_, index) => ({
        object: 'embedding',
        index,
        embedding: [1, ...new Array<number>(DIMENSIONS - 1).fill(0)],
      })),
      model: req.body.model,
      usage: { total_tokens: 10 },
    },
  }));
  home = await startAwsHome({
    cognito: true,
    env: { EMBEDDING_PROVIDER: 'voyage', VOYAGE_BASE_URL: `${embeddings.baseUrl}/v1`, VOYAGE_API_KEY: 'voyage-test-key' },
  });
  home.vision.reply({ text: JSON.stringify(ANALYSIS), delayMs: 400 });
  alice = await home.cognito!.createUser('alice@example.com');
}, 240_000);
afterAll(async () => {
  await home?.stop();
  await embeddings?.close();
});

const documentEmbeddings = () => embeddings.requests.filter((r) => r.body.input_type === 'document').length;

describe('two concurrent deliveries of every event', () => {
  it('make one thumbnail, one vision call, one analysis version and one embedding', async () => {
    const png = await solidImage('png', 31337, { width: 300, height: 200 });
    const started = await home.api({
      method: 'POST',
      url: '/items/uploads',
      ...as(alice),
      json: { filename: 'twice.png', content_type: 'image/png', size: png.length },
    });
    const itemId: string = started.body.item.id;
    expect((await postForm(started.body.upload, png, 'image/png')).status).toBe(204);
    const created = home.s3.created.find((e) => e.detail.object.key === started.body.upload.fields.key)!;

    // The same S3 event, delivered twice at once (two invocations: two request ids).
    const processed = await Promise.all([
      home.processImage(created, lambdaContext('collections-test-image-processor')),
      home.processImage(created, lambdaContext('collections-test-image-processor')),
    ]);
    expect(processed.map((r) => ('outcome' in r ? r.outcome : null)).sort()).toEqual(['done', 'duplicate']);
    expect(home.published('ImageProcessed', itemId)).toHaveLength(1);
    const thumbnailWrites = home.s3.created.filter((e) => e.detail.object.key === `${alice.sub}/thumbnails/${itemId}.webp`);
    expect(thumbnailWrites).toHaveLength(1);

    const imageProcessed = home.deliveredLast('ImageProcessed', itemId);
    const visionBefore = home.vision.requests.length;
    const analyzed = await Promise.all([
      home.analyze(imageProcessed, lambdaContext('collections-test-analyzer')),
      home.analyze(imageProcessed, lambdaContext('collections-test-analyzer')),
    ]);
    expect(analyzed.map((r) => r.outcome).sort()).toEqual(['done', 'duplicate']);
    expect(home.vision.requests.length - visionBefore).toBe(1);
    const versions = await home.api({ method: 'GET', url: `/items/${itemId}/analyses`, ...as(alice) });
    expect(versions.body.analyses ?? versions.body).toHaveLength(1);
    expect(home.published('AnalysisComplete', itemId)).toHaveLength(1);

    const analysisComplete = home.deliveredLast('AnalysisComplete', itemId);
    const embeddingsBefore = documentEmbeddings();
    const embedded = await Promise.all([
      home.embed(analysisComplete, lambdaContext('collections-test-embedder')),
      home.embed(analysisComplete, lambdaContext('collections-test-embedder')),
    ]);
    expect(embedded.map((r) => r.outcome).sort()).toEqual(['done', 'duplicate']);
    expect(documentEmbeddings() - embeddingsBefore).toBe(1);
    expect(home.published('ItemIndexed', itemId)).toHaveLength(1);

    const item = await home.api({ method: 'GET', url: `/items/${itemId}`, ...as(alice) });
    expect(item.body.status).toBe('ready');
    // Claims are released when their step ends: nothing is left holding the item.
    expect((await home.pglite.query('SELECT * FROM step_claims WHERE item_id = $1', [itemId])).rows).toHaveLength(0);

    // A late third delivery, after the work is done, finds it done and does nothing.
    const visionNow = home.vision.requests.length;
    expect(await home.analyze(imageProcessed, lambdaContext('collections-test-analyzer'))).toMatchObject({ outcome: 'done' });
    expect(home.vision.requests.length).toBe(visionNow);
    expect(home.published('AnalysisComplete', itemId)).toHaveLength(1);
  });
});

describe('an item deleted while the analyzer reads it', () => {
  it('ends the step as gone: no analysis, no failure, no retry, nothing left in the bucket', async () => {
    const png = await solidImage('png', 31338, { width: 300, height: 200 });
    const started = await home.api({
      method: 'POST',
      url: '/items/uploads',
      ...as(alice),
      json: { filename: 'gone.png', content_type: 'image/png', size: png.length },
    });
    const itemId: string = started.body.item.id;
    expect((await postForm(started.body.upload, png, 'image/png')).status).toBe(204);
    const created = home.s3.created.find((e) => e.detail.object.key === started.body.upload.fields.key)!;
    expect(await home.processImage(created, lambdaContext('collections-test-image-processor'))).toMatchObject({ outcome: 'done' });

    // The vision call takes 400 ms; the user deletes the item meanwhile.
    const analyzing = home.analyze(home.deliveredLast('ImageProcessed', itemId), lambdaContext('collections-test-analyzer'));
    await new Promise((r) => setTimeout(r, 150));
    expect((await home.api({ method: 'DELETE', url: `/items/${itemId}`, ...as(alice) })).status).toBe(200);
    expect(await analyzing).toMatchObject({ outcome: 'gone' });

    expect((await home.pglite.query('SELECT 1 FROM analyses WHERE item_id = $1', [itemId])).rows).toHaveLength(0);
    expect((await home.pglite.query('SELECT 1 FROM step_claims WHERE item_id = $1', [itemId])).rows).toHaveLength(0);
    expect(home.published('AnalysisComplete', itemId)).toHaveLength(0);
    const bucket = new S3ObjectStore({
      bucket: home.s3.bucket,
      region: 'us-east-1',
      endpoint: home.s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    for (const key of [`${alice.sub}/thumbnails/${itemId}.webp`, started.body.upload.fields.key as string]) {
      expect(await bucket.exists(key), key).toBe(false);
    }
  });
});

describe('step claims', () => {
  let db: PGlite;
  let claims: StepClaimsRepository;
  const ITEM = '44444444-4444-4444-8444-444444444444';
  const ref = { item_id: ITEM, user_id: 'alice', step: 'analyze' as const };

  beforeAll(async () => {
    db = home.pglite;
    claims = new StepClaimsRepository(db);
    await db.query(
      `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256, original_key)
       VALUES ($1, 'alice', 'f.png', 'f.png', 'image/png', 1, 'claims-test', 'alice/originals/f.png')`,
      [ITEM],
    );
  });

  it('lets one holder in; a Lambda retry (same request id) takes its own claim back; another waits for expiry', async () => {
    expect(await claims.claim(ref, 'request-1', 60_000)).toEqual({ claimed: true });
    expect(await claims.claim(ref, 'request-2', 60_000)).toMatchObject({ claimed: false, reason: 'held', holder: 'request-1' });
    // request-1 crashed; Lambda retries its event with the same request id.
    expect(await claims.claim(ref, 'request-1', 60_000)).toEqual({ claimed: true });
    // Its claim lapses (the holder is gone for good): anyone may take the step.
    await db.query(`UPDATE step_claims SET expires_at = now() - interval '1 second' WHERE item_id = $1`, [ITEM]);
    expect(await claims.claim(ref, 'request-3', 60_000)).toEqual({ claimed: true });
    // A release by someone who no longer holds it changes nothing.
    await claims.release(ref, 'request-1');
    expect(await claims.claim(ref, 'request-2', 60_000)).toMatchObject({ claimed: false, holder: 'request-3' });
    await claims.release(ref, 'request-3');
    expect(await claims.claim(ref, 'request-2', 60_000)).toEqual({ claimed: true });
  });

  it('are per step and per owner; an item of another user or a deleted item cannot be claimed', async () => {
    expect(await claims.claim({ ...ref, step: 'embed' }, 'request-9', 60_000)).toEqual({ claimed: true });
    expect(await claims.claim({ ...ref, user_id: 'mallory' }, 'request-9', 60_000)).toEqual({ claimed: false, reason: 'gone' });
    await db.query('DELETE FROM items WHERE id = $1', [ITEM]);
    expect((await db.query('SELECT * FROM step_claims WHERE item_id = $1', [ITEM])).rows).toHaveLength(0);
    expect(await claims.claim(ref, 'request-2', 60_000)).toEqual({ claimed: false, reason: 'gone' });
  });
});
