import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/shared/config.js';
import { createServices } from '../../src/app/services.js';
import { createApp } from '../../src/api/app.js';
import { reindex } from '../../src/cli/commands/reindex.js';
import { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import type { Embedder } from '../../src/ports/embedder.js';
import { ScriptedVision } from '../helpers/scripted-vision.js';
import { solidImage } from '../helpers/images.js';

/** An older, different embedder: 8 dimensions, another model id. */
const oldEmbedder: Embedder = {
  provider: 'test',
  model: 'old-8d',
  id: 'test/old-8d',
  dimensions: 8,
  embed: async (texts) => texts.map((t) => Array.from({ length: 8 }, (_, i) => ((t.length + i) % 5) + 1)),
};

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'collections-reindex-'));
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('collections reindex', () => {
  it('re-embeds rows made by another model with the configured one, then has nothing left to do', async () => {
    const config = loadConfig({ COLLECTIONS_DATA_DIR: dataDir, PIPELINE_RETRY_BASE_MS: '5' });
    const vision = new ScriptedVision();
    const services = await createServices(config, { embedder: oldEmbedder, vision: () => vision });
    const app = createApp(services);
    for (const seed of [1, 2, 3]) {
      const form = new FormData();
      form.append('file', new File([new Uint8Array(await solidImage('png', seed))], 'x.png'));
      expect((await app.request('/items', { method: 'POST', body: form })).status).toBe(201);
    }
    await services.bus.idle();
    await services.close();

    const lines: string[] = [];
    const result = await reindex(config, {}, (l) => lines.push(l));
    expect(result).toMatchObject({ embedding_model: 'local/local-semantic-v1', items: 3, reindexed: 3, failed: [] });
    expect(lines.at(-1)).toContain('3/3');

    const db = await PGliteDatabase.open(config.database.kind === 'pglite' ? config.database.dir : undefined);
    try {
      const rows = await db.query<{ embedding_model: string; dims: number }>(
        'SELECT embedding_model, vector_dims(embedding) AS dims FROM search_rows',
      );
      expect(rows.rows).toHaveLength(3);
      for (const r of rows.rows) expect(r).toEqual({ embedding_model: 'local/local-semantic-v1', dims: 484 });
    } finally {
      await db.close();
    }
    expect(await reindex(config, {}, () => {})).toMatchObject({ items: 0, reindexed: 0 });
    expect(await reindex(config, { all: true }, () => {})).toMatchObject({ items: 3, reindexed: 3 });
  });
});
