import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bestCutoff, evaluate, loadGolden, summarize, type GoldenQuery } from '../../bench/embedder-quality.js';
import { LocalEmbedder } from '../../src/adapters/embedder/local.js';
import { LocalSemanticEmbedder } from '../../src/adapters/embedder/local-semantic.js';
import type { Embedder } from '../../src/ports/embedder.js';

/** One-hot "embeddings": a text's vector is 1 at the index of each of its words in VOCAB. */
const VOCAB = ['ramen', 'onsen', 'code', 'paris'];
const fake: Embedder = {
  provider: 'fake',
  model: 'one-hot',
  dimensions: VOCAB.length,
  id: 'fake/one-hot',
  embed: async (texts) => texts.map((t) => VOCAB.map((w) => (t.includes(w) ? 1 : 0))),
};

describe('embedder-quality metrics', () => {
  const docs = [
    { id: 'a', text: 'ramen' },
    { id: 'b', text: 'onsen' },
    { id: 'c', text: 'ramen onsen' },
    { id: 'd', text: 'code' },
  ];
  const queries: GoldenQuery[] = [
    {
      query_id: 'q1',
      query_text: 'ramen',
      query_type: 'multi-item-recall',
      expected_items: [
        { item_id: 'a', relevance: 'high' },
        { item_id: 'c', relevance: 'medium' },
      ],
    },
    { query_id: 'q2', query_text: 'onsen', query_type: 'single-item-precision', expected_items: [{ item_id: 'c', relevance: 'high' }] },
    { query_id: 'q3', query_text: 'paris', query_type: 'edge-case-no-results', expected_items: [] },
  ];

  it('computes MRR, NDCG@10 and recall@10 from the cosine ranking', async () => {
    const [q1, q2, q3] = await evaluate(fake, docs, queries);
    // q1: a (1.0) then c (0.707): the ideal order, all found.
    expect(q1!.reciprocalRank).toBe(1);
    expect(q1!.ndcg).toBeCloseTo(1, 10);
    expect(q1!.recall).toBe(1);
    expect(q1!.score).toBeCloseTo(1, 10);
    // q2: b (1.0) first, then c (0.707): DCG = 3 / log2(3), ideal 3.
    expect(q2!.reciprocalRank).toBe(0.5);
    expect(q2!.ndcg).toBeCloseTo(1 / Math.log2(3), 10);
    expect(q2!.score).toBeCloseTo(Math.SQRT1_2, 10);
    // edge case: its score is the top cosine (0 here: nothing shares a word)
    expect(q3!.score).toBe(0);
    const summary = summarize([q1!, q2!, q3!]);
    expect(summary.mrr).toBeCloseTo(0.75, 10);
    expect(summary.edgeMax).toBe(0);
  });

  it('picks the cutoff that puts the most edge cases below and expected items above', async () => {
    const results = await evaluate(fake, docs, queries);
    const cut = bestCutoff(results);
    expect(cut.correct).toBe(3);
    expect(cut.cutoff).toBeGreaterThan(0);
    expect(cut.cutoff).toBeLessThan(Math.SQRT1_2);
  });

  it('reports a missing golden set as null, so the bench can skip', () => {
    expect(loadGolden('/nonexistent/shared')).toBeNull();
  });
});

// The real golden set, where ../shared (or COLLECTIONS_SHARED_DIR) has it; skipped elsewhere.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const golden = loadGolden(path.resolve(process.env.COLLECTIONS_SHARED_DIR ?? path.join(repoRoot, '..', 'shared')));

describe.skipIf(!golden)('local embedders on the golden dev queries', () => {
  it('local-semantic-v1 ranks better than local-hash-v1 and separates edge cases better', async () => {
    const hash = summarize(await evaluate(new LocalEmbedder(), golden!.docs, golden!.queries));
    const semantic = summarize(await evaluate(new LocalSemanticEmbedder(), golden!.docs, golden!.queries));
    expect(semantic.mrr).toBeGreaterThan(hash.mrr);
    expect(semantic.ndcg).toBeGreaterThan(hash.ndcg);
    expect(semantic.recall).toBeGreaterThan(hash.recall);
    expect(semantic.cutoff.correct).toBeGreaterThan(hash.cutoff.correct);
    // Loose floors, well under today's numbers (MRR 0.96, NDCG 0.93): a regression guard, not a target.
    expect(semantic.mrr).toBeGreaterThan(0.85);
    expect(semantic.ndcg).toBeGreaterThan(0.85);
  });
});
