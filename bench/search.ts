/**
 * npm run bench:search — server-side time of bm25, vector and hybrid search on the embedded
 * database (PGlite, in memory) for one user with 1k, 10k and 50k items, exact vector search
 * against an HNSW index, and our one-statement hybrid against the original plan's two queries
 * (bm25 top-N, vector top-N) fused by RRF in JavaScript.
 *
 * The collection is synthetic but realistically shaped (bench/lib/search-corpus.ts): 80–200
 * words per item from a Zipf vocabulary, topical clusters, rare names; embeddings of the
 * configured embedder's dimension. Query vectors are made before timing, so every time is the
 * SQL alone (PGlite runs in this process: the time of `db.query` is the statement's).
 *
 * Sizes grow in one database (1k, then 9k more, then 40k more). At each size: exact search;
 * then the HNSW index of vector-index.ts is built and the same queries run through it
 * (recall@10 against exact); the index is dropped before the next bulk insert.
 *
 *   BENCH_SIZES=1000,10000,50000  BENCH_QUERIES=50  BENCH_REPS=2 (1 from 50k: BENCH_REPS_LARGE)
 *   BENCH_OUT=file.json
 */
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../src/shared/config.js';
import { createEmbedder } from '../src/adapters/embedder/index.js';
import { PGliteDatabase } from '../src/adapters/database/pglite.js';
import { migrate } from '../src/adapters/database/migrate.js';
import type { LocalSettings, Queryable } from '../src/ports/database.js';
import { setLocal } from '../src/repositories/local-settings.js';
import { searchConfig, type SearchConfig } from '../src/services/search/config.js';
import { statementParams } from '../src/services/search/params.js';
import { bm25Ctes, searchSql, statementName, vectorCte } from '../src/repositories/search/search-sql.js';
import {
  annSettings,
  annVectorCte,
  DEFAULT_VECTOR_INDEX_OPTIONS,
  ensureVectorIndex,
  vectorIndexName,
} from '../src/repositories/search/vector-index.js';
import { createCorpus, seedDocs, type SyntheticDoc, type SyntheticQuery } from './lib/search-corpus.js';
import { round, summarise } from './lib/stats.js';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 50);
const REPS = Number(process.env.BENCH_REPS ?? 2);
const TOP_K = 10;
const USER = 'bench-user';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
const embedder = createEmbedder(config.embedding);
const model = { id: embedder.id, dimensions: embedder.dimensions };
const search: SearchConfig = searchConfig(config, embedder);
const vi = DEFAULT_VECTOR_INDEX_OPTIONS;

type SearchType = 'bm25' | 'vector' | 'hybrid';
type BenchQuery = SyntheticQuery & { literal: string };

/** The parameters of searchSql, as SearchService passes them. */
function params(type: SearchType, q: BenchQuery): unknown[] {
  return statementParams(search, {
    userId: USER,
    type,
    query: q.text,
    embedding: q.literal,
    embeddingModel: model.id,
    topK: TOP_K,
    strongOnly: false,
  });
}

/** Renumbers positional parameters ($5 → $3 …) so a statement binds only the ones it uses. */
const renumber = (sql: string, map: Record<number, number>) =>
  sql.replace(/\$(\d+)\b/g, (m, n: string) => (map[Number(n)] ? `$${map[Number(n)]}` : m));

const DETAILS = `s.category, a.headline, a.summary, i.thumbnail_key IS NOT NULL AS has_thumbnail,
  i.original_filename, i.status, i.created_at, a.raw->'image_details'->>'likely_source' AS likely_source`;
const DETAIL_JOINS = `JOIN search_rows s ON s.user_id = $1 AND s.item_id = x.item_id
  JOIN items i ON i.user_id = $1 AND i.id = x.item_id
  LEFT JOIN analyses a ON a.id = s.analysis_id`;

/** The original plan: bm25 top-N and vector top-N, each a query returning display rows. */
const ALL = { candidates: search.candidates, allCategories: true };
const TWO_QUERY = {
  bm25: renumber(
    `WITH ${bm25Ctes(search.bm25, ALL)}
     SELECT x.item_id::text AS item_id, x.score, x.coverage, x.head_coverage, x.holds_place, ${DETAILS}
     FROM bm25 x ${DETAIL_JOINS}
     ORDER BY x.score DESC, x.item_id LIMIT ${search.candidates}`,
    { 1: 1, 2: 2, 12: 3 },
  ),
  vector: (cte: string) =>
    renumber(
      `WITH ${cte}
       SELECT x.item_id::text AS item_id, x.score, ${DETAILS}
       FROM vec x ${DETAIL_JOINS}
       ORDER BY x.score DESC, x.item_id LIMIT ${search.candidates}`,
      { 1: 1, 3: 2, 4: 3 },
    ),
};

