import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { loadConfig } from '../../src/shared/config.js';
import { setLocal } from '../../src/repositories/local-settings.js';
import type { Embedder } from '../../src/ports/embedder.js';
import { toVectorLiteral } from '../../src/repositories/search-rows.js';
import { searchConfig } from '../../src/services/search/config.js';
import { SearchService } from '../../src/services/search/search-service.js';
import { vectorCte } from '../../src/repositories/search/search-sql.js';
import {
  annSettings,
  annVectorCte,
  dropVectorIndex,
  ensureVectorIndex,
  VectorIndex,
  vectorIndexFor,
  vectorIndexName,
  vectorIndexState,
} from '../../src/repositories/search/vector-index.js';
import { openTestDatabase } from '../helpers/db.js';

/**
 * The per-model HNSW index (vector-index.ts) on a small PGlite collection: two users of model A
 * (16 dimensions) and rows of a second model B (12 dimensions) in the same table.
 */
const A = { id: 'test/model-a', dimensions: 16 };
const B = { id: 'test/model-b', dimensions: 12 };

/** Deterministic pseudo-random unit vectors. */
function vectors(seed: number, n: number, d: number): number[][] {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: d }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
  });
}

let db: PGliteDatabase;

/** Items, analyses and search rows, as the pipeline leaves them (bulk, one statement each). */
async function insertRows(userId: string, model: { id: string }, embeddings: number[][]) {
  const rows = embeddings.map((e, i) => ({ id: randomUUID(), aid: randomUUID(), i, emb: toVectorLiteral(e) }));
  const json = JSON.stringify(rows);
  await db.query(
    `INSERT INTO items (id, user_id, filename, original_filename, mime_type, file_size, sha256, original_key, status)
     SELECT x.id::uuid, $1, x.id, 'f.png', 'image/png', 1, md5(x.id), x.id, 'ready'
     FROM jsonb_to_recordset($2::jsonb) AS x(id text)`,
    [userId, json],
  );
  await db.query(
    `INSERT INTO analyses (id, item_id, user_id, version, category, headline, summary, raw, provider, model)
     SELECT x.aid::uuid, x.id::uuid, $1, 1, 'Test', 'item ' || x.i, 'summary', '{}'::jsonb, 'test', 'test'
     FROM jsonb_to_recordset($2::jsonb) AS x(id text, aid text, i int)`,
    [userId, json],
  );
  await db.query(
    `INSERT INTO search_rows (item_id, user_id, analysis_id, category, document, tsv, embedding, embedding_model)
     SELECT x.id::uuid, $1, x.aid::uuid, 'Test', 'item ' || x.i, to_tsvector('english', 'item ' || x.i), x.emb::vector, $3
     FROM jsonb_to_recordset($2::jsonb) AS x(id text, aid text, i int, emb text)`,
    [userId, json, model.id],
  );
  return rows.map((r) => r.id);
}

/** Exact nearest neighbours, straight from the table. */
async function exactTop(userId: string, modelId: string, q: number[], k: number) {
  const r = await db.query<{ item_id: string }>(
    `SELECT item_id::text AS item_id FROM search_rows WHERE user_id = $1 AND embedding_model = $2
     ORDER BY embedding <=> $3::vector, item_id LIMIT $4`,
    [userId, modelId, toVectorLiteral(q), k],
  );
  return r.rows.map((x) => x.item_id);
}

const plan = (sql: string, params: unknown[], forceIndex = true) =>
  db.transaction(async (tx) => {
    await setLocal(tx, annSettings({ efSearch: 200 }));
    // A few hundred rows are cheaper to scan than to search through a graph: to see whether a
    // statement CAN use the index, take the sequential scan away.
    if (forceIndex)
      await tx.query(
        `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`,
      );
    const r = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
    return r.rows.map((x) => x['QUERY PLAN']).join('\n');
  });

/** Statements of 10 candidates, with the category filter as a parameter. */
const SHAPE = { candidates: 10 };

/** The `vec` CTE alone, with the parameter numbering of sql.ts ($1, $3, $4, $5, and the dates $14, $15). */
const vecOnly = (cte: string) =>
  `WITH ${cte} SELECT item_id::text AS item_id FROM vec ORDER BY score DESC, item_id`.replace(
    /\$(\d+)\b/g,
    (_m, n: string) => `$${({ 1: 1, 3: 2, 4: 3, 5: 4, 14: 5, 15: 6 } as Record<string, number>)[n]}`,
  );

const aVectors = vectors(7, 300, A.dimensions);
const bVectors = vectors(11, 40, B.dimensions);
const bobVectors = vectors(13, 50, A.dimensions);
let bIds: string[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  await insertRows('alice', A, aVectors);
  await insertRows('bob', A, bobVectors);
  bIds = await insertRows('alice', B, bVectors);
});
afterAll(async () => {
  await db?.close();
});

