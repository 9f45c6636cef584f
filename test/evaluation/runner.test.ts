import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  parseDataset,
  parseKs,
  parseSearchTypes,
  renderMarkdown,
  renderSummaryTable,
  runEvaluation,
  scoreQuery,
  writeReport,
  type EvalReport,
} from '../../src/cli/evaluation/index.js';
import type { Searcher } from '../../src/contracts/search.js';
import { FakeSearcher, tinyDataset } from './fixtures.js';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'collections-eval-'));
});
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

const run = (searcher: Searcher = new FakeSearcher(), extra: Partial<Parameters<typeof runEvaluation>[0]> = {}) =>
  runEvaluation({
    dataset: tinyDataset,
    searcher,
    userId: 'u1',
    searchTypes: ['bm25', 'vector'],
    ks: [1, 3, 5, 10],
    now: () => new Date('2026-12-01T00:00:00Z'),
    datasetPath: '/tmp/tiny.json',
    ...extra,
  });

describe('runEvaluation with a fake Searcher', () => {
  it('sends every query with every search type, top_k 10, for the user', async () => {
    const searcher = new FakeSearcher();
    await run(searcher);
    expect(searcher.calls).toHaveLength(8);
    expect(searcher.calls.map((c) => c.request.search_type)).toEqual([
      'bm25',
      'bm25',
      'bm25',
      'bm25',
      'vector',
      'vector',
      'vector',
      'vector',
    ]);
    for (const c of searcher.calls) {
      expect(c.userId).toBe('u1');
      expect(c.request).toEqual({ query: expect.any(String), search_type: expect.any(String), top_k: 10 });
    }
  });

  it('warm-up adds one untimed call per search type', async () => {
    const searcher = new FakeSearcher();
    const report = await run(searcher, { warmup: true });
    expect(searcher.calls).toHaveLength(10);
    expect(report.queries).toHaveLength(8);
    expect(report.config.warmup).toBe(true);
  });

  it('top_k follows the largest k, never below 10', async () => {
    const searcher = new FakeSearcher();
    const report = await run(searcher, { ks: [20, 1] });
    expect(report.config).toMatchObject({ k: [1, 20], top_k: 20 });
    expect(searcher.calls[0]!.request.top_k).toBe(20);
  });

  it('computes the summary by hand-checked values (bm25)', async () => {
    const report = await run();
    const s = report.summary.bm25!;
    // q1: A@1, q2: B@2, q3: C@1 D@4 E@11 — averaged over the 3 non-edge queries
    expect(s.queries).toBe(4);
    expect(s.evaluated).toBe(3);
    expect(s.mrr).toBeCloseTo((1 + 0.5 + 1) / 3, 6);
    const ndcgQ1 = 1;
    const ndcgQ2 = 1; // B at rank 2: bit_length(3) = bit_length(2) = 2, so rank 2 is discounted like rank 1
    const ndcgQ3 = (3 / 2 + 2 / 3) / (3 / 2 + 3 / 2 + 2 / 3);
    expect(s['ndcg@10']).toBeCloseTo((ndcgQ1 + ndcgQ2 + ndcgQ3) / 3, 6);
    expect(s['precision@k']).toEqual({
      '1': expect.any(Number),
      '3': expect.any(Number),
      '5': expect.any(Number),
      '10': expect.any(Number),
    });
    expect(s['precision@1']).toBeCloseTo((1 + 0 + 1) / 3, 6);
    expect(s['precision@k']['3']).toBeCloseTo((1 / 3 + 1 / 3 + 1 / 3) / 3, 6);
    expect(s['recall@5']).toBeCloseTo((1 + 1 + 2 / 3) / 3, 6);
    expect(s['recall@k']['1']).toBeCloseTo((1 + 0 + 1 / 3) / 3, 6);
    expect(s['recall@10']).toBe(s['recall@k']['10']);
    expect(s).toMatchObject({
      true_negatives: 1,
      false_positives: 0,
      edge_queries: 1,
      true_negative_rate: 1,
      errors: 0,
      single_item_at_rank1: { hits: 1, total: 2 },
      retrieval_time_ms: { p50: 5, p95: 5 },
    });
    expect(s.latency_ms.p50).toBeGreaterThanOrEqual(0);
    expect(s.latency_ms.p95).toBeGreaterThanOrEqual(s.latency_ms.p50!);
  });

  it('vector: a missed single item, a false positive on the edge query', async () => {
    const s = (await run()).summary.vector!;
    expect(s.mrr).toBeCloseTo((0 + 1 + 1) / 3, 6);
    expect(s.single_item_at_rank1).toEqual({ hits: 1, total: 2 });
    expect(s).toMatchObject({ true_negatives: 0, false_positives: 1, edge_queries: 1, true_negative_rate: 0 });
    // q3: E (high) @1, C (high) @2 → DCG 3/2 + 3/2 of IDCG 3/2 + 3/2 + 2/3
    expect(s['ndcg@k']['3']).toBeCloseTo((0 + 1 + 3 / (3 + 2 / 3)) / 3, 6);
  });

  it('groups by query type, edge queries carrying only true negatives', async () => {
    const report = await run();
    expect(Object.keys(report.by_query_type.bm25!)).toEqual(['single-item-precision', 'multi-item-recall', 'edge-case-no-results']);
    const single = report.by_query_type.bm25!['single-item-precision']!;
    expect(single).toMatchObject({ queries: 2, evaluated: 2, mrr: 0.75, single_item_at_rank1: { hits: 1, total: 2 } });
    const edge = report.by_query_type.vector!['edge-case-no-results']!;
    expect(edge).toMatchObject({ queries: 1, evaluated: 0, mrr: null, 'ndcg@10': null, true_negatives: 0, edge_queries: 1 });
    expect(edge['precision@k']['5']).toBeNull();
  });

  it('records every query run with its results and metrics', async () => {
    const report = await run();
    const q3 = report.queries.find((q) => q.id === 'q3' && q.search_type === 'bm25')!;
    expect(q3).toMatchObject({
      query: 'ramen shops',
      query_type: 'multi-item-recall',
      edge: false,
      status: 'pass',
      first_relevant_rank: 1,
      rr: 1,
      results: ['C', 'x1', 'x2', 'D', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8'], // cut to top_k
      expected: [
        { item_id: 'C', relevance: 'high' },
        { item_id: 'D', relevance: 'medium' },
        { item_id: 'E', relevance: 'high' },
      ],
      retrieval_time_ms: 5,
    });
    expect(q3['p@k']).toEqual({ '1': 1, '3': 0.333333, '5': 0.4, '10': 0.2 });
    expect(q3['r@k']).toEqual({ '1': 0.333333, '3': 0.333333, '5': 0.666667, '10': 0.666667 });
    expect(q3['ndcg@10']).toBeCloseTo(13 / 22, 5);
    expect(typeof q3.latency_ms).toBe('number');
    const q2 = report.queries.find((q) => q.id === 'q2' && q.search_type === 'bm25')!;
    expect(q2).toMatchObject({ status: 'partial', first_relevant_rank: 2, rr: 0.5 });
    const q1v = report.queries.find((q) => q.id === 'q1' && q.search_type === 'vector')!;
    expect(q1v).toMatchObject({ status: 'fail', first_relevant_rank: null, rr: 0 });
    const edge = report.queries.find((q) => q.id === 'q4' && q.search_type === 'vector')!;
    expect(edge).toMatchObject({ edge: true, status: 'false_positive', results: ['x9'], rr: null, 'p@k': null, 'ndcg@10': null });
  });

  it('a failing search call is an error scored as an empty result, never a true negative', async () => {
    const searcher = new FakeSearcher({
      bm25: {
        'teamlab fukuoka': new Error('boom'),
        'squid game seoul': ['B'],
        'ramen shops': ['C', 'D', 'E'],
        'scuba diving in Iceland': new Error('down'),
      },
    });
    const report = await run(searcher, { searchTypes: ['bm25'] });
    const s = report.summary.bm25!;
    expect(s.errors).toBe(2);
    expect(s.mrr).toBeCloseTo(2 / 3, 6);
    expect(s).toMatchObject({ true_negatives: 0, false_positives: 0, edge_queries: 1 });
    expect(report.queries[0]).toMatchObject({ status: 'error', error: 'boom', results: [], rr: 0, 'p@k': { '1': 0 } });
    expect(report.queries[3]).toMatchObject({ status: 'error', error: 'down', edge: true });
  });

  it('keeps the search’s notices on the query run', async () => {
    const searcher: Searcher = {
      search: async (u, req) => ({
        ...(await new FakeSearcher().search(u, { ...req, search_type: 'bm25' })),
        search_type: 'agentic',
        notices: ['agentic_unavailable'],
      }),
    };
    const report = await run(searcher, { searchTypes: ['agentic'] });
    expect(report.queries[0]).toMatchObject({ search_type: 'agentic', notices: ['agentic_unavailable'], status: 'pass' });
    expect(report.summary.agentic!.mrr).toBeCloseTo(2.5 / 3, 6);
    expect(renderMarkdown(report)).toContain('- agentic: the search said agentic_unavailable (4 of 4 queries)');
  });

  it('orders results by rank, whatever order the array has', async () => {
    const searcher = {
      search: async (_u: string, req: { query: string; search_type?: string }) => {
        const r = await new FakeSearcher().search('u', { query: req.query, search_type: 'bm25' });
        return { ...r, results: [...r.results].reverse() };
      },
    };
    const report = await run(searcher, { searchTypes: ['bm25'] });
    expect(report.queries[0]!.results).toEqual(['A', 'x1', 'x2']);
  });
});

describe('report shape and files', () => {
  let report: EvalReport;
  beforeAll(async () => {
    report = await run();
  });

  it('has the fields DESIGN.md §8 promises', () => {
    expect(Object.keys(report)).toEqual(['dataset', 'generated_at', 'config', 'summary', 'by_query_type', 'queries', 'definitions']);
    expect(report.dataset).toEqual({
      path: '/tmp/tiny.json',
      version: '1.0',
      split: 'test',
      queries: 4,
      query_types: { 'single-item-precision': 2, 'multi-item-recall': 1, 'edge-case-no-results': 1 },
    });
    expect(report.generated_at).toBe('2026-12-01T00:00:00.000Z');
    expect(report.config).toEqual({
      search_types: ['bm25', 'vector'],
      k: [1, 3, 5, 10],
      top_k: 10,
      mode: 'in-process',
      url: null,
      user_id: 'u1',
      warmup: false,
    });
    for (const st of ['bm25', 'vector'] as const) {
      const s = report.summary[st]!;
      for (const key of ['mrr', 'ndcg@10', 'precision@k', 'recall@k', 'true_negatives', 'edge_queries', 'latency_ms'])
        expect(s).toHaveProperty([key]);
      for (const k of [1, 3, 5, 10]) {
        expect(s).toHaveProperty([`precision@${k}`]);
        expect(s).toHaveProperty([`recall@${k}`]);
      }
      expect(Object.keys(s.latency_ms)).toEqual(['p50', 'p95']);
    }
    for (const q of report.queries) {
      for (const key of ['id', 'query', 'query_type', 'search_type', 'results', 'expected', 'rr', 'ndcg@10', 'p@k', 'r@k', 'latency_ms']) {
        expect(q).toHaveProperty([key]);
      }
    }
  });

  it('writes report.json (round-trips) and report.md (tables per search and query type)', async () => {
    const files = await writeReport(path.join(out, 'nested', 'dir'), report);
    expect(files.json).toBe(path.join(out, 'nested', 'dir', 'report.json'));
    expect(JSON.parse(await readFile(files.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    const md = await readFile(files.md, 'utf8');
    expect(md).toContain('# Retrieval evaluation');
    expect(md).toContain('| search type | MRR | NDCG@10 | P@1 | P@3 | P@5 | P@10 | R@1 | R@3 | R@5 | R@10 |');
    expect(md).toMatch(/\| \*\*bm25\*\* \| 0\.833 \|/);
    expect(md).toContain('### vector');
    expect(md).toContain('| edge-case-no-results | 1 | – | – |');
    expect(md).toContain('| q4 | scuba diving in Iceland | edge-case-no-results | false_positive |');
    expect(md).toContain('A ✓');
  });

  it('escapes pipes in query text in the markdown', async () => {
    const ds = parseDataset({
      queries: [{ query_id: 'p', query_text: 'a | b', query_type: 'semantic', expected_items: [{ item_id: 'A', relevance: 'high' }] }],
    });
    const r = await runEvaluation({ dataset: ds, searcher: new FakeSearcher(), userId: 'u', searchTypes: ['bm25'] });
    expect(renderMarkdown(r)).toContain('| p | a \\| b | semantic |');
  });

  it('renders a short terminal table', () => {
    const text = renderSummaryTable(report);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^search\s+MRR\s+NDCG@10\s+P@1\s+R@1\s+R@3\s+R@5\s+R@10\s+TN\s+single@1\s+errors\s+p50 ms\s+p95 ms$/);
    expect(lines[1]).toMatch(/^bm25\s+0\.833 .* 1\/1\s+1\/2\s+0 /);
    expect(lines[2]).toMatch(/^vector .* 0\/1\s+1\/2\s+0 /);
  });
});

describe('options and datasets', () => {
  it('parses k and search types', () => {
    expect(parseKs('10, 1,3,3')).toEqual([1, 3, 10]);
    expect(() => parseKs('0')).toThrow(/1 to 50/);
    expect(() => parseKs('51')).toThrow(/1 to 50/);
    expect(() => parseKs('a')).toThrow();
    expect(() => parseKs('')).toThrow(/at least one/);
    expect(parseSearchTypes('hybrid,bm25,hybrid')).toEqual(['hybrid', 'bm25']);
    expect(parseSearchTypes('agentic')).toEqual(['agentic']);
    expect(() => parseSearchTypes('bm25,fuzzy')).toThrow(/unknown search type "fuzzy"/);
  });

  it('refuses malformed datasets with the reason', () => {
    expect(() => parseDataset({ queries: [] })).toThrow(/no queries/);
    expect(() =>
      parseDataset({
        queries: [{ query_id: 'a', query_text: 'x', query_type: 't', expected_items: [{ item_id: 'A', relevance: 'great' }] }],
      }),
    ).toThrow(/queries\.0\.expected_items\.0\.relevance/);
    expect(() =>
      parseDataset({
        queries: [
          { query_id: 'a', query_text: 'x', query_type: 'edge-case-no-results', expected_items: [{ item_id: 'A', relevance: 'high' }] },
        ],
      }),
    ).toThrow(/must not expect items/);
    const q = { query_id: 'a', query_text: 'x', query_type: 't', expected_items: [] };
    expect(() => parseDataset({ queries: [q, q] })).toThrow(/duplicate query_id a/);
  });

  it('scoreQuery treats any query without expected items as an edge query', () => {
    const r = scoreQuery({ query_id: 'e', query_text: 'x', query_type: 'semantic', expected_items: [] }, 'bm25', [], [1]);
    expect(r).toMatchObject({ edge: true, status: 'true_negative' });
  });
});