interface Hit {
  item_id: string;
  score: number;
  coverage?: number;
  head_coverage?: number;
  holds_place?: boolean;
}

/** RRF in JavaScript with the same bars, weights, boosts and tie-breaks as the SQL (first pass). */
function fuse(bm: Hit[], vec: Hit[]): string[] {
  const { rrfK, bm25Weight, vectorWeight } = search.fusion;
  const byScore = (a: Hit, b: Hit) => b.score - a.score || (a.item_id < b.item_id ? -1 : 1);
  const fused = new Map<string, number>();
  const headline = (search.fusion.headlineBoost * (bm25Weight + vectorWeight)) / (rrfK + 1);
  const whole = (search.fusion.coverageBoost * (bm25Weight + vectorWeight)) / (rrfK + 1);
  const place = (search.fusion.placeBoost * (bm25Weight + vectorWeight)) / (rrfK + 1);
  const listed = bm.filter((h) => (h.coverage ?? 0) >= search.docMinBm25Coverage);
  const best = Math.max(0, ...listed.map((h) => h.coverage ?? 0));
  const vectorShare = vectorWeight * (1 + search.fusion.vectorLift * (1 - best));
  listed
    .sort(byScore)
    .forEach((h, i) =>
      fused.set(
        h.item_id,
        (fused.get(h.item_id) ?? 0) +
          bm25Weight / (rrfK + i + 1) +
          headline * (h.head_coverage ?? 0) ** 2 +
          whole * (h.coverage ?? 0) ** 2 +
          (h.holds_place ? place : 0),
      ),
    );
  vec
    .filter((h) => h.score >= search.docMinVectorScore)
    .sort(byScore)
    .forEach((h, i) => fused.set(h.item_id, (fused.get(h.item_id) ?? 0) + vectorShare / (rrfK + i + 1)));
  return [...fused]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_K)
    .map(([id]) => id);
}

async function timed<T>(samples: number[], fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await fn();
  samples.push(performance.now() - t);
  return r;
}

interface Runner {
  label: 'exact' | 'hnsw';
  /** Runs a statement the way SearchService does for this path (search without a category filter). */
  run<T>(sql: string, p: unknown[]): Promise<T[]>;
  sql: string;
  vecCte: string;
}

/**
 * BENCH_PLANS=cached (default): statements run as SearchService runs them on PGlite, prepared
 * once with a cached generic plan (queryCachedPlan), the two-query baseline too;
 * BENCH_PLANS=per-call: planned on every call (plain query(), as before plans were cached).
 */
const CACHED_PLANS = (process.env.BENCH_PLANS ?? 'cached') === 'cached';

function runners(db: PGliteDatabase): Record<'exact' | 'hnsw', Runner> {
  const run = async <T>(sql: string, p: unknown[], settings?: LocalSettings): Promise<T[]> => {
    if (CACHED_PLANS) return (await db.queryCachedPlan<T>(statementName(sql), sql, p, settings)).rows;
    if (!settings) return (await db.query<T>(sql, p)).rows;
    // SET LOCAL ef_search / iterative scan, then the statement, one transaction.
    return db.transaction(async (tx: Queryable) => {
      await setLocal(tx, settings);
      return (await tx.query<T>(sql, p)).rows;
    });
  };
  return {
    exact: {
      label: 'exact',
      run: (sql, p) => run(sql, p),
      sql: searchSql(search.bm25, search.fusion, ALL),
      vecCte: vectorCte(ALL),
    },
    hnsw: {
      label: 'hnsw',
      run: (sql, p) => run(sql, p, annSettings(vi)),
      sql: searchSql(search.bm25, search.fusion, { ...ALL, vectorCte: (shape) => annVectorCte(model, shape) }),
      vecCte: annVectorCte(model, ALL),
    },
  };
}

/** Vector candidates alone (ids by similarity), for recall. */
const candidatesSql = (cte: string) =>
  renumber(`WITH ${cte} SELECT item_id::text AS item_id FROM vec ORDER BY score DESC, item_id`, { 1: 1, 3: 2, 4: 3 });

