import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingProviderError } from '../../src/adapters/embedder/http.js';
import { OpenAIEmbedder } from '../../src/adapters/embedder/openai.js';
import { embeddingsReply, startFakeProviderServer, type FakeProviderServer } from './fake-provider-server.js';

const API_KEY = 'sk-test-0123456789abcdef';
let server: FakeProviderServer;
const ok = (req: { body: { input: string[]; model: string } }) =>
  embeddingsReply(req.body.input, req.body.model === 'text-embedding-3-large' ? 3072 : 1536, req.body.model);

beforeAll(async () => {
  server = await startFakeProviderServer(ok);
});
afterEach(() => {
  server.requests.length = 0;
  server.handler = ok;
});
afterAll(async () => {
  await server.close();
});

const embedder = (overrides: Partial<ConstructorParameters<typeof OpenAIEmbedder>[0]> = {}) =>
  new OpenAIEmbedder({ apiKey: API_KEY, baseUrl: server.baseUrl, timeoutMs: 5_000, ...overrides });

describe('OpenAIEmbedder', () => {
  it('defaults to text-embedding-3-small with 1536 dimensions', () => {
    const e = embedder();
    expect(e.model).toBe('text-embedding-3-small');
    expect(e.dimensions).toBe(1536);
    expect(e.id).toBe('openai/text-embedding-3-small');
    expect(embedder({ model: 'text-embedding-3-large' }).dimensions).toBe(3072);
    expect(embedder({ model: 'text-embedding-ada-002' }).dimensions).toBe(1536);
  });

  it('sends input and model with a bearer key, and no input type', async () => {
    const e = embedder();
    await e.embed(['t0', 't1'], 'query');
    await e.embed(['t2'], 'document');
    const [first, second] = server.requests;
    expect(first!.path).toBe('/v1/embeddings');
    expect(first!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first!.body).toEqual({ input: ['t0', 't1'], model: 'text-embedding-3-small', encoding_format: 'float' });
    expect(second!.body).toEqual({ input: ['t2'], model: 'text-embedding-3-small', encoding_format: 'float' });
  });

  it('batches large inputs and keeps input order', async () => {
    const texts = Array.from({ length: 600 }, (_, i) => `t${i}`);
    const vectors = await embedder().embed(texts, 'document');
    expect(server.requests.map((r) => r.body.input.length)).toEqual([256, 256, 88]);
    expect(vectors.map((v) => v[0])).toEqual(texts.map((_, i) => i));
  });

  it('works with a base URL that ends in a slash (OpenAI-compatible servers)', async () => {
    await embedder({ baseUrl: `${server.baseUrl}/` }).embed(['t0'], 'query');
    expect(server.requests[0]!.path).toBe('/v1/embeddings');
  });

  it.each([429, 500])('surfaces HTTP %i with the body', async (status) => {
    server.handler = () => ({ status, body: { error: { message: 'Rate limit reached', type: 'requests' } } });
    const err = (await embedder()
      .embed(['t0'], 'query')
      .catch((e: unknown) => e)) as EmbeddingProviderError;
    expect(err).toBeInstanceOf(EmbeddingProviderError);
    expect(err.status).toBe(status);
    expect(err.retryable).toBe(true);
    expect(err.message).toContain(`HTTP ${status}`);
    expect(err.message).toContain('Rate limit reached');
    expect(err.message).not.toContain(API_KEY);
  });

  it('refuses to start without a key or with an unknown model', () => {
    expect(() => new OpenAIEmbedder({ apiKey: '' })).toThrow(/OPENAI_API_KEY/);
    expect(() => embedder({ model: 'my-own-model' })).toThrow(/Known models: text-embedding-3-small/);
    expect(embedder({ model: 'my-own-model', dimensions: 768 }).dimensions).toBe(768);
  });
});
