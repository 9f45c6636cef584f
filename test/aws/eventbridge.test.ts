import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../../src/adapters/event-bus/index.js';
import { loadConfig } from '../../src/shared/config.js';
import { EVENT_PATTERNS } from '../../src/contracts/aws.js';
import { EventBridgeEventBus } from '../../src/adapters/event-bus/eventbridge.js';
import { objectKeys } from '../../src/domain/item.js';
import { startAwsJsonServer, type AwsJsonServer } from './helpers/aws-json-server.js';
import { matchesPattern, type EventPattern } from './helpers/event-pattern.js';
import { delivered, s3ObjectCreated } from './helpers/events.js';

let aws: AwsJsonServer;
let bus: EventBridgeEventBus;
const ITEM = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const USER = '398008b5-56ea-4541-bbc1-38b3f1f3024a';

beforeAll(async () => {
  aws = await startAwsJsonServer();
  vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', aws.endpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  const created = createEventBus(
    loadConfig({ EVENT_BUS: 'eventbridge', EVENT_BUS_NAME: 'collections-dev', S3_BUCKET: 'collections-dev-images' }),
  );
  expect(created).toBeInstanceOf(EventBridgeEventBus);
  bus = created as EventBridgeEventBus;
});
afterAll(async () => {
  await bus?.close();
  await aws?.close();
  vi.unstubAllEnvs();
});

