import { describe, expect, it } from 'vitest';
import { ConceptLexicon, CONCEPTS } from '../../src/shared/text/concepts.js';
import { LocalEmbedder } from '../../src/adapters/embedder/local.js';
import { LocalSemanticEmbedder } from '../../src/adapters/embedder/local-semantic.js';
import { analyzeText, normalizeText, tokenize } from '../../src/shared/text/analyze.js';
import { cosineSimilarity, norm } from '../../src/adapters/embedder/vector-math.js';
import { shippedWordVectors } from '../../src/adapters/embedder/word-vectors.js';

const semantic = new LocalSemanticEmbedder();
const hash = new LocalEmbedder();

function similarity(embedder: { embedOne(text: string): number[] }, a: string, b: string): number {
  return cosineSimilarity(embedder.embedOne(a), embedder.embedOne(b));
}

describe('LocalSemanticEmbedder', () => {
  it('names itself local/local-semantic-v1 with 484 dimensions (384 lexical + 100 semantic)', () => {
    expect(semantic.provider).toBe('local');
    expect(semantic.model).toBe('local-semantic-v1');
    expect(semantic.id).toBe('local/local-semantic-v1');
    expect(semantic.dimensions).toBe(484);
  });

  it('is deterministic across calls and instances, and embeds documents and queries alike', async () => {
    const text = 'Receipt from Ichiran ramen, Fukuoka — ¥1,200. Hot spring afterwards!';
    const [a] = await semantic.embed([text], 'document');
    const [b] = await new LocalSemanticEmbedder().embed([text], 'query');
    expect(b).toEqual(a);
  });

  it('returns unit vectors, one per input, in order', async () => {
    const texts = ['ramen shop in Fukuoka', 'TypeScript compiler error', 'Kuoe', 'x-ray', 'the of and', '東京のラーメン'];
    const vectors = await semantic.embed(texts, 'document');
    expect(vectors).toHaveLength(texts.length);
    for (const v of vectors) {
      expect(v).toHaveLength(484);
      expect(norm(v)).toBeCloseTo(1, 10);
    }
    expect(vectors[1]).toEqual((await semantic.embed([texts[1]!], 'query'))[0]);
  });

  it('gives the zero vector for text with no words', async () => {
    for (const v of await semantic.embed(['', '  ...!?  ', 'a'], 'document')) {
      expect(v).toHaveLength(484);
      expect(v.every((x) => x === 0)).toBe(true);
    }
  });

  // Different words, same meaning: local-hash-v1 sees nothing in common, local-semantic-v1 must.
  it.each([
    ['hot spring', 'onsen', 'laptop'],
    ['coding tools', 'developer software', 'hot spring'],
    ['perfume', 'fragrance', 'train station'],
    ['ramen', 'noodle soup', 'hiking boots'],
    ['izakaya', 'pub', 'museum'],
    ['hotel', 'ryokan', 'keyboard'],
    ['sunset', 'dusk', 'receipt'],
    ['souvenirs', 'gifts', 'coding'],
    ['cherry blossoms', 'sakura', 'tax'],
    ['AI coding assistant', 'programming tools', 'flower field'],
    ['cafe', 'coffee shop', 'mountain'],
    // Everyday needs in a person's own words (concept-table-everyday.ts).
    ['ways to look younger', 'retinol and collagen for wrinkles', 'train timetable'],
    ['household chores', 'laundry detergent for the washing machine', 'ramen shop'],
    ['faith and spirituality', 'a reading list on buddhism and meditation', 'sneakers'],
    // Not in the concept lexicon: the word vectors alone.
    ['violin', 'cello', 'volcano'],
    ['doctor', 'nurse', 'bakery'],
  ])('puts "%s" near "%s" and away from "%s" (local-hash-v1 cannot)', (anchor, related, unrelated) => {
    const margin = 0.2;
    expect(similarity(semantic, anchor, related)).toBeGreaterThan(similarity(semantic, anchor, unrelated) + margin);
    expect(similarity(hash, anchor, related)).toBeLessThan(similarity(hash, anchor, unrelated) + margin);
  });

  it('still ranks by shared words and names, as local-hash-v1 does', () => {
    for (const [anchor, related, unrelated] of [
      ['ramen shop in Fukuoka', 'best ramen restaurants Fukuoka Japan', 'TypeScript compiler error'],
      ['Kuoe Kyoto bronze watch', 'Kuoe Old Smith watch in bronze', 'Kyoto temple at dawn'],
      ['Bukhansan', 'Bukhansan National Park trails', 'Namsan tower'],
      ['東京のラーメン', 'ラーメン屋 東京', '会議の議事録'],
    ] as const) {
      expect(similarity(semantic, anchor, related)).toBeGreaterThan(similarity(semantic, anchor, unrelated) + 0.2);
    }
  });

  it('embeds thousands of short documents per second', async () => {
    const docs = Array.from({ length: 2000 }, (_, i) => `Screenshot ${i}: receipt from a ramen restaurant in Fukuoka, Japan, paid by card`);
    semantic.embedOne('warm up: loads the word vectors');
    const started = performance.now();
    await semantic.embed(docs, 'document');
    const seconds = (performance.now() - started) / 1000;
    expect(docs.length / seconds).toBeGreaterThan(1000);
  });

  it('mixes the blocks by lexicalShare, and checks its options', () => {
    const lexicalOnly = new LocalSemanticEmbedder({ model: 'test-lexical', lexicalShare: 1, lexicalDimensions: 64 });
    expect(lexicalOnly.id).toBe('local/test-lexical');
    expect(lexicalOnly.dimensions).toBe(164);
    const v = lexicalOnly.embedOne('hot spring');
    expect(v.slice(64).every((x) => x === 0)).toBe(true);
    expect(similarity(new LocalSemanticEmbedder({ lexicalShare: 0 }), 'perfume', 'fragrance')).toBeGreaterThan(0.8);
    expect(() => new LocalSemanticEmbedder({ lexicalShare: 1.5 })).toThrow(/between 0 and 1/);
    expect(() => new LocalSemanticEmbedder({ lexicalDimensions: 0 })).toThrow(/positive integer/);
  });
});

