import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_PATTERNS } from '../../src/contracts/aws.js';
import type { CognitoUser } from '../aws/helpers/cognito-local.js';
import { matchesPattern, type EventPattern } from '../aws/helpers/event-pattern.js';
import { postForm } from '../aws/helpers/s3.js';
import { solidImage } from '../helpers/images.js';
import { OPENAI_KEY, claimsOf, startAwsHome, type AwsHome } from './helpers/aws-home.js';

/**
 * One image through the AWS home, across every handler boundary: the API handler (API Gateway
 * event, Cognito token) creates the item and a presigned POST; the bytes go to S3 (s3rver);
 * S3's "Object Created" reaches the image processor; each handler's PutEvents is captured and
 * delivered to the next handler as its rule would; the item ends `ready` and is found by
 * POST /search through the API handler. Then: duplicate delivery, and two users kept apart.
 */
let home: AwsHome;
let alice: CognitoUser;
let bob: CognitoUser;
let png: Buffer;
let itemId: string;
const pattern = (p: unknown) => p as EventPattern;

const as = (user: CognitoUser) => ({ token: user.accessToken, claims: claimsOf(user.accessToken) });

beforeAll(async () => {
  home = await startAwsHome({ cognito: true });
  alice = await home.cognito!.createUser('alice@example.com');
  bob = await home.cognito!.createUser('bob@example.com');
  png = await solidImage('png', 4242, { width: 640, height: 480 });
});
afterAll(async () => home?.stop());

