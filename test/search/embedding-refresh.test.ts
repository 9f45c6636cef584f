import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/shared/config.js';
import { startServer } from '../../src/app/server.js';
import { createServices } from '../../src/app/services.js';
import { reindexSearchRows } from '../../src/services/search/reindex.js';
import { LocalSemanticEmbedder } from '../../src/adapters/embedder/local-semantic.js';
import { CONCEPTS, ConceptLexicon } from '../../src/shared/text/concepts.js';
import type { Embedder } from '../../src/ports/embedder.js';
import { ScriptedVision } from '../helpers/scripted-vision.js';
import { solidImage } from '../helpers/images.js';

/**
 * The offline embedder is tuned under one name: when its lexicon or settings change, its
 * `revision` changes, and the local server re-embeds the rows an older revision made, in the
 * background, at start (services/search/reindex.ts, startEmbeddingRefresh).
 */
const before = new LocalSemanticEmbedder();
// The same model with one concept fewer: what a session's lexicon edit looks like to stored rows.
const after = new LocalSemanticEmbedder({ lexicon: new ConceptLexicon(CONCEPTS.filter((c) => c.id !== 'ramen')) });

let dataDir: string;
/** The rows as `before` left them. */
let initial: Awaited<ReturnType<typeof rows>>;
const vision = new ScriptedVision(); // its analysis is the Ichiran Ramen one
const config = () =>
  loadConfig({ COLLECTIONS_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', PIPELINE_RETRY_BASE_MS: '5', LOG_LEVEL: 'warn' });

async function rows(server: Awaited<ReturnType<typeof startServer>>) {
  const r = await server.services.db.query<{
    item_id: string;
    embedding_model: string;
    embedder_revision: string | null;
    embedding: string;
  }>('SELECT item_id::text AS item_id, embedding_model, embedder_revision, embedding::text AS embedding FROM search_rows ORDER BY item_id');
  return r.rows;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'collections-refresh-'));
  const server = await startServer(config(), { embedder: before, vision: () => vision });
  try {
    for (const seed of [1, 2, 3]) {
      const form = new FormData();
      form.append('file', new File([new Uint8Array(await solidImage('png', seed))], `x${seed}.png`));
      expect((await fetch(`${server.url}/items`, { method: 'POST', body: form })).status).toBe(201);
    }
    await server.services.bus.idle();
    initial = await rows(server);
  } finally {
    await server.close();
  }
}, 120_000);
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('re-embedding after the offline embedder changed', () => {
  it('gives the lexicon and settings a revision: the same for the same recipe, another for a change', () => {
    expect(new LocalSemanticEmbedder().revision).toBe(before.revision);
    expect(after.id).toBe(before.id);
    expect(after.revision).not.toBe(before.revision);
    expect(new LocalSemanticEmbedder({ lexicalShare: 0.4 }).revision).not.toBe(before.revision);
  });

  it('re-embeds the rows an older revision made when the server starts, then has nothing left to do', async () => {
    const server = await startServer(config(), { embedder: after, vision: () => vision });
    try {
      const old = initial;
      expect(old.map((r) => r.embedder_revision)).toEqual([before.revision, before.revision, before.revision]);
      expect(await server.embeddingRefresh).toMatchObject({ total: 3, done: 3, failed: [] });
      const now = await rows(server);
      expect(now.map((r) => [r.embedding_model, r.embedder_revision])).toEqual(old.map(() => [after.id, after.revision]));
      // The vectors are the new recipe's: "ramen" is no longer a concept of the Ichiran item.
      expect(now.map((r) => r.embedding)).not.toEqual(old.map((r) => r.embedding));
      const hits = await fetch(`${server.url}/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'ichiran ramen', search_type: 'vector' }),
      }).then((r) => r.json() as Promise<{ results: unknown[] }>);
      expect(hits.results).toHaveLength(3);
    } finally {
      await server.close();
    }
    const again = await startServer(config(), { embedder: after, vision: () => vision });
    try {
      expect(await again.embeddingRefresh).toMatchObject({ total: 0, done: 0 });
    } finally {
      await again.close();
    }
  });

  it('stops with the server and finishes at the next start; reindex does them too; embedders without revisions are left alone', async () => {
    const stopped = await startServer(config(), { embedder: before, vision: () => vision });
    await stopped.close(); // at once: the run ends after the row in hand, or before the first
    const first = await stopped.embeddingRefresh;
    const resumed = await startServer(config(), { embedder: before, vision: () => vision });
    try {
      expect(await resumed.embeddingRefresh).toMatchObject({ total: 3 - first.done, done: 3 - first.done, failed: [] });
      expect((await rows(resumed)).map((r) => r.embedder_revision)).toEqual([before.revision, before.revision, before.revision]);
    } finally {
      await resumed.close();
    }
    // `collections reindex` (no --all) picks up outdated revisions too.
    const services = await createServices(config(), { embedder: after, vision: () => vision }, { runPipeline: false });
    try {
      expect(await reindexSearchRows(services.steps)).toMatchObject({ total: 3, done: 3, failed: [] });
      expect(await reindexSearchRows(services.steps)).toMatchObject({ total: 0 });
    } finally {
      await services.close();
    }
    const hosted: Embedder = {
      provider: 'test',
      model: 'm',
      id: 'local/local-semantic-v1',
      dimensions: 484,
      embed: before.embed.bind(before),
    };
    const plain = await startServer(config(), { embedder: hosted, vision: () => vision });
    try {
      expect(await plain.embeddingRefresh).toMatchObject({ total: 0, done: 0 });
    } finally {
      await plain.close();
    }
  });
});
