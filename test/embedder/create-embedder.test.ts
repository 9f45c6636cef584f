import { describe, expect, it } from 'vitest';
import { createEmbedder } from '../../src/adapters/embedder/index.js';
import { LocalEmbedder } from '../../src/adapters/embedder/local.js';
import { LocalSemanticEmbedder } from '../../src/adapters/embedder/local-semantic.js';
import { LOCAL_MODEL_DIMENSIONS } from '../../src/adapters/embedder/models.js';
import { OpenAIEmbedder } from '../../src/adapters/embedder/openai.js';
import { VoyageEmbedder } from '../../src/adapters/embedder/voyage.js';
import { loadConfig } from '../../src/shared/config.js';

// Building an embedder makes no network call, so these tests stay offline.
const embeddingConfig = (env: Record<string, string>) => loadConfig(env).embedding;

describe('createEmbedder', () => {
  it('is local when no key is set, with local-semantic-v1 by default', () => {
    const e = createEmbedder(embeddingConfig({}));
    expect(e).toBeInstanceOf(LocalSemanticEmbedder);
    expect(e.id).toBe('local/local-semantic-v1');
    expect(e.dimensions).toBe(484);
  });

  it('keeps local-hash-v1 selectable through EMBEDDING_MODEL', () => {
    const e = createEmbedder(embeddingConfig({ EMBEDDING_MODEL: 'local-hash-v1' }));
    expect(e).toBeInstanceOf(LocalEmbedder);
    expect(e.id).toBe('local/local-hash-v1');
    expect(e.dimensions).toBe(384);
    expect(createEmbedder(embeddingConfig({ EMBEDDING_PROVIDER: 'local', EMBEDDING_MODEL: 'local-semantic-v1' })).id).toBe(
      'local/local-semantic-v1',
    );
  });

  it("knows each local model's size before building it", () => {
    for (const [model, dimensions] of Object.entries(LOCAL_MODEL_DIMENSIONS)) {
      expect(createEmbedder(embeddingConfig({ EMBEDDING_MODEL: model })).dimensions).toBe(dimensions);
    }
  });

  it('picks Voyage when its key is set, and passes model and base URL', () => {
    const e = createEmbedder(
      embeddingConfig({ VOYAGE_API_KEY: 'pa-x', EMBEDDING_MODEL: 'voyage-3-lite', VOYAGE_BASE_URL: 'http://127.0.0.1:9/v1' }),
    );
    expect(e).toBeInstanceOf(VoyageEmbedder);
    expect(e.id).toBe('voyage/voyage-3-lite');
    expect(e.dimensions).toBe(512);
  });

  it('picks OpenAI by name or by key', () => {
    expect(createEmbedder(embeddingConfig({ OPENAI_API_KEY: 'sk-x' }))).toBeInstanceOf(OpenAIEmbedder);
    const large = createEmbedder(
      embeddingConfig({ EMBEDDING_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-x', EMBEDDING_MODEL: 'text-embedding-3-large' }),
    );
    expect(large.dimensions).toBe(3072);
  });

  it('explains a missing key', () => {
    expect(() => createEmbedder(embeddingConfig({ EMBEDDING_PROVIDER: 'voyage' }))).toThrow(/VOYAGE_API_KEY/);
    expect(() => createEmbedder(embeddingConfig({ EMBEDDING_PROVIDER: 'openai' }))).toThrow(/OPENAI_API_KEY/);
  });

  it('lists the known models when the model is unknown', () => {
    expect(() => createEmbedder(embeddingConfig({ VOYAGE_API_KEY: 'pa-x', EMBEDDING_MODEL: 'voyage-9' }))).toThrow(
      /Unknown voyage embedding model "voyage-9".*voyage-3\.5-lite/,
    );
    expect(() => createEmbedder(embeddingConfig({ EMBEDDING_MODEL: 'bert' }))).toThrow(
      /Unknown local embedding model "bert".*local-semantic-v1, local-hash-v1/,
    );
  });
});