async function measure(r: Runner, queries: BenchQuery[], reps: number) {
  const t = { bm25: [] as number[], vector: [] as number[], hybrid: [] as number[], two_query: [] as number[] };
  const one: string[][] = [];
  const two: string[][] = [];
  for (let rep = -1; rep < reps; rep++) {
    // rep -1 warms caches and the JIT on a few queries, unrecorded.
    const sink = rep < 0 ? { bm25: [], vector: [], hybrid: [], two_query: [] } : t;
    for (const q of rep < 0 ? queries.slice(0, 5) : queries) {
      // bm25 never reads the vector CTE ($3 NULL): the same statement on both paths.
      if (r.label === 'exact') await timed(sink.bm25, () => r.run(r.sql, params('bm25', q)));
      await timed(sink.vector, () => r.run(r.sql, params('vector', q)));
      const h = await timed(sink.hybrid, () => r.run<{ item_id: string }>(r.sql, params('hybrid', q)));
      const p = params('hybrid', q);
      const fusedIds = await timed(sink.two_query, async () => {
        const bm = await r.run<Hit>(TWO_QUERY.bm25, [p[0], p[1], p[11]]);
        const vec = await r.run<Hit>(TWO_QUERY.vector(r.vecCte), [p[0], p[2], p[3]]);
        return fuse(bm, vec);
      });
      if (rep === 0) {
        one.push(h.map((x) => x.item_id));
        two.push(fusedIds);
      }
    }
  }
  const same = one.filter((ids, i) => ids.join() === two[i]!.join()).length;
  const s = {
    bm25: r.label === 'exact' ? summarise(t.bm25) : null,
    vector: summarise(t.vector),
    hybrid: summarise(t.hybrid),
    two_query_hybrid: summarise(t.two_query),
  };
  return {
    ...s,
    hybrid_vs_two_query: { p50: round(s.hybrid.p50 / s.two_query_hybrid.p50, 2), p95: round(s.hybrid.p95 / s.two_query_hybrid.p95, 2) },
    same_top10_as_two_query: `${same}/${one.length}`,
  };
}

async function vectorLists(r: Runner, queries: BenchQuery[]) {
  const out: string[][] = [];
  for (const q of queries) {
    const p = params('vector', q);
    out.push((await r.run<{ item_id: string }>(candidatesSql(r.vecCte), [p[0], p[2], p[3]])).map((x) => x.item_id));
  }
  return out;
}

const recallAt = (truth: string[][], got: string[][], k: number) => {
  let hit = 0;
  let all = 0;
  truth.forEach((t, i) => {
    const g = new Set(got[i]!.slice(0, k));
    for (const id of t.slice(0, k)) {
      all++;
      if (g.has(id)) hit++;
    }
  });
  return all ? round(hit / all, 4) : 1;
};

/** Per-item insert time (item, analysis, search row), then the rows are removed again. */
async function insertCost(db: PGliteDatabase, make: () => SyntheticDoc, n = 20) {
  const docs = Array.from({ length: n }, make);
  const samples: number[] = [];
  for (const d of docs) await timed(samples, () => seedDocs(db, USER, [d], model.id));
  await db.query(`DELETE FROM items WHERE user_id = $1 AND id = ANY($2::uuid[])`, [USER, docs.map((d) => d.id)]);
  return summarise(samples);
}

async function planUsesIndex(db: PGliteDatabase, r: Runner, q: BenchQuery) {
  const plan = await db.transaction(async (tx) => {
    await setLocal(tx, annSettings(vi));
    // The plan searches use: the generic one when plans are cached.
    if (CACHED_PLANS) await tx.query(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`);
    return (await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${r.sql}`, params('hybrid', q))).rows;
  });
  return plan.some((row) => row['QUERY PLAN'].includes(vectorIndexName(model)));
}

