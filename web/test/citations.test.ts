import { describe, expect, it } from 'vitest';
import { citedIds, resolveRef, splitCitations } from '../src/lib/citations.js';

const A = '0b3f7c3e-1f0a-4a51-9c53-2f1f6a0e7a10';
const B = '9d1e5a22-7c4b-4e8f-a0b1-3c2d4e5f6a7b';
const ranked = [
  { item_id: A, rank: 1 },
  { item_id: B, rank: 2 },
];

describe('citations in assistant text', () => {
  it('finds rank and id markers, several per marker, and leaves other brackets as text', () => {
    const text = `Ichiran [Item 1] and the onsen [Items 1 and 2]; see [Item ${B}]. Not [a link] nor [Item ramen].`;
    const segments = splitCitations(text);
    expect(segments.filter((s) => s.kind === 'cite').map((s) => (s.kind === 'cite' ? s.refs : []))).toEqual([['1'], ['1', '2'], [B]]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(citedIds(text, ranked)).toEqual([A, B]);
  });

  it('resolves ranks among the results and ids as given (or only known ones)', () => {
    expect(resolveRef('2', ranked)).toBe(B);
    expect(resolveRef('3', ranked)).toBeNull();
    expect(resolveRef(A, [])).toBe(A);
    expect(resolveRef(A, [], new Set([B]))).toBeNull();
    expect(citedIds('[item 1, 2][Item 2]', ranked)).toEqual([A, B]);
    expect(citedIds('no citations here', ranked)).toEqual([]);
  });
});
