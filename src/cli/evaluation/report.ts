import type { MatchVerdict, SearchType } from '../../contracts/search.js';
import { SINGLE_ITEM_QUERY_TYPE, type EvalQuery } from './dataset.js';
import {
  RR_DEPTH,
  firstRelevantRank,
  mean,
  ndcgAtK,
  percentile,
  precisionAtK,
  recallAtK,
  reciprocalRank,
  relevanceMap,
  type RelevanceLabel,
} from './metrics.js';

/** Values keyed by k as a string: `{"1": 0.8, "3": 0.4, …}`. */
export type ByK = Record<string, number>;
export type NullableByK = Record<string, number | null>;

export type QueryStatus =
  /** the first result is an expected item */
  | 'pass'
  /** an expected item is in the top 10, not at rank 1 */
  | 'partial'
  /** no expected item in the top 10 */
  | 'fail'
  /** edge query, nothing returned */
  | 'true_negative'
  /** edge query, something returned */
  | 'false_positive'
  /** the search call failed (scored as an empty result; never a true negative) */
  | 'error';

/** One query run with one search type. Metric fields are null for edge queries. */
export interface QueryResult {
  id: string;
  query: string;
  query_type: string;
  search_type: SearchType;
  /** Expects no results (scored as a true negative or a false positive, not averaged). */
  edge: boolean;
  status: QueryStatus;
  /** Returned item ids in rank order (at most top_k). */
  results: string[];
  expected: { item_id: string; relevance: RelevanceLabel }[];
  /** Rank of the first expected item within the top 10. */
  first_relevant_rank: number | null;
  rr: number | null;
  'ndcg@10': number | null;
  'p@k': ByK | null;
  'r@k': ByK | null;
  'ndcg@k': ByK | null;
  /** Client-side wall time of the search call. */
  latency_ms: number | null;
  /** The server's own `retrieval_time_ms`. */
  retrieval_time_ms: number | null;
  error?: string;
  /** The search's own remarks, e.g. `agentic_unavailable` (only when it made some). */
  notices?: string[];
  /** The search's verdict on its answer (strong / weak / none), when it gave one. */
  match?: MatchVerdict;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
}

/**
 * Metrics of a group of query runs (one search type, optionally one query type). Averages are
 * over the non-edge queries (`evaluated`) and are null when there are none. Metrics at k come
 * twice: as objects keyed by k (`precision@k: {"1": …, "5": …}`) and flattened
 * (`precision@1`, `precision@5`, …) for convenience.
 */
export type MetricsSummary = {
  /** Query runs in the group (edge ones included). */
  queries: number;
  /** Non-edge query runs: the denominator of every average. */
  evaluated: number;
  /** Search calls that failed. */
  errors: number;
  mrr: number | null;
  'ndcg@10': number | null;
  'precision@k': NullableByK;
  'recall@k': NullableByK;
  'ndcg@k': NullableByK;
  /** Edge queries that returned nothing. */
  true_negatives: number;
  /** Edge queries that returned something. */
  false_positives: number;
  edge_queries: number;
  true_negative_rate: number | null;
  /** Answerable queries that returned nothing: false empties (target: none). */
  false_empties: number;
  /** Answerable queries answered with only the closest items (`match: weak`). */
  weak_answers: number;
  /** Edge (off-topic) queries answered with a confident match (`match: strong`). */
  edge_strong: number;
  /** Single-item-precision queries whose expected item came back at rank 1 (target: all). */
  single_item_at_rank1: { hits: number; total: number };
  /** Client-side wall time of each search call (failed calls left out). */
  latency_ms: Percentiles;
  /** The server's `retrieval_time_ms`. */
  retrieval_time_ms: Percentiles;
} & { [key: `precision@${number}` | `recall@${number}` | `ndcg@${number}`]: number | null };

