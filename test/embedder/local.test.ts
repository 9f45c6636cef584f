import { describe, expect, it } from 'vitest';
import { charNgrams, wordUnigrams } from '../../src/adapters/embedder/local-features.js';
import { LocalEmbedder } from '../../src/adapters/embedder/local.js';
import { analyzeText, stem } from '../../src/shared/text/analyze.js';
import { cosineSimilarity, norm } from '../../src/adapters/embedder/vector-math.js';

const embedder = new LocalEmbedder();

async function similarity(a: string, b: string): Promise<number> {
  const [va, vb] = await embedder.embed([a, b], 'query');
  return cosineSimilarity(va!, vb!);
}

describe('LocalEmbedder', () => {
  it('names itself local/local-hash-v1 with 384 dimensions', () => {
    expect(embedder.provider).toBe('local');
    expect(embedder.model).toBe('local-hash-v1');
    expect(embedder.id).toBe('local/local-hash-v1');
    expect(embedder.dimensions).toBe(384);
  });

  it('is deterministic across calls and instances, and ignores the input type', async () => {
    const text = 'Receipt from Ichiran ramen, Fukuoka — ¥1,200';
    const [a] = await embedder.embed([text], 'document');
    const [b] = await new LocalEmbedder().embed([text], 'query');
    expect(b).toEqual(a);
  });

  it('returns unit vectors of 384 numbers, one per input, in order', async () => {
    const texts = ['ramen shop in Fukuoka', 'TypeScript compiler error', 'x-ray', 'the of and'];
    const vectors = await embedder.embed(texts, 'document');
    expect(vectors).toHaveLength(texts.length);
    for (const v of vectors) {
      expect(v).toHaveLength(384);
      expect(norm(v)).toBeCloseTo(1, 10);
    }
    expect(vectors[0]).toEqual((await embedder.embed([texts[0]!], 'document'))[0]);
  });

  it('gives the zero vector for text with no words (empty, punctuation, lone letters)', async () => {
    for (const v of await embedder.embed(['', '  ...!?  ', 'a'], 'document')) {
      expect(v).toHaveLength(384);
      expect(v.every((x) => x === 0)).toBe(true);
    }
  });

  it.each([
    ['ramen shop in Fukuoka', 'best ramen restaurants Fukuoka Japan', 'TypeScript compiler error'],
    ['spa massage', 'spas and massages', 'quarterly tax return'],
    ['running shoes', 'shoes for runners who run daily', 'chocolate cake recipe'],
    ['baking bread at home', 'homemade baked breads', 'flight delayed at airport'],
    ['hotel booking confirmation', 'confirmed hotel bookings', 'guitar chords for beginners'],
    ['TypeScript compiler error', 'tsc type errors when compiling TypeScript', 'ramen shop in Fukuoka'],
    ['receipt from the coffee shop', 'Coffee receipts', 'mountain landscape photo'],
    ['Café in Paris', 'cafe paris', 'train timetable'],
    ['東京のラーメン', 'ラーメン屋 東京', '会議の議事録'],
  ])('ranks "%s" closer to "%s" than to "%s"', async (anchor, related, unrelated) => {
    const close = await similarity(anchor, related);
    const far = await similarity(anchor, unrelated);
    expect(close).toBeGreaterThan(far + 0.2);
  });

  it('relates word forms through character n-grams', async () => {
    expect(await similarity('japan', 'japanese')).toBeGreaterThan(await similarity('japan', 'javascript'));
    expect(await similarity('ramen', 'ramens')).toBeGreaterThan(0.8);
  });

  it('embeds thousands of short documents per second', async () => {
    const docs = Array.from({ length: 2000 }, (_, i) => `Screenshot ${i}: receipt from a ramen restaurant in Fukuoka, Japan, paid by card`);
    const started = performance.now();
    await embedder.embed(docs, 'document');
    const seconds = (performance.now() - started) / 1000;
    expect(docs.length / seconds).toBeGreaterThan(1000);
  });

  it('takes other dimensions and feature sets', async () => {
    const small = new LocalEmbedder({ dimensions: 64, model: 'words-only', features: [wordUnigrams(1)] });
    expect(small.id).toBe('local/words-only');
    const [a, b] = await small.embed(['spa massage', 'massages, spas!'], 'document');
    expect(a).toHaveLength(64);
    expect(cosineSimilarity(a!, b!)).toBeCloseTo(1, 10);
    const charsOnly = new LocalEmbedder({ features: [charNgrams(1)] });
    const [c, d] = await charsOnly.embed(['japan', 'japanese'], 'document');
    expect(cosineSimilarity(c!, d!)).toBeGreaterThan(0.3);
    expect(() => new LocalEmbedder({ dimensions: 0 })).toThrow(/positive integer/);
  });
});

describe('local text analysis', () => {
  it.each([
    ['spas', 'spa'],
    ['massages', 'massage'],
    ['cities', 'city'],
    ['boxes', 'box'],
    ['glasses', 'glass'],
    ['running', 'run'],
    ['making', 'make'],
    ['baked', 'bake'],
    ['walked', 'walk'],
    ['stopped', 'stop'],
    ['tried', 'try'],
    ['paintings', 'paint'],
    ['bookings', 'book'],
    // left alone
    ['news', 'news'],
    ['bus', 'bus'],
    ['analysis', 'analysis'],
    ['thing', 'thing'],
    ['speed', 'speed'],
    ['ramen', 'ramen'],
  ])('stems %s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it('normalises case, width, accents, apostrophes and punctuation, and drops stop words', () => {
    expect(analyzeText("The BEST café in Fukuoka's old town — ＲＡＭＥＮ!")).toEqual({
      words: ['best', 'cafe', 'fukuokas', 'old', 'town', 'ramen'],
      stems: ['best', 'cafe', 'fukuoka', 'old', 'town', 'ramen'],
    });
  });

  it('keeps stop words when they are all there is', () => {
    expect(analyzeText('to be or not to be').words).toEqual(['to', 'be', 'or', 'not', 'to', 'be']);
  });

  it('splits Han and Hiragana into characters but keeps Katakana words whole', () => {
    expect(analyzeText('東京のラーメン').words).toEqual(['東', '京', 'の', 'ラーメン']);
  });
});
