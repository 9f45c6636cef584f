import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { createVisionProvider } from '../../src/adapters/vision/index.js';
import { loadConfig } from '../../src/shared/config.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { solidImage } from '../helpers/images.js';
import { FakeModelServer } from '../vision/fake-model-server.js';

/**
 * Issue 15 part 8, the provider half: the pipeline against a vision API that rate-limits,
 * breaks, hangs or answers garbage — the real Anthropic adapter over HTTP to a fake server on
 * loopback. Transient faults are retried; what keeps failing marks the item failed with a
 * reason a person can read; the original is never lost, and a retry after the fault clears
 * finishes the item.
 */
const validJson = JSON.stringify({
  category: 'Food',
  subcategories: ['Ramen'],
  headline: 'Ichiran Ramen in Fukuoka',
  summary: 'A ramen shop in Fukuoka.',
  media_metadata: { original_poster: null, tagged_accounts: [], location_tags: ['Fukuoka'], audio_source: null, hashtags: ['#ramen'] },
  image_details: {
    extracted_text: ['Ichiran Ramen'],
    objects: [],
    themes: ['food'],
    emotions: [],
    vibes: [],
    likely_source: 'Screenshot',
    key_interest: 'Ichiran Ramen',
    visual_hierarchy: [],
  },
});

let db: PGliteDatabase;
let h: Harness;
let api: FakeModelServer;

beforeAll(async () => {
  api = await new FakeModelServer('anthropic').start();
  db = await openTestDatabase();
  const env = {
    VISION_PROVIDER: 'anthropic',
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: api.baseUrl,
    PROVIDER_TIMEOUT_MS: '500',
    PIPELINE_MAX_ATTEMPTS: '3',
    PIPELINE_RETRY_BASE_MS: '5',
  };
  const config = loadConfig(env);
  const provider = createVisionProvider(config.vision, config.tracing);
  h = await createHarness(db, env, { vision: () => provider });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await db?.close();
  await api?.stop();
});

let seed = 1700;
async function uploadAndSettle() {
  const png = await solidImage('png', seed++, { width: 320, height: 240 });
  const up = await h.upload(png, 'fault.png');
  expect(up.status).toBe(201);
  await h.services.bus.idle();
  const item = (await h.call('GET', `/items/${up.body.id}`)).body;
  return { item, png };
}

async function originalKept(id: string, png: Buffer) {
  const image = await h.call('GET', `/items/${id}/image`);
  expect(image.status).toBe(200);
  expect(Buffer.compare(image.body as Buffer, png)).toBe(0);
}

describe('a vision API that misbehaves', () => {
  it('rate limited (429) twice, then answering: retried until the item is ready', async () => {
    api.reply(
      { status: 429, error: 'rate limited', headers: { 'retry-after': '0' } },
      { status: 429, error: 'rate limited', headers: { 'retry-after': '0' } },
      { text: validJson },
    );
    const { item } = await uploadAndSettle();
    expect(item).toMatchObject({ status: 'ready', error: null, analysis: { headline: 'Ichiran Ramen in Fukuoka', version: 1 } });
    expect(api.requests.length).toBeGreaterThanOrEqual(3);
  });

  it('failing (HTTP 500) on every try: failed with the reason, original kept; a retry once it recovers finishes it', async () => {
    api.reply({ status: 500, error: 'upstream exploded' });
    const { item, png } = await uploadAndSettle();
    expect(item.status).toBe('failed');
    expect(item.failed_step).toBe('analyze');
    expect(item.error).toMatch(/500/);
    expect(item.error).toMatch(/after 3 attempts/);
    await originalKept(item.id, png);

    api.reply({ text: validJson });
    expect((await h.call('POST', `/items/${item.id}/retry`)).status).toBe(202);
    await h.services.bus.idle();
    expect((await h.call('GET', `/items/${item.id}`)).body).toMatchObject({ status: 'ready', error: null, analysis: { version: 1 } });
  });

  it('never answering: each try times out, then failed naming the timeout, original kept', async () => {
    api.reply({ hang: true });
    const { item, png } = await uploadAndSettle();
    expect(item.status).toBe('failed');
    expect(item.error).toMatch(/time/i);
    await originalKept(item.id, png);
  });

  it('answering garbage: failed at once with what it said (no pipeline retries), original kept', async () => {
    api.reply({ text: 'I am sorry, I cannot analyse this image.' });
    const { item, png } = await uploadAndSettle();
    expect(item.status).toBe('failed');
    expect(item.error).toMatch(/not valid JSON/);
    expect(item.error).toContain('I am sorry');
    expect(item.error).not.toMatch(/\(after \d+ attempts\)$/); // the pipeline did not retry it
    // The adapter's own 3 tries at a valid reply, and no pipeline retry on top of them.
    expect(api.requests).toHaveLength(3);
    await originalKept(item.id, png);
  });
});
