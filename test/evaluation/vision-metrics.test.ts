import { describe, expect, it } from 'vitest';
import {
  headlineWordsFound,
  isChromeLine,
  junkTokens,
  readsLikeNavigation,
  sameCategory,
  wordRecall,
  wordTokens,
} from '../../src/cli/evaluation/vision/metrics.js';

/** The measures of `collections eval-vision` (src/cli/evaluation/vision/metrics.ts). */
const golden = {
  category: 'Food',
  headline: 'Ichiran Ramen in Fukuoka open 24 hours',
  summary: 'Tonkotsu ramen chain with solo booths.',
  image_details: { extracted_text: ['ICHIRAN', 'Tonkotsu ramen ¥980', 'Open 24 hours', 'a'] },
  media_metadata: { original_poster: 'Spicy Sunday Finance' },
};
const vocabulary = new Set(['open', 'hours', 'ramen', 'the', 'menu', 'explore', 'following']);
const isWord = (w: string) => vocabulary.has(w);

describe('vision metrics', () => {
  it('tokenises into lower-case words of letters or digits, any script', () => {
    expect(wordTokens('ICHIRAN — Tonkotsu ramen ¥980, 一蘭!')).toEqual(['ichiran', 'tonkotsu', 'ramen', '980', '一蘭']);
  });

  it('counts distinct golden words read, and those read run together with others', () => {
    // Golden words (2+ characters): ichiran, tonkotsu, ramen, 980, open, 24, hours = 7.
    const r = wordRecall(golden.image_details.extracted_text, ['ICHIRAN tonkotsuramen', 'Open 24 hrs']);
    expect(r.total).toBe(7);
    expect(r.found).toBe(3); // ichiran, open, 24
    expect(r.foundInside).toBe(5); // + tonkotsu, ramen inside "tonkotsuramen"
    expect(wordRecall([], ['anything'])).toEqual({ found: 0, foundInside: 0, total: 0 });
  });

  it('calls junk what is neither in the golden analysis, a number nor a word', () => {
    const j = junkTokens(golden, ['7 A fm LY', 'Spicy menu 980 the', 'i'], isWord);
    // Tokens: 7 a fm ly spicy menu 980 the i = 9. Junk: fm, ly (not words); "a"/"i" are words,
    // "spicy" is in the poster, "menu" and "the" are words, 7 and 980 numbers.
    expect(j.tokens).toBe(9);
    expect(j.junk).toBe(2);
    expect(j.examples).toEqual(['fm', 'ly']);
    // Japanese OCR is not judged by an English vocabulary.
    expect(junkTokens(golden, ['一蘭 ラーメン'], isWord).junk).toBe(0);
  });

  it('scores a headline by its content words found in the reviewed analysis', () => {
    expect(headlineWordsFound(golden, 'Ichiran ramen Fukuoka')).toBe(1);
    expect(headlineWordsFound(golden, 'Ichiran Explore Following')).toBeCloseTo(1 / 3, 5);
    expect(headlineWordsFound(golden, '| li ll U | > bs')).toBeNull(); // no content word at all
  });

  it('knows status bars and app navigation from content', () => {
    expect(isChromeLine('9:41')).toBe(true);
    expect(isChromeLine('12:05 PM LTE 87')).toBe(true);
    expect(isChromeLine('Explore Following Shop For You')).toBe(true);
    expect(isChromeLine('Ichiran Ramen, open 24 hours')).toBe(false);
    expect(isChromeLine('10:00 - 22:00')).toBe(false); // opening hours, not a clock
    expect(isChromeLine('Open 10:00')).toBe(false);
    expect(isChromeLine('(Ive ‘M Explore Following” Shop" For You')).toBe(true); // a garbled tab bar
    expect(readsLikeNavigation('(Ive ‘M Explore Following” Shop" For You')).toBe(true);
    expect(readsLikeNavigation('Explore Kyoto in autumn')).toBe(false);
  });

  it('compares categories without regard to case or spacing', () => {
    expect(sameCategory(' food', 'Food')).toBe(true);
    expect(sameCategory('Food', 'Travel')).toBe(false);
    expect(sameCategory(null, 'Food')).toBe(false);
  });
});
