import { describe, expect, it } from 'vitest';
import { cosineSimilarity, l2NormalizeInPlace } from '../../src/adapters/embedder/vector-math.js';

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, 0 for orthogonal, -1 for opposite', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
  });

  it('is 0 (not NaN) when either vector is zero', () => {
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
  });

  it('rejects vectors of different lengths', () => {
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(/length mismatch/);
  });
});

describe('l2NormalizeInPlace', () => {
  it('scales to unit length and leaves zero vectors alone', () => {
    expect(l2NormalizeInPlace([3, 4])).toEqual([0.6, 0.8]);
    expect(l2NormalizeInPlace([0, 0])).toEqual([0, 0]);
  });
});
