import { performance } from 'node:perf_hooks';
import { SEARCH_TYPES, type SearchType, type Searcher } from '../../contracts/search.js';
import { errorMessage } from '../../domain/errors.js';
import type { EvalDataset } from './dataset.js';
import { RR_DEPTH } from './metrics.js';
import { METRIC_DEFINITIONS, aggregate, scoreQuery, type EvalReport, type QueryResult } from './report.js';

export const DEFAULT_SEARCH_TYPES: SearchType[] = ['bm25', 'vector', 'hybrid'];
export const DEFAULT_KS = [1, 3, 5, 10];
/** The largest `top_k` the search accepts. */
export const MAX_TOP_K = 50;

export interface EvalProgress {
  done: number;
  total: number;
  search_type: SearchType;
  query_id: string;
  status: QueryResult['status'];
}

export interface RunEvaluationOptions {
  dataset: EvalDataset;
  searcher: Searcher;
  /** The user whose collection is searched (in process; HTTP servers decide themselves). */
  userId: string;
  searchTypes?: readonly SearchType[];
  ks?: readonly number[];
  /** One untimed search per search type before the timed ones (loads models, warms caches). */
  warmup?: boolean;
  onProgress?: (p: EvalProgress) => void;
  /** Recorded in the report. */
  datasetPath?: string;
  mode?: 'in-process' | 'http';
  url?: string;
  now?: () => Date;
}

/** `"1,3,5,10"` → [1, 3, 5, 10] (sorted, unique, each 1..50). */
export function parseKs(value: string | readonly number[]): number[] {
  const parts =
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value.map(String);
  if (parts.length === 0) throw new Error('--k needs at least one value, e.g. 1,3,5,10');
  const ks = parts.map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 1 || n > MAX_TOP_K)
      throw new Error(`--k values must be whole numbers from 1 to ${MAX_TOP_K}, got ${JSON.stringify(p)}`);
    return n;
  });
  return [...new Set(ks)].sort((a, b) => a - b);
}

/** `"bm25,vector"` → ['bm25', 'vector'] (known types only, order kept, no repeats). */
export function parseSearchTypes(value: string | readonly string[]): SearchType[] {
  const parts =
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [...value];
  if (parts.length === 0) throw new Error(`--search-types needs at least one of ${SEARCH_TYPES.join(', ')}`);
  for (const p of parts) {
    if (!(SEARCH_TYPES as readonly string[]).includes(p)) {
      throw new Error(`unknown search type ${JSON.stringify(p)}: use ${SEARCH_TYPES.join(', ')}`);
    }
  }
  return [...new Set(parts)] as SearchType[];
}

/**
 * Runs every query of the dataset with every search type, one call at a time (so latencies are
 * not queueing), and scores them. A failed call is recorded with its error and scored as an
 * empty result; the run goes on.
 */
export async function runEvaluation(opts: RunEvaluationOptions): Promise<EvalReport> {
  const searchTypes = opts.searchTypes ? parseSearchTypes(opts.searchTypes) : DEFAULT_SEARCH_TYPES;
  const ks = opts.ks ? parseKs(opts.ks) : DEFAULT_KS;
  const topK = Math.min(MAX_TOP_K, Math.max(RR_DEPTH, ...ks));
  const queries = opts.dataset.queries;
  const total = queries.length * searchTypes.length;
  const rows: QueryResult[] = [];

  for (const searchType of searchTypes) {
    if (opts.warmup && queries[0]) {
      await opts.searcher
        .search(opts.userId, { query: queries[0].query_text, search_type: searchType, top_k: topK })
        .catch(() => undefined);
    }
    for (const q of queries) {
      const started = performance.now();
      let row: QueryResult;
      try {
        const res = await opts.searcher.search(opts.userId, { query: q.query_text, search_type: searchType, top_k: topK });
        const latency = performance.now() - started;
        const ids = [...res.results].sort((a, b) => a.rank - b.rank).map((r) => r.item_id);
        row = scoreQuery(
          q,
          searchType,
          ids,
          ks,
          { latency_ms: latency, retrieval_time_ms: res.retrieval_time_ms, notices: res.notices, match: res.match },
          topK,
        );
      } catch (err) {
        row = scoreQuery(q, searchType, [], ks, { latency_ms: performance.now() - started, error: errorMessage(err) }, topK);
      }
      rows.push(row);
      opts.onProgress?.({ done: rows.length, total, search_type: searchType, query_id: q.query_id, status: row.status });
    }
  }

  const queryTypes: Record<string, number> = {};
  for (const q of queries) queryTypes[q.query_type] = (queryTypes[q.query_type] ?? 0) + 1;
  const meta = opts.dataset.metadata;
  return {
    dataset: {
      path: opts.datasetPath ?? null,
      version: typeof meta.version === 'string' ? meta.version : null,
      split: typeof meta.split === 'string' ? meta.split : null,
      queries: queries.length,
      query_types: queryTypes,
    },
    generated_at: (opts.now?.() ?? new Date()).toISOString(),
    config: {
      search_types: searchTypes,
      k: ks,
      top_k: topK,
      mode: opts.mode ?? 'in-process',
      url: opts.url ?? null,
      user_id: opts.mode === 'http' ? null : opts.userId,
      warmup: !!opts.warmup,
    },
    ...aggregate(rows, searchTypes, ks),
    queries: rows,
    definitions: METRIC_DEFINITIONS,
  };
}