describe('concept lexicon', () => {
  const lexicon = new ConceptLexicon();
  const concepts = (text: string) => lexicon.match(analyzeText(text).stems).map((m) => lexicon.ids[m.concept]);

  it('matches phrases after analysis, longest first', () => {
    // "hot spring" is a hot spring (and loosely a spa), not hot weather plus the season
    expect(concepts('Hot Springs with a view')).toEqual(['hot-spring', 'spa', 'viewpoint']);
    expect(concepts('onsen')).toContain('hot-spring');
    expect(concepts('AI-powered code editor')).toEqual(['ai', 'dev-tools']);
    // "ice cream" is dessert, not winter ice
    expect(concepts('ice cream')).toEqual(['dessert']);
  });

  it('has unique ids, terms without stop words, and glosses the word vectors know', () => {
    expect(new Set(CONCEPTS.map((c) => c.id)).size).toBe(CONCEPTS.length);
    const vectors = shippedWordVectors();
    for (const concept of CONCEPTS) {
      for (const raw of concept.terms.split(',')) {
        const term = raw.trim().replace(/^~/, '');
        // A stop word would be dropped, and "make your own" would match every "make".
        const tokens = tokenize(normalizeText(term));
        expect(tokens.length, `${concept.id}: "${term}"`).toBeGreaterThan(0);
        expect(analyzeText(term).stems, `${concept.id}: "${term}"`).toHaveLength(tokens.length);
      }
      for (const word of concept.gloss.split(' ')) {
        expect(vectors.indexOf(word), `${concept.id}: gloss word "${word}"`).not.toBe(-1);
      }
    }
  });
});
