import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingProviderError } from '../../src/adapters/embedder/http.js';
import { VoyageEmbedder } from '../../src/adapters/embedder/voyage.js';
import { embeddingsReply, startFakeProviderServer, type FakeProviderServer } from './fake-provider-server.js';

const API_KEY = 'pa-test-key-0123456789';
let server: FakeProviderServer;
const ok = (req: { body: { input: string[]; model: string } }) => embeddingsReply(req.body.input, 1024, req.body.model);

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

const embedder = (overrides: Partial<ConstructorParameters<typeof VoyageEmbedder>[0]> = {}) =>
  new VoyageEmbedder({ apiKey: API_KEY, baseUrl: server.baseUrl, timeoutMs: 5_000, ...overrides });

describe('VoyageEmbedder', () => {
  it('defaults to voyage-3.5-lite with 1024 dimensions', () => {
    const e = embedder();
    expect(e.model).toBe('voyage-3.5-lite');
    expect(e.dimensions).toBe(1024);
    expect(e.id).toBe('voyage/voyage-3.5-lite');
  });

  it('sends model, input and input_type with a bearer key', async () => {
    const e = embedder();
    await e.embed(['t0', 't1'], 'document');
    await e.embed(['t0'], 'query');
    expect(server.requests).toHaveLength(2);
    const [doc, query] = server.requests;
    expect(doc!.method).toBe('POST');
    expect(doc!.path).toBe('/v1/embeddings');
    expect(doc!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(doc!.headers['content-type']).toBe('application/json');
    expect(doc!.body).toEqual({ input: ['t0', 't1'], model: 'voyage-3.5-lite', input_type: 'document' });
    expect(query!.body).toEqual({ input: ['t0'], model: 'voyage-3.5-lite', input_type: 'query' });
  });

  it('splits 300 texts into batches of at most 128 and keeps input order', async () => {
    const texts = Array.from({ length: 300 }, (_, i) => `t${i}`);
    const vectors = await embedder().embed(texts, 'document');
    expect(server.requests.map((r) => r.body.input.length)).toEqual([128, 128, 44]);
    expect(vectors).toHaveLength(300);
    // The fake answers each batch in reverse; the embedder must restore order by index.
    expect(vectors.map((v) => v[0])).toEqual(texts.map((_, i) => i));
    expect(vectors.every((v) => v.length === 1024)).toBe(true);
  });

  it('makes no request for no texts', async () => {
    expect(await embedder().embed([], 'document')).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('honours a custom model from the table', async () => {
    const e = embedder({ model: 'voyage-3-lite' });
    expect(e.dimensions).toBe(512);
    server.handler = (req) => embeddingsReply(req.body.input, 512, req.body.model);
    await e.embed(['t0'], 'query');
    expect(server.requests[0]!.body.model).toBe('voyage-3-lite');
  });

  it.each([429, 500, 503])('surfaces HTTP %i with the body, as retryable', async (status) => {
    server.handler = () => ({ status, body: { detail: 'slow down please' } });
    const err = await embedder()
      .embed(['t0'], 'query')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddingProviderError);
    const e = err as EmbeddingProviderError;
    expect(e.status).toBe(status);
    expect(e.retryable).toBe(true);
    expect(e.message).toContain(`HTTP ${status}`);
    expect(e.message).toContain('slow down please');
  });

  it('marks 401 as not retryable and never shows the key', async () => {
    server.handler = (req) => ({
      status: 401,
      body: { detail: `Provided API key is invalid: ${req.headers.authorization}` },
    });
    const err = (await embedder()
      .embed(['t0'], 'query')
      .catch((e: unknown) => e)) as EmbeddingProviderError;
    expect(err.status).toBe(401);
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain(API_KEY);
    expect(err.message).toContain('[redacted]');
  });

  it('rejects vectors of the wrong size', async () => {
    server.handler = (req) => embeddingsReply(req.body.input, 256, req.body.model);
    await expect(embedder().embed(['t0'], 'query')).rejects.toThrow(/expected 1024 numbers/);
  });

  it('rejects a reply with a vector missing', async () => {
    server.handler = (req) => {
      const reply = embeddingsReply(req.body.input, 1024, req.body.model);
      (reply.body as { data: unknown[] }).data.pop();
      return reply;
    };
    await expect(embedder().embed(['t0', 't1'], 'query')).rejects.toThrow(/asked for 2 vectors, got 1/);
  });

  it('times out after timeoutMs', async () => {
    server.handler = (req) => ({ ...embeddingsReply(req.body.input, 1024, req.body.model), delayMs: 2_000 });
    const err = (await embedder({ timeoutMs: 100 })
      .embed(['t0'], 'query')
      .catch((e: unknown) => e)) as EmbeddingProviderError;
    expect(err).toBeInstanceOf(EmbeddingProviderError);
    expect(err.message).toMatch(/timed out after 100 ms/);
    expect(err.retryable).toBe(true);
  });

  it('refuses to start without a key or with an unknown model', () => {
    expect(() => new VoyageEmbedder({ apiKey: '' })).toThrow(/VOYAGE_API_KEY/);
    expect(() => embedder({ model: 'voyage-nonexistent' })).toThrow(/Known models: .*voyage-3\.5-lite/);
  });
});
