import { describe, expect, it } from 'vitest';
import {
  bitLength,
  dcgAtK,
  discount,
  firstRelevantRank,
  idealDcgAtK,
  mean,
  ndcgAtK,
  percentile,
  precisionAtK,
  recallAtK,
  reciprocalRank,
  relevanceMap,
} from '../../src/cli/evaluation/metrics.js';

const fill = (n: number, prefix = 'x') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('bit_length discounts (collections-local, not log2)', () => {
  it('matches Python int.bit_length', () => {
    expect([1, 2, 3, 4, 7, 8, 15, 16, 1023, 1024].map(bitLength)).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 10, 11]);
    expect(() => bitLength(0)).toThrow(RangeError);
  });
  it('discounts ranks 1..10 by 2,2,3,3,3,3,4,4,4,4 and rank 15 by 5', () => {
    expect(Array.from({ length: 10 }, (_, i) => discount(i + 1))).toEqual([2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
    expect(discount(15)).toBe(5);
  });
});

describe('three expected items at ranks 1, 4 and 11', () => {
  // A high (3), B medium (2), C high (3); x… are not expected.
  const rel = relevanceMap([
    { item_id: 'A', relevance: 'high' },
    { item_id: 'B', relevance: 'medium' },
    { item_id: 'C', relevance: 'high' },
  ]);
  const expected = ['A', 'B', 'C'];
  const results = ['A', 'x1', 'x2', 'B', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'C'];

  it('DCG@10 = 3/2 + 2/3 (C at rank 11 is outside); log2 would give 3/1 + 2/log2(5)', () => {
    expect(dcgAtK(results, rel, 10)).toBeCloseTo(3 / 2 + 2 / 3, 12);
    expect(dcgAtK(results, rel, 10)).not.toBeCloseTo(3 / 1 + 2 / Math.log2(5), 3);
  });
  it('DCG@11 adds 3 / bit_length(12) = 3/4', () => {
    expect(dcgAtK(results, rel, 11)).toBeCloseTo(3 / 2 + 2 / 3 + 3 / 4, 12);
  });
  it('IDCG@10 orders the expected grades 3, 3, 2: 3/2 + 3/2 + 2/3', () => {
    expect(idealDcgAtK(rel, 10)).toBeCloseTo(3 / 2 + 3 / 2 + 2 / 3, 12);
    expect(idealDcgAtK(rel, 1)).toBeCloseTo(3 / 2, 12);
  });
  it('NDCG@10 = (13/6) / (11/3) = 13/22', () => {
    expect(ndcgAtK(results, rel, 10)).toBeCloseTo(13 / 22, 12);
    expect(ndcgAtK(results, rel, 1)).toBeCloseTo(1, 12);
  });
  it('P@k, R@k and RR', () => {
    expect(precisionAtK(results, expected, 1)).toBe(1);
    expect(precisionAtK(results, expected, 3)).toBeCloseTo(1 / 3, 12);
    expect(precisionAtK(results, expected, 5)).toBeCloseTo(2 / 5, 12);
    expect(precisionAtK(results, expected, 10)).toBeCloseTo(2 / 10, 12);
    expect(recallAtK(results, expected, 3)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(results, expected, 10)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(results, expected, 11)).toBe(1);
    expect(reciprocalRank(results, expected)).toBe(1);
  });
});

describe('reciprocal rank', () => {
  it('is 1/rank of the first expected item in the top 10, else 0', () => {
    expect(reciprocalRank(['x', 'y', 'z', 'A'], ['A', 'B'])).toBe(0.25);
    expect(firstRelevantRank(['x', 'y', 'z', 'A'], ['A'])).toBe(4);
    const at11 = [...fill(10), 'A'];
    expect(reciprocalRank(at11, ['A'])).toBe(0);
    expect(firstRelevantRank(at11, ['A'])).toBeNull();
    const at10 = [...fill(9), 'A'];
    expect(reciprocalRank(at10, ['A'])).toBeCloseTo(0.1, 12);
  });
});

describe('edge cases', () => {
  it('no expected items: recall and NDCG are 0, not NaN', () => {
    const rel = relevanceMap([]);
    expect(recallAtK(['a', 'b'], [], 5)).toBe(0);
    expect(precisionAtK(['a', 'b'], [], 5)).toBe(0);
    expect(idealDcgAtK(rel, 10)).toBe(0);
    expect(ndcgAtK(['a'], rel, 10)).toBe(0);
    expect(reciprocalRank(['a'], [])).toBe(0);
  });
  it('empty results: every metric is 0', () => {
    const rel = relevanceMap([{ item_id: 'A', relevance: 'high' }]);
    expect(precisionAtK([], ['A'], 1)).toBe(0);
    expect(recallAtK([], ['A'], 10)).toBe(0);
    expect(reciprocalRank([], ['A'])).toBe(0);
    expect(dcgAtK([], rel, 10)).toBe(0);
    expect(ndcgAtK([], rel, 10)).toBe(0);
  });
  it('fewer results than k: P@k still divides by k', () => {
    expect(precisionAtK(['A'], ['A'], 5)).toBeCloseTo(1 / 5, 12);
  });
  it('duplicates count once, at their first position, and keep their slot', () => {
    const rel = relevanceMap([
      { item_id: 'A', relevance: 'high' },
      { item_id: 'B', relevance: 'medium' },
    ]);
    const dup = ['A', 'A', 'A', 'B'];
    expect(precisionAtK(dup, ['A', 'B'], 3)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(dup, ['A', 'B'], 3)).toBeCloseTo(1 / 2, 12);
    expect(recallAtK(dup, ['A', 'B'], 4)).toBe(1);
    // A at rank 1 (3/2), copies nothing, B at rank 4 (2/3)
    expect(dcgAtK(dup, rel, 10)).toBeCloseTo(3 / 2 + 2 / 3, 12);
    const onlyA = ['A', 'A', 'A', 'A', 'A'];
    expect(ndcgAtK(onlyA, rel, 10)).toBeLessThanOrEqual(1);
    expect(ndcgAtK(onlyA, rel, 10)).toBeCloseTo(1.5 / (1.5 + 1), 12);
  });
  it('low relevance is graded 1; a repeated expected item keeps its highest grade', () => {
    const rel = relevanceMap([
      { item_id: 'A', relevance: 'low' },
      { item_id: 'B', relevance: 'medium' },
      { item_id: 'B', relevance: 'high' },
    ]);
    expect([...rel.entries()]).toEqual([
      ['A', 1],
      ['B', 3],
    ]);
  });
  it('invalid k is refused', () => {
    expect(() => precisionAtK(['a'], ['a'], 0)).toThrow(RangeError);
    expect(() => recallAtK(['a'], ['a'], 1.5)).toThrow(RangeError);
  });
});

describe('mean and percentiles', () => {
  it('linear interpolation between closest ranks', () => {
    expect(percentile([40, 10, 30, 20], 50)).toBe(25);
    expect(percentile([10, 20, 30, 40], 95)).toBeCloseTo(38.5, 12);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
    expect(
      percentile(
        Array.from({ length: 101 }, (_, i) => i),
        95,
      ),
    ).toBe(95);
  });
  it('mean', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([])).toBeNull();
  });
});