describe('ensureVectorIndex', () => {
  it('builds nothing while no collection reaches the threshold', async () => {
    const r = await ensureVectorIndex(db, A, { minRows: 10_000 });
    expect(r.state).toBe('not_needed');
    expect(await vectorIndexState(db, A)).toBe('missing');
  });

  it('creates a partial HNSW index for the configured model, once (idempotent)', async () => {
    const bBefore = await db.query(`SELECT item_id, embedding::text AS e FROM search_rows WHERE embedding_model = $1 ORDER BY item_id`, [
      B.id,
    ]);
    const first = await ensureVectorIndex(db, A, { minRows: 0 });
    expect(first).toMatchObject({ index: vectorIndexName(A), state: 'created' });
    const second = await ensureVectorIndex(db, A, { minRows: 0 });
    expect(second.state).toBe('exists');
    const idx = await db.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_rows' AND indexdef ILIKE '%hnsw%'`,
    );
    expect(idx.rows).toHaveLength(1);
    expect(idx.rows[0]!.indexname).toBe(vectorIndexName(A));
    expect(idx.rows[0]!.indexdef).toContain('vector(16)');
    expect(idx.rows[0]!.indexdef).toContain('vector_cosine_ops');
    expect(idx.rows[0]!.indexdef).toContain(`WHERE (embedding_model = '${A.id}'::text)`);
    expect(await vectorIndexState(db, A)).toBe('valid');

    // Model B's 12-dimension rows are outside the index (its predicate), not cast, not changed.
    const bAfter = await db.query(`SELECT item_id, embedding::text AS e FROM search_rows WHERE embedding_model = $1 ORDER BY item_id`, [
      B.id,
    ]);
    expect(bAfter.rows).toEqual(bBefore.rows);
    expect(bAfter.rows).toHaveLength(bVectors.length);
  });

  it('leaves a second model writable and searchable, and gives it its own index', async () => {
    // Inserting rows of another dimension does not go through model A's cast.
    await insertRows('alice', B, vectors(17, 3, B.dimensions));
    const q = bVectors[5]!;
    expect((await exactTop('alice', B.id, q, 1))[0]).toBe(bIds[5]);
    // B's statement cannot use A's index (other model, other dimension).
    const bPlan = await plan(vecOnly(annVectorCte(B, SHAPE)), ['alice', toVectorLiteral(q), B.id, null, null, null]);
    expect(bPlan).not.toContain(vectorIndexName(A));

    expect((await ensureVectorIndex(db, B, { minRows: 0 })).state).toBe('created');
    expect(vectorIndexName(B)).not.toBe(vectorIndexName(A));
    expect(await plan(vecOnly(annVectorCte(B, SHAPE)), ['alice', toVectorLiteral(q), B.id, null, null, null])).toContain(
      vectorIndexName(B),
    );
    await dropVectorIndex(db, B);
    expect(await vectorIndexState(db, B)).toBe('missing');
    expect(await vectorIndexState(db, A)).toBe('valid');
  });
});

