import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HumanMessage } from '@langchain/core/messages';
import { createChatModel } from '../../src/adapters/chat-model/index.js';
import { createVisionProvider } from '../../src/adapters/vision/index.js';
import { loadConfig } from '../../src/shared/config.js';
import { AnalysisSchema, type AnalysisInput } from '../../src/domain/analysis.js';
import { PermanentError } from '../../src/domain/errors.js';
import type { VisionInput } from '../../src/ports/vision.js';
import { solidImage } from '../helpers/images.js';
import { FakeModelServer } from './fake-model-server.js';

/**
 * Bedrock through the real AWS SDK and LangChain's ChatBedrockConverse, against a loopback server
 * that speaks the Converse API: the provider an AWS deployment uses without any API key
 * (VISION_PROVIDER=bedrock, CHAT_PROVIDER=bedrock; BEDROCK_ENDPOINT points at the server).
 */

const server = new FakeModelServer('bedrock');
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
beforeAll(async () => {
  await server.start();
  // Static credentials for SigV4: the SDK signs every request, as it would with a role.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDBEDROCKTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'bedrock-test-secret';
});
afterAll(async () => {
  await server.stop();
  for (const [k, v] of [
    ['AWS_ACCESS_KEY_ID', saved.id],
    ['AWS_SECRET_ACCESS_KEY', saved.secret],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const analysis: AnalysisInput = {
  category: 'Travel',
  subcategories: ['Onsen'],
  headline: 'Kurokawa Onsen day pass, 1,300 yen',
  summary: 'A ryokan in Kurokawa Onsen selling an outdoor bath day pass.',
  media_metadata: { original_poster: null, tagged_accounts: [], location_tags: ['Kurokawa'], audio_source: null, hashtags: [] },
  image_details: {
    extracted_text: ['Kurokawa Onsen', 'Day pass 1,300 yen'],
    objects: ['outdoor bath'],
    themes: ['travel'],
    emotions: [],
    vibes: ['calm'],
    likely_source: 'Photo',
    key_interest: 'Kurokawa Onsen',
    visual_hierarchy: ['title'],
  },
};

const config = (env: Record<string, string> = {}) =>
  loadConfig({ COLLECTIONS_DATA_DIR: '/tmp/unused', BEDROCK_REGION: 'eu-west-1', BEDROCK_ENDPOINT: server.baseUrl, ...env });

let input: VisionInput;
beforeAll(async () => {
  const image = await solidImage('png', 3);
  const meta = await sharp(image).metadata();
  input = {
    image,
    mimeType: 'image/png',
    facts: { width: meta.width!, height: meta.height!, format: 'png', captured_at: null, gps: null, camera: null },
  };
});
beforeEach(() => {
  server.reply({ text: JSON.stringify(analysis) });
});

describe('bedrock vision provider (Converse on loopback)', () => {
  it('is chosen by VISION_PROVIDER=bedrock without any key, and reads the image through Converse', async () => {
    const c = config({ VISION_PROVIDER: 'bedrock' });
    const provider = createVisionProvider(c.vision, c.tracing);
    expect([provider.provider, provider.model]).toEqual(['bedrock', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0']);

    const result = await provider.analyze(input);
    expect(result).toMatchObject({ provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' });
    expect(result.analysis).toEqual(AnalysisSchema.parse(analysis));

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(decodeURIComponent(request.path)).toBe('/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/converse');
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDBEDROCKTEST\/\d{8}\/eu-west-1\/bedrock\/aws4_request/);
    expect(request.body.inferenceConfig).toMatchObject({ maxTokens: 4096 });
    const blocks = request.body.messages.flatMap((m: { content: unknown[] }) => m.content) as Array<Record<string, any>>;
    const image = blocks.find((b) => b.image)?.image;
    expect(image?.format).toBe('jpeg');
    expect((await sharp(Buffer.from(image.source.bytes, 'base64')).metadata()).format).toBe('jpeg');
    expect(JSON.stringify(request.body)).toContain('Return ONLY a JSON object of this shape');
  });

  it('uses VISION_MODEL when given', async () => {
    const c = config({ VISION_PROVIDER: 'bedrock', VISION_MODEL: 'anthropic.claude-3-5-haiku-20241022-v1:0' });
    await createVisionProvider(c.vision, c.tracing).analyze(input);
    expect(decodeURIComponent(server.requests[0]!.path)).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse');
  });

  it('treats AccessDenied (model access not granted) as permanent, with the status in the message', async () => {
    server.reply({ status: 403, error: 'You don\u2019t have access to the model with the specified model ID.' });
    const c = config({ VISION_PROVIDER: 'bedrock' });
    const err = await createVisionProvider(c.vision, c.tracing)
      .analyze(input)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(String((err as Error).message)).toMatch(/bedrock rejected the vision request \(HTTP 403\).*access to the model/);
  });

  it('treats throttling as retryable (the pipeline retries it with backoff)', async () => {
    server.reply({ status: 429, error: 'Too many requests, please wait before trying again.' });
    const c = config({ VISION_PROVIDER: 'bedrock' });
    const err = await createVisionProvider(c.vision, c.tracing)
      .analyze(input)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentError);
    expect(String((err as Error).message)).toMatch(/rate limited \(HTTP 429\)/);
  });

  it('says which setting is missing when no region is known', () => {
    const c = loadConfig({ COLLECTIONS_DATA_DIR: '/tmp/unused', VISION_PROVIDER: 'bedrock' });
    expect(() => createVisionProvider({ ...c.vision, bedrockRegion: undefined }, c.tracing)).toThrow(/BEDROCK_REGION/);
  });
});

describe('bedrock chat model (Converse on loopback)', () => {
  it('answers through CHAT_PROVIDER=bedrock, signed for the configured region', async () => {
    server.reply({ text: 'Kurokawa is a quiet onsen town [Item 1].' });
    const model = (await createChatModel(config({ CHAT_PROVIDER: 'bedrock' }).chat))!;
    const reply = await model.invoke([new HumanMessage('Where was that onsen?')]);
    expect(reply.content).toBe('Kurokawa is a quiet onsen town [Item 1].');
    const request = server.requests[0]!;
    expect(decodeURIComponent(request.path)).toBe('/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/converse');
    expect(request.body.messages[0]).toEqual({ role: 'user', content: [{ text: 'Where was that onsen?' }] });
    expect(request.headers.authorization).toMatch(/\/eu-west-1\/bedrock\/aws4_request/);
  });
});