describe('EventBridgeEventBus', () => {
  it('puts one event per publish: Source from EVENT_SOURCES, DetailType = type, Detail = JSON, the bucket in Resources', async () => {
    const detail = {
      item_id: ITEM,
      user_id: USER,
      original_key: `${USER}/originals/${ITEM}.png`,
      thumbnail_key: `${USER}/thumbnails/${ITEM}.webp`,
    };
    await bus.publish({ type: 'ImageProcessed', detail });
    const [call] = aws.callsOf('AWSEvents.PutEvents').slice(-1);
    expect(call?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(call?.headers.authorization).toMatch(/Credential=test\/\d{8}\/us-east-1\/events\/aws4_request/);
    expect(call?.body.Entries).toEqual([
      {
        EventBusName: 'collections-dev',
        Source: 'collections.imageprocessor',
        DetailType: 'ImageProcessed',
        Detail: JSON.stringify(detail),
        Resources: ['arn:aws:s3:::collections-dev-images'],
      },
    ]);
  });

  it('retries entries EventBridge reports as failed, then throws naming the event', async () => {
    aws.failNextEntries(1);
    const before = aws.events.length;
    await bus.publish({ type: 'ItemIndexed', detail: { item_id: ITEM, user_id: USER } });
    expect(aws.events.length).toBe(before + 1);

    aws.failNextEntries(3, 'InternalFailure');
    await expect(bus.publish({ type: 'ItemIndexed', detail: { item_id: ITEM, user_id: USER } })).rejects.toThrow(
      /refused the ItemIndexed event for item 7c9e6679.*InternalFailure/,
    );
    aws.failNextEntries(0);
  });

  it('has no in-process subscribers (rules deliver events) and is always idle', async () => {
    expect(() => bus.subscribe('ImageProcessed', async () => {})).toThrow(/rule/);
    await expect(bus.idle()).resolves.toBeUndefined();
  });
});

describe('EventBridge patterns of the stack (src/contracts/aws.ts)', () => {
  const bucket = 'collections-dev-images';
  const processor = EVENT_PATTERNS.imageProcessor(bucket) as unknown as EventPattern;

  it('route S3 "Object Created" of an original to the image processor, and nothing else', () => {
    const original = s3ObjectCreated(bucket, objectKeys.original(USER, ITEM, 'png'));
    expect(matchesPattern(processor, original)).toBe(true);
    expect(matchesPattern(processor, s3ObjectCreated(bucket, objectKeys.thumbnail(USER, ITEM)))).toBe(false);
    expect(matchesPattern(processor, s3ObjectCreated('someone-elses-bucket', objectKeys.original(USER, ITEM, 'png')))).toBe(false);
    expect(matchesPattern(processor, { ...original, 'detail-type': 'Object Deleted' })).toBe(false);
    // Both pipeline rules ignore S3 events.
    expect(matchesPattern(EVENT_PATTERNS.analyzer(bucket) as unknown as EventPattern, original)).toBe(false);
  });

  it('route each event a step publishes to the next step only', async () => {
    const before = aws.events.length;
    await bus.publish({ type: 'ImageProcessed', detail: { item_id: ITEM, user_id: USER, original_key: 'k', thumbnail_key: 't' } });
    await bus.publish({ type: 'AnalysisComplete', detail: { item_id: ITEM, user_id: USER, analysis_id: ITEM } });
    await bus.publish({ type: 'ItemIndexed', detail: { item_id: ITEM, user_id: USER } });
    const [processed, analyzed, indexed] = aws.events.slice(before).map(delivered);
    const analyzer = EVENT_PATTERNS.analyzer(bucket) as unknown as EventPattern;
    const embedder = EVENT_PATTERNS.embedder(bucket) as unknown as EventPattern;
    expect([matchesPattern(analyzer, processed), matchesPattern(embedder, processed), matchesPattern(processor, processed)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([matchesPattern(analyzer, analyzed), matchesPattern(embedder, analyzed)]).toEqual([false, true]);
    expect([matchesPattern(analyzer, indexed), matchesPattern(embedder, indexed), matchesPattern(processor, indexed)]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("keep environments sharing the default bus apart: a rule takes only its own bucket's events", async () => {
    const testBus = createEventBus(loadConfig({ EVENT_BUS: 'eventbridge', S3_BUCKET: 'collections-test-images', AWS_REGION: 'us-east-1' }));
    const before = aws.events.length;
    await testBus.publish({ type: 'ImageProcessed', detail: { item_id: ITEM, user_id: USER, original_key: 'k', thumbnail_key: 't' } });
    await bus.publish({ type: 'ImageProcessed', detail: { item_id: ITEM, user_id: USER, original_key: 'k', thumbnail_key: 't' } });
    await testBus.close();
    const [fromTest, fromDev] = aws.events.slice(before).map(delivered);
    const devAnalyzer = EVENT_PATTERNS.analyzer(bucket) as unknown as EventPattern;
    const testAnalyzer = EVENT_PATTERNS.analyzer('collections-test-images') as unknown as EventPattern;
    expect([matchesPattern(devAnalyzer, fromDev), matchesPattern(devAnalyzer, fromTest)]).toEqual([true, false]);
    expect([matchesPattern(testAnalyzer, fromTest), matchesPattern(testAnalyzer, fromDev)]).toEqual([true, false]);
    // Another partition's ARN of the same bucket still matches (the pattern's partition is a wildcard).
    expect(matchesPattern(devAnalyzer, { ...fromDev, resources: ['arn:aws-cn:s3:::collections-dev-images'] })).toBe(true);
  });

  it('the matcher follows EventBridge semantics for the filters it implements', () => {
    const event = { source: 'aws.s3', detail: { key: 'u/originals/x.png', tags: ['a', 'b'], n: 3 } };
    expect(matchesPattern({ detail: { key: [{ wildcard: '*/originals/*' }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { key: [{ wildcard: '*/thumbnails/*' }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { key: [{ prefix: 'u/' }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { key: [{ suffix: '.webp' }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { tags: ['b'] } }, event)).toBe(true); // any element of an array
    expect(matchesPattern({ detail: { n: [3] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { missing: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { missing: ['x'] } }, event)).toBe(false);
    expect(matchesPattern({ source: [{ 'anything-but': 'aws.s3' }] }, event)).toBe(false);
    expect(matchesPattern({ nested: { deeper: ['x'] } }, event)).toBe(false);
  });
});