export interface EvalReport {
  dataset: {
    path: string | null;
    version: string | null;
    split: string | null;
    queries: number;
    query_types: Record<string, number>;
  };
  generated_at: string;
  config: {
    search_types: SearchType[];
    k: number[];
    /** `top_k` sent with every search: max(k, 10), so RR and NDCG@10 always see ten ranks. */
    top_k: number;
    mode: 'in-process' | 'http';
    url: string | null;
    user_id: string | null;
    warmup: boolean;
  };
  summary: Partial<Record<SearchType, MetricsSummary>>;
  by_query_type: Partial<Record<SearchType, Record<string, MetricsSummary>>>;
  queries: QueryResult[];
  /** What `--setup golden` loaded first, when it ran. */
  setup?: Record<string, unknown>;
  definitions: Record<string, string>;
}

export const METRIC_DEFINITIONS: Record<string, string> = {
  relevance: 'high=3, medium=2, low=1; items not expected count 0',
  'precision@k': 'hits in the top k / k; keyed by k, also flattened as precision@1, precision@3, …',
  'recall@k': 'hits in the top k / number of expected items; keyed by k, also flattened',
  mrr: 'mean over non-edge queries of 1/rank of the first expected item in the top 10 (0 if none)',
  'ndcg@k':
    'DCG@k / IDCG@k with DCG@k = sum_{i=1..k} rel_i / bit_length(i+1) (Python int.bit_length, as collections-local), IDCG from the expected relevances sorted descending',
  duplicates: 'a repeated item id counts only at its first position',
  averages: 'over non-edge queries; a failed search call counts as an empty result',
  true_negatives: 'edge queries (no expected items) whose search returned nothing',
  false_empties: 'answerable queries (expected items) whose search returned nothing',
  weak_answers: "answerable queries whose answer was only the closest items (the search's match: weak)",
  edge_strong: "edge queries answered with a confident match (the search's match: strong)",
  single_item_at_rank1: 'single-item-precision queries with their expected item at rank 1',
  latency_ms: 'client-side wall time of each search call, p50/p95 with linear interpolation',
  retrieval_time_ms: "the server's retrieval_time_ms, p50/p95",
};

const round = (v: number | null, digits = 6): number | null => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

/**
 * Scores one query's results (exactly the ids the search returned, in rank order). Edge queries
 * (nothing expected) get a status only. Results are cut to `topK` first.
 */
export function scoreQuery(
  query: EvalQuery,
  searchType: SearchType,
  returned: readonly string[],
  ks: readonly number[],
  timing: { latency_ms?: number | null; retrieval_time_ms?: number | null; error?: string; notices?: string[]; match?: MatchVerdict } = {},
  topK = Math.max(RR_DEPTH, ...ks),
): QueryResult {
  const results = returned.slice(0, topK);
  const expected = query.expected_items.map((e) => ({ item_id: e.item_id, relevance: e.relevance }));
  const base = {
    id: query.query_id,
    query: query.query_text,
    query_type: query.query_type,
    search_type: searchType,
    results,
    expected,
    latency_ms: round(timing.latency_ms ?? null, 3),
    retrieval_time_ms: round(timing.retrieval_time_ms ?? null, 3),
    ...(timing.error !== undefined ? { error: timing.error } : {}),
    ...(timing.notices?.length ? { notices: timing.notices } : {}),
    ...(timing.match ? { match: timing.match } : {}),
  };
  if (expected.length === 0) {
    return {
      ...base,
      edge: true,
      status: timing.error !== undefined ? 'error' : results.length === 0 ? 'true_negative' : 'false_positive',
      first_relevant_rank: null,
      rr: null,
      'ndcg@10': null,
      'p@k': null,
      'r@k': null,
      'ndcg@k': null,
    };
  }
  const ids = expected.map((e) => e.item_id);
  const rel = relevanceMap(expected);
  const byK = (f: (k: number) => number): ByK => Object.fromEntries(ks.map((k) => [String(k), round(f(k))!]));
  const first = firstRelevantRank(results, ids);
  return {
    ...base,
    edge: false,
    status: timing.error !== undefined ? 'error' : first === 1 ? 'pass' : first !== null ? 'partial' : 'fail',
    first_relevant_rank: first,
    rr: round(reciprocalRank(results, ids)),
    'ndcg@10': round(ndcgAtK(results, rel, 10)),
    'p@k': byK((k) => precisionAtK(results, ids, k)),
    'r@k': byK((k) => recallAtK(results, ids, k)),
    'ndcg@k': byK((k) => ndcgAtK(results, rel, k)),
  };
}

