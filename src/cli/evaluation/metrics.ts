/**
 * Retrieval metrics, defined exactly as collections-local's `scripts/evaluate_retrieval.py`
 * defines them, so numbers from both apps can be compared:
 *
 * - graded relevance: high = 3, medium = 2, low = 1 (anything not expected = 0);
 * - P@k = hits in the top k / k (k, not the number of results returned);
 * - R@k = hits in the top k / number of expected items;
 * - RR = 1 / rank of the first expected item within the top 10 (0 when none is there);
 * - DCG@k = Σ_{i=1..k} rel_i / bit_length(i + 1) — Python's `int.bit_length`, not log2, so the
 *   discounts for ranks 1..10 are 2, 2, 3, 3, 3, 3, 4, 4, 4, 4;
 * - IDCG@k = DCG@k of the expected relevances sorted high to low; NDCG@k = DCG@k / IDCG@k
 *   (0 when IDCG is 0).
 *
 * One deliberate refinement: an item id that appears more than once in the results counts only
 * at its first position (later copies are neither hits nor gain), so duplicates cannot push
 * NDCG above 1. Positions are kept, so a duplicate still uses up a slot of the top k.
 */

export const RELEVANCE_GRADES = { high: 3, medium: 2, low: 1 } as const;
export type RelevanceLabel = keyof typeof RELEVANCE_GRADES;

/** The rank window RR (and the headline NDCG) look at. */
export const RR_DEPTH = 10;

/** Python's `int.bit_length()` for positive integers: the number of binary digits. */
export function bitLength(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bitLength expects a positive integer, got ${n}`);
  return n.toString(2).length;
}

/** The DCG discount of 1-based rank `i`: bit_length(i + 1). */
export function discount(rank: number): number {
  return bitLength(rank + 1);
}

/** Results with later copies of an item id replaced by `null` (positions are kept). */
export function firstOccurrences(results: readonly string[]): (string | null)[] {
  const seen = new Set<string>();
  return results.map((id) => {
    if (seen.has(id)) return null;
    seen.add(id);
    return id;
  });
}

function hitsAtK(results: readonly string[], expected: ReadonlySet<string>, k: number): number {
  let hits = 0;
  for (const id of firstOccurrences(results.slice(0, k))) if (id !== null && expected.has(id)) hits++;
  return hits;
}

/** P@k = hits in the top k / k. */
export function precisionAtK(results: readonly string[], expected: Iterable<string>, k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  return hitsAtK(results, new Set(expected), k) / k;
}

/** R@k = hits in the top k / |expected| (0 when nothing is expected). */
export function recallAtK(results: readonly string[], expected: Iterable<string>, k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const set = new Set(expected);
  return set.size === 0 ? 0 : hitsAtK(results, set, k) / set.size;
}

/** 1-based rank of the first expected item within the top `depth`, or null. */
export function firstRelevantRank(results: readonly string[], expected: Iterable<string>, depth = RR_DEPTH): number | null {
  const set = new Set(expected);
  const idx = results.slice(0, depth).findIndex((id) => set.has(id));
  return idx === -1 ? null : idx + 1;
}

/** Reciprocal rank of the first expected item within the top 10 (0 if none). */
export function reciprocalRank(results: readonly string[], expected: Iterable<string>, depth = RR_DEPTH): number {
  const rank = firstRelevantRank(results, expected, depth);
  return rank === null ? 0 : 1 / rank;
}

/** DCG@k = Σ rel_i / bit_length(i + 1) over the top k (first occurrences only). */
export function dcgAtK(results: readonly string[], relevance: ReadonlyMap<string, number>, k: number): number {
  let dcg = 0;
  firstOccurrences(results.slice(0, k)).forEach((id, i) => {
    if (id !== null) dcg += (relevance.get(id) ?? 0) / discount(i + 1);
  });
  return dcg;
}

/** IDCG@k: DCG@k of the expected relevances in their ideal (descending) order. */
export function idealDcgAtK(relevance: ReadonlyMap<string, number>, k: number): number {
  return [...relevance.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, rel, i) => sum + rel / discount(i + 1), 0);
}

/** NDCG@k = DCG@k / IDCG@k (0 when IDCG is 0, i.e. nothing relevant is expected). */
export function ndcgAtK(results: readonly string[], relevance: ReadonlyMap<string, number>, k: number): number {
  const ideal = idealDcgAtK(relevance, k);
  return ideal === 0 ? 0 : dcgAtK(results, relevance, k) / ideal;
}

/** Graded relevance map from `{item_id, relevance}` pairs (the highest grade wins on repeats). */
export function relevanceMap(expected: readonly { item_id: string; relevance: RelevanceLabel }[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const e of expected) map.set(e.item_id, Math.max(map.get(e.item_id) ?? 0, RELEVANCE_GRADES[e.relevance]));
  return map;
}

/** Arithmetic mean, or null for no values. */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The p-th percentile (0..100) with linear interpolation between closest ranks (numpy's
 * default, `statistics.quantiles(method='inclusive')`), or null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (Math.min(Math.max(p, 0), 100) / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
