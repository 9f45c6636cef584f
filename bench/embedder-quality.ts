/**
 * npx tsx bench/embedder-quality.ts [--shared DIR] [--verbose]
 *
 * Retrieval quality of the offline embedders alone (no BM25, no fusion): embeds the 55 golden
 * analyses as documents (flatDocument) and the graded dev queries as queries, ranks by cosine and
 * reports, per model, MRR (first expected item within the top 10), NDCG@10 (gain 3 for high, 2
 * for medium; DCG = Σ rel_i / log2(i+1)), recall@10, and per query type. For the relevance cutoff
 * it compares the top score of each edge-case query (which should find nothing) with the score of
 * the best expected item of every other query, and names the threshold that separates them best.
 *
 * DIR defaults to $COLLECTIONS_SHARED_DIR or ../shared; without it the bench says so and exits 0.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalEmbedder } from '../src/adapters/embedder/local.js';
import { LocalSemanticEmbedder } from '../src/adapters/embedder/local-semantic.js';
import { cosineSimilarity } from '../src/adapters/embedder/vector-math.js';
import { AnalysisSchema, flatDocument } from '../src/domain/analysis.js';
import type { Embedder } from '../src/ports/embedder.js';

const GAIN = { high: 3, medium: 2 } as const;
const K = 10;

export interface GoldenQuery {
  query_id: string;
  query_text: string;
  query_type: string;
  expected_items: { item_id: string; relevance: keyof typeof GAIN }[];
}
export interface GoldenDoc {
  id: string;
  text: string;
}

export interface QueryResult {
  query: GoldenQuery;
  ranked: { id: string; score: number }[];
  reciprocalRank: number;
  ndcg: number;
  recall: number;
  /** Edge cases: the top score. Others: the score of the best-placed expected item. */
  score: number;
}

export function loadGolden(sharedDir: string): { docs: GoldenDoc[]; queries: GoldenQuery[] } | null {
  const golden = path.join(sharedDir, 'data', 'golden');
  const analysesFile = path.join(golden, 'analyses.json');
  const queriesFile = path.join(golden, 'queries.dev.json');
  if (!existsSync(analysesFile) || !existsSync(queriesFile)) return null;
  const analyses = JSON.parse(readFileSync(analysesFile, 'utf8')) as {
    golden_analyses: ({ item_id: string } & Record<string, unknown>)[];
  };
  const docs = analyses.golden_analyses.map((a) => ({ id: a.item_id, text: flatDocument(AnalysisSchema.parse(a)) }));
  const queries = (JSON.parse(readFileSync(queriesFile, 'utf8')) as { queries: GoldenQuery[] }).queries;
  return { docs, queries };
}

export const isEdgeCase = (q: GoldenQuery) => q.query_type === 'edge-case-no-results';

