import { describe, expect, it } from 'vitest';
import { COMMON_WORDS, commonWordRank, shippedWordVectors } from '../../src/adapters/embedder/word-vectors.js';
import { wordBreaker } from '../../src/adapters/vision/word-breaks.js';

// The real vocabulary the provider uses (the 60k commonest words), so the costs are the real ones.
const vocabulary = shippedWordVectors();
const breakWords = wordBreaker((w) => commonWordRank(vocabulary, w), COMMON_WORDS);

describe('wordBreaker: the spaces PaddleOCR dropped', () => {
  it.each([
    // Lines PP-OCRv4 read from the golden screenshots, and what the person wrote.
    ['Weactuallystayedherefor5days,but1', 'We actually stayed here for 5 days, but 1'],
    ["didn'tincludeday1andday5sincewe", "didn't include day 1 and day 5 since we"],
    ['mostlyjustate and drank', 'mostly just ate and drank'],
    ['-ExploreDaimyoareavintage shops,cute cafes,eatramen atthe', '-Explore Daimyo area vintage shops, cute cafes, eat ramen at the'],
    ['Fukuoka in3Days', 'Fukuoka in 3 Days'],
    ['MidnightPretenders', 'Midnight Pretenders'],
    ['about thisplace', 'about this place'],
    ['day.#fukuoka #traveltiktok#japan', 'day. #fukuoka #traveltiktok #japan'],
    ['great view.Then we left', 'great view. Then we left'],
    ['omg sincei first tried it', 'omg since i first tried it'],
    ['anynecessaryvatand customs', 'any necessary vat and customs'],
    // An icon read as a letter, glued to the words beside it.
    ['ehasnever been easier', 'e has never been easier'],
  ])('%j → %j', (read, expected) => {
    expect(breakWords(read)).toBe(expected);
  });

  it.each([
    // Words, numbers with their units, and what is run together on purpose stay as they are.
    'Ichiran Ramen Fukuoka',
    'Open 10:00 - 22:00, 1,000 yen',
    'iPhone 15 Pro at 10am on the 2nd, 5km away',
    '#traveltiktok @kathrinacorgan',
    'Useyourcredits.com and https://example.com/some/path',
    'write to me@example.com',
    'ChatGPT TikTok YouTube',
  ])('leaves %j alone', (line) => {
    expect(breakWords(line)).toBe(line);
  });

  it('does not cut a name into short or rare words', () => {
    // "kathrin a corgan" reads wholly as words, but two of three are rare: a name, not a phrase.
    expect(breakWords('kathrinacorgan')).toBe('kathrinacorgan');
    expect(breakWords('tomokoaran')).toBe('tomokoaran');
    // "i chi ran": common enough pieces, but far too costly per letter for a phrase.
    expect(breakWords('Ichiran')).toBe('Ichiran');
    // "a bashir i": lone letters at both ends.
    expect(breakWords('8. Abashiri')).toBe('8. Abashiri');
    // A line that is one lower-case run is a username.
    expect(breakWords('itsjustinjapan')).toBe('itsjustinjapan');
  });

  it('keeps a number with its letters when they are its unit or ordinal', () => {
    expect(breakWords('3rd floor, 20min walk')).toBe('3rd floor, 20min walk');
    expect(breakWords('Day2')).toBe('Day 2');
  });
});
