import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnalysisSchema, type AnalysisInput } from '../../src/domain/analysis.js';
import { PermanentError } from '../../src/domain/errors.js';
import type { VisionInput, VisionProvider } from '../../src/ports/vision.js';
import { AnthropicVisionProvider } from '../../src/adapters/vision/anthropic.js';
import type { HostedVisionOptions } from '../../src/adapters/vision/model-vision.js';
import { OpenAIVisionProvider } from '../../src/adapters/vision/openai.js';
import { renderTextImage } from '../helpers/render-text.js';
import { FakeModelServer, type ApiShape, type RecordedRequest } from './fake-model-server.js';

// Nothing in this file may reach the internet: LangSmith tracing stays off even where the
// adapter is told tracing is enabled (it then only names the run).
const TRACING_ENV = ['LANGSMITH_TRACING', 'LANGCHAIN_TRACING_V2', 'LANGSMITH_API_KEY', 'LANGCHAIN_API_KEY'];
const savedEnv = new Map(TRACING_ENV.map((k) => [k, process.env[k]]));
beforeAll(() => {
  process.env.LANGSMITH_TRACING = 'false';
  process.env.LANGCHAIN_TRACING_V2 = 'false';
  delete process.env.LANGSMITH_API_KEY;
  delete process.env.LANGCHAIN_API_KEY;
});
afterAll(() => {
  for (const [k, v] of savedEnv) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const validAnalysis: AnalysisInput = {
  category: 'Food',
  subcategories: ['Ramen', 'Fukuoka'],
  headline: 'Ichiran Ramen in Fukuoka, open 10:00–22:00',
  summary: 'A TikTok post about Ichiran Ramen in Fukuoka. Open from 10:00 to 22:00.',
  media_metadata: {
    original_poster: '@foodie',
    tagged_accounts: [],
    location_tags: ['Fukuoka, Japan'],
    audio_source: null,
    hashtags: ['#ramen'],
  },
  image_details: {
    extracted_text: ['Ichiran Ramen Fukuoka', 'Open 10:00 - 22:00'],
    objects: ['bowl of ramen'],
    themes: ['food'],
    emotions: [],
    vibes: ['cozy'],
    likely_source: 'TikTok',
    key_interest: 'Ichiran Ramen',
    visual_hierarchy: ['title'],
  },
};
const validJson = JSON.stringify(validAnalysis);
const { headline: _dropped, ...withoutHeadline } = validAnalysis;

let input: VisionInput;
beforeAll(async () => {
  // Taller than the 1568 px the providers accept: the adapter must downscale it.
  const image = await renderTextImage({
    width: 1170,
    height: 2532,
    lines: [{ text: 'Ichiran Ramen Fukuoka', y: 400, size: 72, bold: true }],
  });
  input = {
    image,
    mimeType: 'image/png',
    facts: {
      width: 1170,
      height: 2532,
      format: 'png',
      captured_at: '2025-03-14T12:30:00.000Z',
      gps: null,
      camera: null,
    },
  };
});

interface Case {
  shape: ApiShape;
  defaultModel: string;
  make: (o: HostedVisionOptions) => VisionProvider;
  /** The image the SDK put in the request, as a data URL's parts. */
  imageIn: (r: RecordedRequest) => { mediaType: string; base64: string } | undefined;
  /** The text of the user/human turns after the first (the corrections). */
  laterUserText: (r: RecordedRequest) => string;
  apiKeyIn: (r: RecordedRequest) => string | undefined;
}

const textOf = (content: unknown): string =>
  typeof content === 'string' ? content : (content as { type: string; text?: string }[]).map((b) => b.text ?? '').join(' ');

const cases: Case[] = [
  {
    shape: 'anthropic',
    defaultModel: 'claude-sonnet-4-5',
    make: (o) => new AnthropicVisionProvider(o),
    imageIn: (r) => {
      const block = r.body.messages[0].content.find((b: { type: string }) => b.type === 'image');
      return block && { mediaType: block.source.media_type, base64: block.source.data };
    },
    laterUserText: (r) =>
      r.body.messages
        .slice(1)
        .filter((m: { role: string }) => m.role === 'user')
        .map((m: { content: unknown }) => textOf(m.content))
        .join('\n'),
    apiKeyIn: (r) => r.headers['x-api-key'] as string | undefined,
  },
  {
    shape: 'openai',
    defaultModel: 'gpt-4o',
    make: (o) => new OpenAIVisionProvider(o),
    imageIn: (r) => {
      const user = r.body.messages.find((m: { role: string }) => m.role === 'user');
      const block = user.content.find((b: { type: string }) => b.type === 'image_url');
      const m = block && /^data:([^;]+);base64,(.*)$/.exec(block.image_url.url);
      return m ? { mediaType: m[1]!, base64: m[2]! } : undefined;
    },
    laterUserText: (r) =>
      r.body.messages
        .filter((m: { role: string }) => m.role === 'user')
        .slice(1)
        .map((m: { content: unknown }) => textOf(m.content))
        .join('\n'),
    apiKeyIn: (r) => (r.headers.authorization as string | undefined)?.replace(/^Bearer /, ''),
  },
];

describe.each(cases)('$shape vision provider against a local fake API', (c) => {
  const server = new FakeModelServer(c.shape);
  beforeAll(async () => {
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    server.reply({ text: validJson });
  });

  const provider = (over: Partial<HostedVisionOptions> = {}) =>
    c.make({
      apiKey: 'test-key',
      baseUrl: server.baseUrl,
      timeoutMs: 10_000,
      tracing: { enabled: false, project: undefined },
      // One HTTP call per attempt keeps request counts exact and tests fast; a test below
      // covers the default.
      maxRetries: 0,
      ...over,
    });

  it('sends the model name, the key and the image (downscaled JPEG, base64), and returns a valid analysis', async () => {
    const result = await provider().analyze(input);
    expect(result.provider).toBe(c.shape);
    expect(result.model).toBe(c.defaultModel);
    expect(result.traceId).toBeNull();
    expect(result.analysis).toEqual(AnalysisSchema.parse(validAnalysis));

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.body.model).toBe(c.defaultModel);
    expect(c.apiKeyIn(request)).toBe('test-key');
    const image = c.imageIn(request);
    expect(image?.mediaType).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(image!.base64, 'base64')).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width!, meta.height!)).toBe(1568);
    // The prompt carries the analysis shape (checked without dumping a megabyte of base64).
    expect(JSON.stringify(request.body).includes('Return ONLY a JSON object of this shape')).toBe(true);
  });

  it('uses the model it is given', async () => {
    const result = await provider({ model: 'some-other-model' }).analyze(input);
    expect(result.model).toBe('some-other-model');
    expect(server.requests[0]!.body.model).toBe('some-other-model');
  });

  it('reads JSON wrapped in prose and a ```json fence', async () => {
    server.reply({
      text: `Here is the analysis you asked for:\n\n\`\`\`json\n${JSON.stringify(validAnalysis, null, 2)}\n\`\`\`\nLet me know!`,
    });
    const result = await provider().analyze(input);
    expect(result.analysis.headline).toBe(validAnalysis.headline);
  });

  it('retries an invalid JSON reply, telling the model what was wrong', async () => {
    server.reply({ text: '{"category": "Food", "headline": ' }, { text: validJson });
    const result = await provider().analyze(input);
    expect(result.analysis.category).toBe('Food');
    expect(server.requests).toHaveLength(2);
    expect(c.laterUserText(server.requests[1]!)).toMatch(/not valid JSON/);
  });

  it('gives up with a PermanentError when the reply is never JSON', async () => {
    server.reply({ text: 'I am sorry, I cannot analyse this image.' });
    const err = await provider()
      .analyze(input)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(new RegExp(`^${c.shape} vision model reply was not valid JSON after 3 attempts: `));
    expect((err as Error).message).toContain('I am sorry');
    expect(server.requests).toHaveLength(3);
  });

  it('gives up with a PermanentError naming the field when the reply fails the schema', async () => {
    server.reply({ text: JSON.stringify(withoutHeadline) });
    const err = await provider({ maxAttempts: 2 })
      .analyze(input)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(/failed the analysis schema after 2 attempts: headline: /);
    expect(server.requests).toHaveLength(2);
    expect(c.laterUserText(server.requests[1]!)).toMatch(/headline/);
  });

  it('throws a retryable (non-permanent) Error on HTTP 500, naming provider and status', async () => {
    server.reply({ status: 500, error: 'overloaded for a moment' });
    const err = await provider()
      .analyze(input)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(new RegExp(`^${c.shape} vision request failed \\(HTTP 500\\): `));
  });

  it('throws a retryable Error on HTTP 429', async () => {
    server.reply({ status: 429, error: 'slow down' });
    const err = await provider()
      .analyze(input)
      .catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(new RegExp(`^${c.shape} vision request was rate limited \\(HTTP 429\\)`));
  });

  it('lets the SDK retry a 5xx once by default before giving up', async () => {
    server.reply({ status: 503, error: 'busy' }, { text: validJson });
    const result = await provider({ maxRetries: undefined }).analyze(input);
    expect(result.analysis.category).toBe('Food');
    expect(server.requests).toHaveLength(2);
  });

  it('treats a rejected key (HTTP 401) as permanent', async () => {
    server.reply({ status: 401, error: 'invalid x-api-key' });
    const err = await provider()
      .analyze(input)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(new RegExp(`^${c.shape} rejected the vision request \\(HTTP 401\\)`));
  });

  it('throws a retryable Error when nothing listens at the base URL', async () => {
    const dead = new FakeModelServer(c.shape);
    await dead.start();
    const baseUrl = dead.baseUrl;
    await dead.stop();
    const err = await provider({ baseUrl })
      .analyze(input)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(new RegExp(`^${c.shape} vision request failed: `));
  });

  it('throws a retryable Error naming the timeout when the API does not answer in time', async () => {
    server.reply({ hang: true });
    const err = await provider({ timeoutMs: 300 })
      .analyze(input)
      .catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(new RegExp(`^${c.shape} vision request timed out`));
  });

  it('returns a run id as trace id when tracing is on, and null when it is off', async () => {
    const on = await provider({ tracing: { enabled: true, project: 'test' } }).analyze(input);
    expect(on.traceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = await provider({ tracing: { enabled: true, project: 'test' } }).analyze(input);
    expect(again.traceId).not.toBe(on.traceId);
    const off = await provider().analyze(input);
    expect(off.traceId).toBeNull();
  });
});