describe('the query path', () => {
  it('the ANN statement is served by the index; the exact one never is', async () => {
    const params = ['alice', toVectorLiteral(aVectors[0]!), A.id, null, null, null];
    const ann = await plan(vecOnly(annVectorCte(A, SHAPE)), params);
    expect(ann).toContain(`Index Scan using ${vectorIndexName(A)}`);
    const exact = await plan(vecOnly(vectorCte(SHAPE)), params);
    expect(exact).not.toContain(vectorIndexName(A));
  });

  it('a cached generic plan of the ANN statement is served by the index too', async () => {
    // SearchService caches the plan of a search without a category filter (PGlite's
    // queryCachedPlan): planned without the query vector, the statement must still be one the
    // index can serve. (Whether it is cheaper than a scan depends on the table's size: at 10k
    // rows the planner picks it, npm run bench:search; this table is small, so scans are off.)
    const sql = vecOnly(annVectorCte(A, { candidates: 10, allCategories: true }));
    const generic = await db.transaction(async (tx) => {
      await tx.query(`PREPARE ann_generic (text, vector, text) AS ${sql}`);
      await tx.query(
        `SELECT set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true), set_config('enable_sort', 'off', true)`,
      );
      const explained = await tx.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN EXECUTE ann_generic('alice', '${toVectorLiteral(aVectors[0]!)}', '${A.id}')`,
      );
      await tx.query('DEALLOCATE ann_generic');
      return explained.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(generic).toContain(`Index Scan using ${vectorIndexName(A)}`);
    expect(generic).toContain('$2'); // generic: the vector is a parameter in the plan
  });

  it('HNSW results equal exact search, for the caller only', async () => {
    const aliceIds = new Set(
      (await db.query<{ id: string }>(`SELECT item_id::text AS id FROM search_rows WHERE user_id = 'alice'`)).rows.map((r) => r.id),
    );
    for (const q of vectors(23, 10, A.dimensions)) {
      const got = await db.transaction(async (tx) => {
        await setLocal(tx, annSettings({ efSearch: 200 }));
        await tx.query(
          `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`,
        );
        return (await tx.query<{ item_id: string }>(vecOnly(annVectorCte(A, SHAPE)), ['alice', toVectorLiteral(q), A.id, null, null, null]))
          .rows;
      });
      const ids = got.map((r) => r.item_id);
      expect(ids).toEqual(await exactTop('alice', A.id, q, 10));
      for (const id of ids) expect(aliceIds.has(id)).toBe(true);
    }
  });

  it('SearchService takes HNSW past the threshold and answers as exact search does', async () => {
    const query = vectors(29, 1, A.dimensions)[0]!;
    const embedder: Embedder = { provider: 'test', model: 'model-a', dimensions: A.dimensions, id: A.id, embed: async () => [query] };
    // The shared instance for this database and model, with a threshold the test set passes.
    const index = vectorIndexFor(db, embedder, { annMinRows: 100, countTtlMs: 0 });
    const service = new SearchService(db, embedder, searchConfig(loadConfig({}), embedder));
    expect(await index.mode('alice')).toBe('exact'); // index not known yet: exact, build in background
    await index.idle();
    expect(index.indexReady).toBe(true);
    expect(await index.mode('alice')).toBe('ann');
    expect(await index.mode('bob')).toBe('exact'); // 50 rows: below the threshold
    expect(await index.mode('alice', { categoryFilter: 'Test' })).toBe('exact');

    // The ANN path carries its SET LOCAL settings into the statement's transaction; the exact
    // path has none. Both run with a cached plan (no category filter).
    const cached = vi.spyOn(db, 'queryCachedPlan');
    await service.search('bob', { query: 'anything', search_type: 'vector', min_similarity_score: 0 });
    expect(cached).toHaveBeenCalledTimes(1);
    expect(cached.mock.calls[0]![3]).toBeUndefined();
    const r = await service.search('alice', { query: 'anything', search_type: 'vector', top_k: 10, min_similarity_score: 0 });
    expect(cached).toHaveBeenCalledTimes(2);
    expect(cached.mock.calls[1]![3]).toHaveProperty(['hnsw.ef_search']);
    expect(cached.mock.calls[1]![1]).not.toBe(cached.mock.calls[0]![1]); // the HNSW form of the statement
    cached.mockRestore();
    expect(r.results.map((x) => x.item_id)).toEqual(await exactTop('alice', A.id, query, 10));
    // Hybrid through the same path: every row holds the word "item", so the gate opens; each
    // result's vector rank is its exact one.
    const hybrid = await service.search('alice', { query: 'item', search_type: 'hybrid', top_k: 50, min_similarity_score: 0 });
    const exact = await exactTop('alice', A.id, query, 100);
    const ranked = hybrid.results.filter((x) => x.metadata.vector_rank != null);
    expect(ranked.length).toBeGreaterThan(10);
    for (const x of ranked) expect(x.item_id).toBe(exact[(x.metadata.vector_rank as number) - 1]);
  });

  it('a VectorIndex below the threshold never builds, and notices a dropped index', async () => {
    const small = new VectorIndex(db, A, { annMinRows: 1_000, countTtlMs: 0 });
    expect(await small.mode('alice')).toBe('exact');
    await small.idle();
    expect(small.indexReady).toBe(false);

    const big = new VectorIndex(db, A, { annMinRows: 100, countTtlMs: 0 });
    await big.start();
    expect(await big.mode('alice')).toBe('ann');
    await dropVectorIndex(db, A);
    expect(await big.mode('alice')).toBe('exact'); // and rebuilds it in the background
    await big.idle();
    expect(await vectorIndexState(db, A)).toBe('valid');
    expect(await big.mode('alice')).toBe('ann');
  });

  it('keeps a caller holding a small share of the index on exact search', async () => {
    // Alice holds 300 of the index's 350 rows, Bob 50: walking the graph for Bob would mostly
    // visit Alice's rows.
    const index = new VectorIndex(db, A, { annMinRows: 40, annMinShare: 0.5, countTtlMs: 0 });
    await index.start();
    expect(await index.mode('alice')).toBe('ann');
    expect(await index.mode('bob')).toBe('exact');
  });
});