describe('an upload through the Lambdas', () => {
  it('runs upload → S3 → image-processor → analyzer → embedder, and the item is ready and searchable', async () => {
    const started = await home.api({
      method: 'POST',
      url: '/items/uploads',
      ...as(alice),
      json: { filename: 'ramen.png', content_type: 'image/png', size: png.length },
    });
    expect(started.status).toBe(201);
    itemId = started.body.item.id;
    const key = started.body.upload.fields.key;
    expect(key).toBe(`${alice.sub}/originals/${itemId}.png`);

    expect((await postForm(started.body.upload, png, 'image/png')).status).toBe(204);
    const objectCreated = home.s3.created.find((e) => e.detail.object.key === key)!;
    expect(matchesPattern(pattern(EVENT_PATTERNS.imageProcessor(home.s3.bucket)), objectCreated)).toBe(true);

    expect(await home.processImage(objectCreated, home.ctx('image-processor'))).toEqual({ outcome: 'done', item_id: itemId });
    const imageProcessed = home.deliveredLast('ImageProcessed', itemId);
    expect(matchesPattern(pattern(EVENT_PATTERNS.analyzer(home.s3.bucket)), imageProcessed)).toBe(true);
    expect(matchesPattern(pattern(EVENT_PATTERNS.embedder(home.s3.bucket)), imageProcessed)).toBe(false);
    expect(imageProcessed.detail).toEqual({
      item_id: itemId,
      user_id: alice.sub,
      original_key: key,
      thumbnail_key: `${alice.sub}/thumbnails/${itemId}.webp`,
    });

    expect(await home.analyze(imageProcessed, home.ctx('analyzer'))).toEqual({ outcome: 'done', item_id: itemId });
    // The key came from Parameter Store, never from the function's environment.
    expect(home.vision.requests.at(-1)?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(process.env.OPENAI_API_KEY).toBeUndefined();
    const analysisComplete = home.deliveredLast('AnalysisComplete', itemId);
    expect(matchesPattern(pattern(EVENT_PATTERNS.embedder(home.s3.bucket)), analysisComplete)).toBe(true);

    expect(await home.embed(analysisComplete, home.ctx('embedder'))).toEqual({ outcome: 'done', item_id: itemId });
    const indexed = home.deliveredLast('ItemIndexed', itemId);
    for (const rule of [
      EVENT_PATTERNS.imageProcessor(home.s3.bucket),
      EVENT_PATTERNS.analyzer(home.s3.bucket),
      EVENT_PATTERNS.embedder(home.s3.bucket),
    ]) {
      expect(matchesPattern(pattern(rule), indexed)).toBe(false);
    }

    const item = await home.api({ method: 'GET', url: `/items/${itemId}`, ...as(alice) });
    expect(item.status).toBe(200);
    expect(item.body).toMatchObject({
      status: 'ready',
      sha256: createHash('sha256').update(png).digest('hex'), // the placeholder is gone
      file_size: png.length,
      width: 640,
      height: 480,
      analysis: { headline: 'Ichiran Ramen in Fukuoka', provider: 'openai' },
    });
    const thumb = await home.api({ method: 'GET', url: `/items/${itemId}/thumbnail`, ...as(alice) });
    expect(thumb.status).toBe(200);

    const found = await home.api({ method: 'POST', url: '/search', ...as(alice), json: { query: 'ramen in fukuoka' } });
    expect(found.status).toBe(200);
    expect(found.body.results.map((r: { item_id: string }) => r.item_id)).toEqual([itemId]);
  });

  it('changes nothing when every event is delivered again', async () => {
    const before = await home.api({ method: 'GET', url: `/items/${itemId}`, ...as(alice) });
    const visionCalls = home.vision.requests.length;
    const events = home.aws.events.length;
    const objectCreated = home.s3.created.find((e) => e.detail.object.key.includes(itemId))!;

    await home.processImage(objectCreated, home.ctx('image-processor'));
    await home.analyze(home.deliveredLast('ImageProcessed', itemId), home.ctx('analyzer'));
    await home.embed(home.deliveredLast('AnalysisComplete', itemId), home.ctx('embedder'));

    expect(home.aws.events.length).toBe(events); // nothing published again
    expect(home.vision.requests.length).toBe(visionCalls); // no second analysis
    const after = await home.api({ method: 'GET', url: `/items/${itemId}`, ...as(alice) });
    expect(after.body).toEqual(before.body);
    const versions = await home.api({ method: 'GET', url: `/items/${itemId}/analyses`, ...as(alice) });
    expect(versions.body.analyses).toHaveLength(1);
  });
});

describe('two Cognito users through the API handler', () => {
  it('each sees only their own items, objects and search results', async () => {
    expect((await home.api({ method: 'GET', url: `/items/${itemId}`, ...as(bob) })).status).toBe(404);
    expect((await home.api({ method: 'GET', url: `/items/${itemId}/image`, ...as(bob) })).status).toBe(404);
    expect((await home.api({ method: 'DELETE', url: `/items/${itemId}`, ...as(bob) })).status).toBe(404);
    expect((await home.api({ method: 'GET', url: '/items', ...as(bob) })).body).toMatchObject({ total: 0, items: [] });
    const search = await home.api({ method: 'POST', url: '/search', ...as(bob), json: { query: 'ramen in fukuoka' } });
    expect(search.body.results).toEqual([]);

    // Bob's own upload lands under his prefix, whatever he names it.
    const mine = await home.api({
      method: 'POST',
      url: '/items/uploads',
      ...as(bob),
      json: { filename: `../${alice.sub}/x.png`, content_type: 'image/png', size: 10 },
    });
    expect(mine.body.upload.fields.key).toBe(`${bob.sub}/originals/${mine.body.item.id}.png`);
    expect((await home.api({ method: 'GET', url: '/items', ...as(alice) })).body.total).toBe(1);
  });

  it('takes the user from the verified token, not from the authorizer claims alone', async () => {
    // Claims claiming to be Alice, with Bob's token: the app reads Bob (the token it verified).
    const spoofed = await home.api({ method: 'GET', url: `/items/${itemId}`, token: bob.accessToken, claims: claimsOf(alice.accessToken) });
    expect(spoofed.status).toBe(404);
    // No token (a route without the authorizer, or a direct invoke): 401, even with claims.
    const bare = await home.api({ method: 'GET', url: '/items', claims: claimsOf(alice.accessToken) });
    expect([bare.status, bare.body.error.code]).toEqual([401, 'unauthorized']);
    const other = await home.cognito!.otherPool();
    const mallory = await other.createUser('mallory@example.com');
    expect((await home.api({ method: 'GET', url: '/items', ...as(mallory) })).status).toBe(401);
    // The open routes stay open.
    expect((await home.api({ method: 'GET', url: '/health' })).status).toBe(200);
  });
});