/** Aggregates query runs (normally one search type, optionally one query type). */
export function summarize(rows: readonly QueryResult[], ks: readonly number[]): MetricsSummary {
  const scored = rows.filter((r) => !r.edge);
  const edges = rows.filter((r) => r.edge);
  const avg = (f: (r: QueryResult) => number) => round(mean(scored.map(f)));
  const atK = (field: 'p@k' | 'r@k' | 'ndcg@k'): NullableByK =>
    Object.fromEntries(ks.map((k) => [String(k), avg((r) => r[field]?.[String(k)] ?? 0)]));
  const precision = atK('p@k');
  const recall = atK('r@k');
  const ndcg = atK('ndcg@k');
  const flat: Record<string, number | null> = {};
  for (const k of ks) flat[`precision@${k}`] = precision[String(k)] ?? null;
  for (const k of ks) flat[`recall@${k}`] = recall[String(k)] ?? null;
  for (const k of ks) flat[`ndcg@${k}`] = ndcg[String(k)] ?? null;
  const single = scored.filter((r) => r.query_type === SINGLE_ITEM_QUERY_TYPE);
  const ok = rows.filter((r) => r.status !== 'error');
  const latencies = ok.map((r) => r.latency_ms).filter((v): v is number => v !== null);
  const server = ok.map((r) => r.retrieval_time_ms).filter((v): v is number => v !== null);
  const trueNegatives = edges.filter((r) => r.status === 'true_negative').length;
  return {
    queries: rows.length,
    evaluated: scored.length,
    errors: rows.length - ok.length,
    mrr: avg((r) => r.rr ?? 0),
    'ndcg@10': avg((r) => r['ndcg@10'] ?? 0),
    'precision@k': precision,
    'recall@k': recall,
    'ndcg@k': ndcg,
    ...flat,
    true_negatives: trueNegatives,
    false_positives: edges.filter((r) => r.status === 'false_positive').length,
    edge_queries: edges.length,
    true_negative_rate: edges.length === 0 ? null : round(trueNegatives / edges.length),
    false_empties: scored.filter((r) => r.status !== 'error' && r.results.length === 0).length,
    weak_answers: scored.filter((r) => r.match === 'weak').length,
    edge_strong: edges.filter((r) => r.match === 'strong').length,
    single_item_at_rank1: { hits: single.filter((r) => r.first_relevant_rank === 1).length, total: single.length },
    latency_ms: { p50: round(percentile(latencies, 50), 3), p95: round(percentile(latencies, 95), 3) },
    retrieval_time_ms: { p50: round(percentile(server, 50), 3), p95: round(percentile(server, 95), 3) },
  } as MetricsSummary;
}

/** `summary` and `by_query_type` of a report from its query runs. */
export function aggregate(
  rows: readonly QueryResult[],
  searchTypes: readonly SearchType[],
  ks: readonly number[],
): Pick<EvalReport, 'summary' | 'by_query_type'> {
  const summary: EvalReport['summary'] = {};
  const byType: EvalReport['by_query_type'] = {};
  for (const st of searchTypes) {
    const mine = rows.filter((r) => r.search_type === st);
    summary[st] = summarize(mine, ks);
    const groups: Record<string, MetricsSummary> = {};
    for (const qt of [...new Set(mine.map((r) => r.query_type))]) {
      groups[qt] = summarize(
        mine.filter((r) => r.query_type === qt),
        ks,
      );
    }
    byType[st] = groups;
  }
  return { summary, by_query_type: byType };
}
