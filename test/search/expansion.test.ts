import { describe, expect, it } from 'vitest';
import { WORDS_IN_SCRIPT } from '../../src/shared/text/words-in-script.js';
import { conceptExpansions } from '../../src/services/search/expansion.js';
import { analyzeText, STOP_WORDS } from '../../src/shared/text/analyze.js';
import { SYNONYMS } from '../../src/shared/text/synonyms.js';

/** Concept alternatives for keyword search (src/services/search/expansion.ts). */
const alternatives = (query: string) => conceptExpansions(query).flatMap((e) => e.alts.split(', '));
/** Only the alternatives that count as the word typed (`exact`). */
const exact = (query: string) =>
  conceptExpansions(query)
    .filter((e) => e.exact)
    .flatMap((e) => e.alts.split(', '));

describe('conceptExpansions', () => {
  it('offers words that mean the same thing for a phrase of the query', () => {
    expect(alternatives('hot spring near tokyo')).toContain('onsen');
    expect(alternatives('train to mount takao')).toContain('railway');
    expect(conceptExpansions('hot spring').every((e) => e.src === 'hot spring')).toBe(true);
  });

  it('gives nothing for words the stemmer folds into a concept of another sense', () => {
    // "training" stems to "train", "parking" to "park", "fishing" to "fish": not rail, gardens, seafood.
    expect(alternatives('marathon training plan')).not.toContain('railway');
    expect(alternatives('parking near the office')).not.toContain('garden');
    expect(alternatives('fishing trip')).not.toContain('seafood');
    expect(alternatives('marketing tips')).not.toContain('marketplace');
    // A concept that names the word itself keeps it.
    expect(alternatives('universal studios')).toContain('theme park');
  });

  it('links an everyday need to the words items use for it', () => {
    expect(alternatives('ways to look younger')).toEqual(expect.arrayContaining(['retinol', 'microneedling']));
    expect(alternatives('livestreams')).toContain('live stream');
    expect(alternatives('keep up with the news')).toContain('journalism');
    expect(alternatives('become a better manager')).toContain('leadership');
    // Looser members ("~") are evidence for the vectors, never keyword alternatives.
    expect(alternatives('fun with the kids')).not.toContain('zoo');
  });

  it('marks the places a query asks about, not those it only starts from or goes near', () => {
    const places = (query: string) => conceptExpansions(query).flatMap((e) => (e.place ? [e.src] : []));
    expect(places('cafes in tokyo')).toEqual(['tokyo']);
    expect(places('kyushu onsen and seoul markets')).toEqual(['kyushu', 'seoul']);
    expect(places('day trips from tokyo')).toEqual([]);
    expect(places('a farm near tokyo')).toEqual([]);
    expect(places('massage in the denver suburbs')).toEqual([]);
    // A place name that is also an everyday word is not taken for the place.
    expect(places('star wars saga')).toEqual([]);
  });

  it('never lists the typed phrase among its own alternatives', () => {
    for (const e of conceptExpansions('ramen and sushi in fukuoka')) expect(e.alts.split(', ')).not.toContain(e.src);
  });

  it('lets a region stand for the places inside it, and those inside them, but not the other way', () => {
    expect(alternatives('nagano hot springs')).toEqual(expect.arrayContaining(['suwa', 'matsumoto']));
    expect(alternatives('kyushu temples')).toEqual(expect.arrayContaining(['fukuoka', 'beppu', 'hakata']));
    expect(alternatives('kyushu temples')).not.toContain('kyushu');
    expect(alternatives('things to do in fukuoka')).not.toContain('kumamoto');
    expect(alternatives('anything in seoul')).toContain('hongdae');
    for (const e of conceptExpansions('kyushu tokyo seoul korea')) expect(e.alts.split(', ').length).toBeLessThanOrEqual(30);
  });

  it('pairs a country with its adjective, both ways, and leaves words of another sense alone', () => {
    expect(alternatives('anything from korea')).toContain('korean');
    expect(alternatives('japanese snacks')).toContain('japan');
    expect(alternatives('turkey sandwich')).not.toContain('turkish');
    expect(alternatives('english menu')).not.toContain('england');
  });

  it('takes a British word for the American one and back, and a word of two senses only from its clear side', () => {
    expect(exact('picking a colour for new drapes')).toContain('color');
    expect(exact('favorite jewelry shops')).toEqual(expect.arrayContaining(['favourite', 'jewellery']));
    expect(exact('finding a flat in tokyo')).toContain('apartment');
    // "apartment" typed does not mean "flat" (flat white, flat rate).
    expect(exact('apartment in tokyo')).not.toContain('flat');
    expect(exact('hot spring')).toEqual([]);
  });

  it('takes the plural of a spelling pair as its singular, and leaves short words and other plurals alone', () => {
    expect(exact('seoul neighbourhoods')).toContain('neighborhood');
    expect(exact('glass walkway 555 metres up')).toContain('meter');
    expect(exact('theaters in denver')).toContain('theatres');
    // "cvs" is a pharmacy as often as it is résumés; a ONE_WAY plural is listed or left out.
    expect(exact('cvs near me')).toEqual([]);
    expect(exact('new trousers')).toContain('pants');
    expect(exact('guided tours')).not.toContain('tor');
  });

  it('takes a synonym, a loanword or a kind of the thing typed as the word itself, and a kind typed only as itself', () => {
    expect(exact('xmas')).toContain('christmas');
    expect(exact('matsuri')).toContain('festival');
    expect(exact('lodging')).toEqual(expect.arrayContaining(['hotel', 'ryokan', 'hostel']));
    expect(exact('eateries near me')).toEqual(expect.arrayContaining(['restaurant', 'izakaya']));
    // A kind typed is that kind: a query for ramen is not answered by soba, nor a puppy by any dog.
    expect(exact('ramen')).not.toContain('noodles');
    expect(exact('puppy')).not.toContain('dog');
    expect(exact('dog')).toContain('puppy');
    // A word the stemmer folds into another sense takes nothing ("training" is not a train).
    expect(exact('marathon training')).not.toContain('railway');
  });

  it('keeps the synonym table to single words that are not stop words', () => {
    // A phrase would be matched word by word ("vending machine" for "machine learning").
    for (const [word, alternatives] of SYNONYMS)
      for (const w of [word, ...alternatives]) {
        expect(STOP_WORDS.has(w), w).toBe(false);
        expect(analyzeText(w).stems, w).toHaveLength(1);
      }
    for (const [word, alternatives] of SYNONYMS) expect(alternatives, word).not.toContain(word);
  });

  it('reads a place typed in Japanese, Korean or Chinese script as its romanised name, and a Tokyo ward as its neighbourhoods', () => {
    const places = (query: string) => conceptExpansions(query).flatMap((e) => (e.place ? [e.src] : []));
    expect(exact('北海道')).toEqual(expect.arrayContaining(['hokkaido', 'sapporo']));
    expect(places('北海道')).toEqual(['北海道']);
    expect(exact('cafes in 서울')).toEqual(expect.arrayContaining(['seoul', 'hongdae']));
    // Only a whole word of the query: inside a longer run of script it is another word.
    expect(exact('北海道旅行')).toEqual([]);
    expect(exact('minato ku')).toEqual(expect.arrayContaining(['roppongi', 'azabu']));
    expect(places('chiyoda ward')).toEqual(['chiyoda']);
  });

  it('knows the best-known cities of the countries people travel to, as places asked about', () => {
    const places = (query: string) => conceptExpansions(query).flatMap((e) => (e.place ? [e.src] : []));
    expect(exact('australia')).toEqual(expect.arrayContaining(['sydney', 'brisbane']));
    expect(places('australia')).toEqual(['australia']);
    // A city is a place asked about: an item that holds none of it is not a strong answer.
    expect(places('cafes in lisbon')).toEqual(['lisbon']);
    // Names that are common words are not places ("nice", "bath").
    expect(places('a nice bath')).toEqual([]);
  });

  it('reads an everyday word typed in Japanese or Korean script as its English word, and keeps the table to single words', () => {
    expect(exact('パン屋')).toEqual(['bakery']);
    expect(exact('seoul 카페')).toEqual(expect.arrayContaining(['cafe']));
    // A word, not a place: it constrains nothing.
    expect(conceptExpansions('ラーメン').filter((e) => e.place)).toEqual([]);
    expect(exact('ラーメン屋台')).toEqual([]);
    // A word in kana no table lists reads as its romaji; a place when it names one.
    expect(exact('どんぐり')).toEqual(['donguri']);
    expect(conceptExpansions('どんぐり').filter((e) => e.place)).toEqual([]);
    expect(exact('さっぽろ')).toContain('sapporo');
    expect(
      conceptExpansions('さっぽろ')
        .filter((e) => e.place)
        .map((e) => e.src),
    ).toEqual(['さっぽろ']);
    // And a word in Hangul as its Revised Romanization.
    expect(exact('성수 카페')).toEqual(expect.arrayContaining(['seongsu', 'cafe']));
    expect(
      conceptExpansions('성수')
        .filter((e) => e.place)
        .map((e) => e.src),
    ).toEqual(['성수']);
    expect(exact('떡볶이')).toEqual(['tteokbokki']);
    for (const [word, english] of Object.entries(WORDS_IN_SCRIPT)) {
      expect(english, word).toMatch(/^[a-z]+$/);
      expect(STOP_WORDS.has(english), word).toBe(false);
    }
  });
});