export async function evaluate(embedder: Embedder, docs: GoldenDoc[], queries: GoldenQuery[]): Promise<QueryResult[]> {
  const docVectors = await embedder.embed(
    docs.map((d) => d.text),
    'document',
  );
  const queryVectors = await embedder.embed(
    queries.map((q) => q.query_text),
    'query',
  );
  return queries.map((query, qi) => {
    const ranked = docs
      .map((d, di) => ({ id: d.id, score: cosineSimilarity(queryVectors[qi]!, docVectors[di]!) }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    const gain = new Map(query.expected_items.map((e) => [e.item_id, GAIN[e.relevance]]));
    const top = ranked.slice(0, K);
    const firstHit = top.findIndex((r) => gain.has(r.id));
    const dcg = top.reduce((sum, r, i) => sum + (gain.get(r.id) ?? 0) / Math.log2(i + 2), 0);
    const ideal = [...gain.values()]
      .sort((a, b) => b - a)
      .slice(0, K)
      .reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
    const found = top.filter((r) => gain.has(r.id)).length;
    const bestExpected = ranked.find((r) => gain.has(r.id));
    return {
      query,
      ranked,
      reciprocalRank: firstHit === -1 ? 0 : 1 / (firstHit + 1),
      ndcg: ideal === 0 ? 0 : dcg / ideal,
      recall: gain.size === 0 ? 0 : found / gain.size,
      score: isEdgeCase(query) ? ranked[0]!.score : (bestExpected?.score ?? 0),
    };
  });
}

/** The cutoff that classifies the most queries right: edge cases below it, the others at or above. */
export function bestCutoff(results: QueryResult[]): { cutoff: number; correct: number; total: number } {
  const scores = results.map((r) => ({ edge: isEdgeCase(r.query), score: r.score })).sort((a, b) => a.score - b.score);
  let best = { cutoff: 0, correct: -1, total: scores.length };
  // Candidate cutoffs: midpoints between neighbouring scores, and both ends.
  const candidates = [scores[0]!.score - 1e-6];
  for (let i = 1; i < scores.length; i++) candidates.push((scores[i - 1]!.score + scores[i]!.score) / 2);
  candidates.push(scores[scores.length - 1]!.score + 1e-6);
  for (const cutoff of candidates) {
    const correct = scores.filter((s) => (s.edge ? s.score < cutoff : s.score >= cutoff)).length;
    if (correct > best.correct) best = { cutoff, correct, total: scores.length };
  }
  return best;
}

function quantiles(xs: number[]): { min: number; p10: number; median: number; p90: number; max: number } {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { min: sorted[0] ?? 0, p10: at(0.1), median: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1] ?? 0 };
}

export function summarize(results: QueryResult[]) {
  const graded = results.filter((r) => !isEdgeCase(r.query));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const edge = results.filter((r) => isEdgeCase(r.query)).map((r) => r.score);
  const expected = graded.map((r) => r.score);
  // Per-document view, for a per-document cutoff: every expected item vs every other item.
  const expectedAll: number[] = [];
  const others: number[] = [];
  for (const r of graded) {
    const wanted = new Set(r.query.expected_items.map((e) => e.item_id));
    for (const d of r.ranked) (wanted.has(d.id) ? expectedAll : others).push(d.score);
  }
  return {
    expectedItems: quantiles(expectedAll),
    otherItems: quantiles(others),
    mrr: mean(graded.map((r) => r.reciprocalRank)),
    ndcg: mean(graded.map((r) => r.ndcg)),
    recall: mean(graded.map((r) => r.recall)),
    edgeMax: Math.max(...edge),
    edgeScores: edge,
    expectedMin: Math.min(...expected),
    expectedMedian: [...expected].sort((a, b) => a - b)[Math.floor(expected.length / 2)] ?? 0,
    cutoff: bestCutoff(results),
  };
}

const f = (x: number) => x.toFixed(3);

function report(name: string, results: QueryResult[], verbose: boolean): void {
  const s = summarize(results);
  console.log(`\n## ${name}`);
  console.log(`MRR ${f(s.mrr)}  NDCG@10 ${f(s.ndcg)}  recall@10 ${f(s.recall)}  (${results.length - s.edgeScores.length} graded queries)`);
  const types = [...new Set(results.map((r) => r.query.query_type))].filter((t) => t !== 'edge-case-no-results');
  for (const type of types) {
    const sub = summarize(results.filter((r) => r.query.query_type === type || isEdgeCase(r.query)));
    console.log(`  ${type.padEnd(22)} MRR ${f(sub.mrr)}  NDCG@10 ${f(sub.ndcg)}  recall@10 ${f(sub.recall)}`);
  }
  console.log(
    `edge-case top scores: ${s.edgeScores.map(f).join(', ')} (max ${f(s.edgeMax)}); ` +
      `best expected item: min ${f(s.expectedMin)}, median ${f(s.expectedMedian)}`,
  );
  console.log(
    `suggested cutoff ${f(s.cutoff.cutoff)}: ${s.cutoff.correct}/${s.cutoff.total} queries on the right side ` +
      `(edge cases below, best expected item at or above)`,
  );
  const q = (x: ReturnType<typeof quantiles>) => `min ${f(x.min)} p10 ${f(x.p10)} median ${f(x.median)} p90 ${f(x.p90)} max ${f(x.max)}`;
  console.log(`per document, graded queries: expected items ${q(s.expectedItems)}`);
  console.log(`                              other items    ${q(s.otherItems)}`);
  if (!verbose) return;
  for (const r of results) {
    const rank = r.ranked.findIndex((x) => r.query.expected_items.some((e) => e.item_id === x.id));
    console.log(
      `  ${r.query.query_id} ${r.query.query_type.slice(0, 6)} rr=${f(r.reciprocalRank)} ndcg=${f(r.ndcg)} ` +
        `recall=${f(r.recall)} score=${f(r.score)} first@${rank + 1}  ${r.query.query_text}`,
    );
  }
}

function speed(embedder: LocalEmbedder | LocalSemanticEmbedder): number {
  const docs = Array.from({ length: 2000 }, (_, i) => `Screenshot ${i}: receipt from a ramen restaurant in Fukuoka, Japan, paid by card`);
  embedder.embedOne('warm up');
  const started = performance.now();
  for (const d of docs) embedder.embedOne(d);
  return docs.length / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sharedIndex = args.indexOf('--shared');
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const shared = path.resolve(
    sharedIndex !== -1 ? args[sharedIndex + 1]! : (process.env.COLLECTIONS_SHARED_DIR ?? path.join(repoRoot, '..', 'shared')),
  );
  const golden = loadGolden(shared);
  if (!golden) {
    console.log(`embedder-quality: skipped, no golden set under ${shared}/data/golden (pass --shared DIR).`);
    return;
  }
  const verbose = args.includes('--verbose');
  console.log(`${golden.docs.length} documents, ${golden.queries.length} queries from ${shared}/data/golden`);

  const loadStarted = performance.now();
  const semantic = new LocalSemanticEmbedder();
  semantic.embedOne('load');
  const loadMs = performance.now() - loadStarted;

  for (const embedder of [new LocalEmbedder(), semantic]) {
    const started = performance.now();
    const results = await evaluate(embedder, golden.docs, golden.queries);
    const ms = performance.now() - started;
    report(`${embedder.id} (${embedder.dimensions} dims)`, results, verbose);
    console.log(
      `speed: ${Math.round(speed(embedder))} short docs/s; the ${golden.docs.length} golden documents + ` +
        `${golden.queries.length} queries in ${Math.round(ms)} ms`,
    );
  }
  console.log(`\n${semantic.id}: word vectors and lexicon loaded in ${Math.round(loadMs)} ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