async function main() {
  const started = performance.now();
  const corpus = createCorpus({ dimensions: model.dimensions });
  const db = await PGliteDatabase.open();
  await migrate(db);
  const path = runners(db);
  const docs: SyntheticDoc[] = [];
  const reports: Record<string, unknown>[] = [];
  process.stderr.write(
    `bench:search — model ${model.id} (${model.dimensions} dims), sizes ${SIZES.join(', ')}, ${QUERIES} queries × ${REPS} reps (${process.env.BENCH_REPS_LARGE ?? 1} from 50k)\n`,
  );

  for (const size of SIZES) {
    // Grow the collection to `size`, in batches of 1,000 (statement-level stats triggers).
    let t = performance.now();
    const fresh: SyntheticDoc[] = [];
    while (docs.length + fresh.length < size) fresh.push(corpus.doc());
    for (let i = 0; i < fresh.length; i += 1000) {
      await db.transaction((tx) => seedDocs(tx, USER, fresh.slice(i, i + 1000), model.id));
    }
    docs.push(...fresh);
    await db.query('VACUUM ANALYZE');
    const seedS = round((performance.now() - t) / 1000);
    const stats = (
      await db.query<{ terms: number; avg_lexemes: number; heap_mb: number; total_mb: number }>(
        `SELECT (SELECT count(*)::int FROM search_terms WHERE user_id = $1) AS terms,
                (SELECT round(avg(length(tsv)), 1)::float8 FROM search_rows) AS avg_lexemes,
                round(pg_relation_size('search_rows') / 1048576.0, 1)::float8 AS heap_mb,
                round(pg_total_relation_size('search_rows') / 1048576.0, 1)::float8 AS total_mb`,
        [USER],
      )
    ).rows[0];
    const queries = corpus.queries(QUERIES, docs).map((q) => ({ ...q, literal: `[${q.embedding.join(',')}]` }));
    process.stderr.write(`  ${size}: seeded in ${seedS} s; exact…\n`);

    const reps = size >= 50_000 ? Number(process.env.BENCH_REPS_LARGE ?? 1) : REPS;
    const exact = await measure(path.exact, queries, reps);
    const exactLists = await vectorLists(path.exact, queries);
    const insertExact = await insertCost(db, () => corpus.doc());

    process.stderr.write(`  ${size}: building HNSW…\n`);
    t = performance.now();
    const built = await ensureVectorIndex(db, model, { minRows: 0 });
    const buildS = round((performance.now() - t) / 1000);
    await db.query('ANALYZE search_rows');
    const usesIndex = await planUsesIndex(db, path.hnsw, queries[0]!);
    const hnsw = { ...(await measure(path.hnsw, queries, reps)), bm25: exact.bm25 };
    const annLists = await vectorLists(path.hnsw, queries);
    const insertHnsw = await insertCost(db, () => corpus.doc());
    await db.query(`DROP INDEX ${built.index}`);

    const chosen = size >= vi.annMinRows ? 'hnsw' : 'exact';
    const report = {
      items: size,
      embedding: `${model.id} (${model.dimensions} dims)`,
      corpus: {
        distinct_terms: stats?.terms,
        avg_lexemes_per_item: stats?.avg_lexemes,
        search_rows_heap_mb: stats?.heap_mb,
        search_rows_total_mb: stats?.total_mb,
      },
      seed_s: seedS,
      exact,
      hnsw: {
        ...hnsw,
        build_s: buildS,
        params: { m: vi.m, ef_construction: vi.efConstruction, ef_search: vi.efSearch, iterative_scan: 'relaxed_order' },
        planner_uses_index: usesIndex,
        'recall@10': recallAt(exactLists, annLists, 10),
        'recall@100': recallAt(exactLists, annLists, 100),
      },
      insert_one_item_ms: { without_index: insertExact, with_hnsw: insertHnsw },
      service_path: chosen,
      service: chosen === 'hnsw' ? hnsw : exact,
    };
    reports.push(report);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  }
  await db.close();

  // The short human summary.
  const lines = reports.map((r: any) => {
    const s = r.service;
    return (
      `${String(r.items).padStart(6)} items (${r.service_path}): bm25 ${s.bm25.p50}/${s.bm25.p95} ms, ` +
      `vector ${s.vector.p50}/${s.vector.p95} ms, hybrid ${s.hybrid.p50}/${s.hybrid.p95} ms (p50/p95); ` +
      `one statement vs two queries ×${s.hybrid_vs_two_query.p50} (p50) ×${s.hybrid_vs_two_query.p95} (p95); ` +
      `exact vector p95 ${r.exact.vector.p95} ms vs HNSW ${r.hnsw.vector.p95} ms, recall@10 ${r.hnsw['recall@10']}, build ${r.hnsw.build_s} s`
    );
  });
  // Issue 13's targets: hybrid p95 ≤ 20 ms at 10k and ≤ 60 ms at 50k, one statement ≥ 1.5×
  // faster than two queries fused in JS (p95).
  for (const [items, limit] of [
    [10_000, 20],
    [50_000, 60],
  ] as const) {
    const r = reports.find((x: any) => x.items === items) as any;
    if (!r) continue;
    const s = r.service;
    const speedup = round(s.two_query_hybrid.p95 / s.hybrid.p95, 2);
    lines.push(
      `target at ${items / 1000}k items: hybrid p95 ${s.hybrid.p95} ms ≤ ${limit} ms: ${s.hybrid.p95 <= limit ? 'met' : 'NOT met'}; ` +
        `one statement ${speedup}× faster than two queries at p95 (≥ 1.5×): ${speedup >= 1.5 ? 'met' : 'NOT met'}`,
    );
  }
  lines.push(`total ${round((performance.now() - started) / 1000)} s`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (process.env.BENCH_OUT) await writeFile(process.env.BENCH_OUT, JSON.stringify(reports, null, 2));
}

await main();
