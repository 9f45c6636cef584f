import { CONCEPTS, ConceptLexicon } from '../../shared/text/concepts.js';
import { analyzeText, analyzeTokens, normalizeText, tokenize } from '../../shared/text/analyze.js';
import { hangulToRoman } from '../../shared/text/hangul.js';
import { kanaToRomaji } from '../../shared/text/kana.js';
import { PLACE_NAMES_IN_SCRIPT, PLACE_REGIONS } from '../../shared/text/place-regions.js';
import { WORDS_IN_SCRIPT } from '../../shared/text/words-in-script.js';
import { SYNONYMS } from '../../shared/text/synonyms.js';
import { wordVariant } from '../../shared/text/word-variants.js';

/** A query phrase and words that mean the same thing, for keyword search to also accept. */
export interface Expansion {
  src: string;
  alts: string;
  /**
   * The alternatives name the thing typed itself, not a related one: another form of the word
   * ("korean" for "korea"), a synonym or a kind of it ("christmas" for "xmas", "hotel" for
   * "lodging") or a place inside the region typed ("suwa" for "nagano"). Such an
   * alternative counts as the word would, in ranking and in coverage. A concept alternative
   * ("onsen" for "hot spring") is evidence of the topic, not of the thing, and counts for less.
   */
  exact?: boolean;
  /**
   * `src` is a place (a region of place-regions.ts or a place inside one; `alts` empty): the
   * query asks about somewhere, and an item that holds none of its places is not a strong match.
   */
  place?: boolean;
}

const MAX_ALTERNATIVES = 16;

/**
 * Words the stemmer folds into a concept term of another sense: "training" → "train" (rail),
 * "parking" → "park" (gardens), "fishing" → "fish" (seafood), "marketing" → "market" (food
 * markets), "dressing" → "dress" (clothes). Typed, they take no alternatives (unless a concept
 * lists the word itself). The offline embedder keeps its own matching: changing it changes vectors.
 */
const OTHER_SENSE: ReadonlySet<string> = new Set([
  'training',
  'trainings',
  'trainer',
  'trainers',
  'parking',
  'fishing',
  'marketing',
  'dressing',
  'dressings',
  'booking',
  'bookings',
  'boxing',
  'organic',
  'organics',
  'universal',
  'general',
  'generally',
]);
let lexicon: ConceptLexicon | undefined;

/**
 * A country and its adjective are different words to the stemmer ("korea" is not "korean"), so
 * "anything from korea" found nothing in keyword search though three items are Korean. Each side
 * is the other's alternative, counted as the word itself (`exact`). Left out: pairs where a
 * side is also a common word of another sense ("turkey", "english" the language).
 */
const COUNTRY_ADJECTIVES: readonly (readonly [string, string])[] = [
  ['japan', 'japanese'],
  ['korea', 'korean'],
  ['china', 'chinese'],
  ['taiwan', 'taiwanese'],
  ['thailand', 'thai'],
  ['vietnam', 'vietnamese'],
  ['indonesia', 'indonesian'],
  ['malaysia', 'malaysian'],
  ['philippines', 'filipino'],
  ['singapore', 'singaporean'],
  ['india', 'indian'],
  ['italy', 'italian'],
  ['france', 'french'],
  ['spain', 'spanish'],
  ['portugal', 'portuguese'],
  ['germany', 'german'],
  ['greece', 'greek'],
  ['mexico', 'mexican'],
  ['peru', 'peruvian'],
  ['brazil', 'brazilian'],
  ['america', 'american'],
  ['canada', 'canadian'],
  ['australia', 'australian'],
  ['britain', 'british'],
  ['ireland', 'irish'],
  ['switzerland', 'swiss'],
  ['sweden', 'swedish'],
  ['norway', 'norwegian'],
  ['denmark', 'danish'],
  ['netherlands', 'dutch'],
  ['morocco', 'moroccan'],
  ['lebanon', 'lebanese'],
  ['ethiopia', 'ethiopian'],
];
const OTHER_FORM = new Map<string, string>();
for (const [country, adjective] of COUNTRY_ADJECTIVES) OTHER_FORM.set(country, adjective).set(adjective, country);

const REGION_PLACES = new Map(Object.entries(PLACE_REGIONS).map(([region, places]) => [region, places.split(',').map((p) => p.trim())]));
/** A region's alternatives: enough for Kyushu's prefectures and towns, few enough to stay cheap. */
const MAX_PLACES = 30;

/**
 * Every place the region table knows (regions and the places listed under them), less the ones
 * that are also everyday words in English ("star wars saga", "goto statement", "aspen trees").
 */
const OTHER_SENSE_PLACES = new Set(['saga', 'goto', 'aspen', 'vail', 'loveland', 'mie', 'ise', 'onna', 'udo', 'kure', 'aso']);
const PLACES: ReadonlySet<string> = new Set(
  [...REGION_PLACES.keys(), ...[...REGION_PLACES.values()].flat()].filter((p) => !OTHER_SENSE_PLACES.has(p)),
);

/** The places listed under a region, then those listed under the ones that are regions too. */
function placesIn(region: string): string[] {
  const own = REGION_PLACES.get(region) ?? [];
  const nested = own.flatMap((p) => REGION_PLACES.get(p) ?? []);
  return [...new Set([...own, ...nested])].filter((p) => p !== region).slice(0, MAX_PLACES);
}

/**
 * Alternatives that name the thing typed itself (`exact`), for each distinct word of the query:
 * a country's other form ("korea" ↔ "korean"), the other variety's word ("colour" ↔ "color",
 * word-variants.ts), a synonym or a kind of the thing ("xmas" → "christmas", "lodging" →
 * "hotel", synonyms.ts), and for a region ("nagano", "kyushu", "seoul") the places inside it
 * (place-regions.ts).
 */
function exactExpansions(words: readonly string[]): Expansion[] {
  return [...new Set(words)].flatMap((w) => {
    const other = OTHER_FORM.get(w) ?? wordVariant(w);
    // Looked up as typed, not stemmed: no other sense folds in ("training" is not a key).
    const synonyms = SYNONYMS.get(w)?.join(', ');
    const places = REGION_PLACES.has(w) ? placesIn(w).join(', ') : undefined;
    return [other, synonyms, places].flatMap((alts) => (alts ? [{ src: w, alts, exact: true }] : []));
  });
}

/** Each concept's firm (not "~" loose) terms, in the lexicon's order, with their stems (analysed once, here). */
const firmTerms = CONCEPTS.map((c) =>
  c.terms
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t && !t.startsWith('~'))
    .map((term) => ({ term, stems: analyzeText(term).stems.join(' ') })),
);
/** Every word of each concept's terms, firm or loose, as written. */
const termWords = CONCEPTS.map(
  (c) =>
    new Set(
      c.terms
        .toLowerCase()
        .split(/[\s,~]+/)
        .filter(Boolean),
    ),
);

/**
 * Keyword search only sees the words typed; a person searching "hot spring" also means "onsen".
 * The same concept lexicon the offline embedder uses (general vocabulary of saved screenshots)
 * names, for each phrase of the query that is one of its firm terms, the concept's other firm
 * terms. BM25 counts those at a discount, and a document holding one of them covers the phrase
 * for the relevance cutoff.
 */
export function conceptExpansions(query: string): Expansion[] {
  lexicon ??= new ConceptLexicon();
  // Tokenized once: the places need the stop words ("near tokyo"), the concepts their absence.
  const tokens = tokenize(normalizeText(query));
  const { words, stems } = analyzeTokens(tokens);
  const out: Expansion[] = [];
  for (const m of lexicon.match(stems)) {
    if (m.weight < 1) continue;
    const typed = words.slice(m.start, m.end);
    if (typed.some((w) => OTHER_SENSE.has(w) && !termWords[m.concept]!.has(w))) continue;
    const src = typed.join(' ');
    const srcStems = stems.slice(m.start, m.end).join(' ');
    const alts = firmTerms[m.concept]!.filter((t) => t.stems !== srcStems)
      .slice(0, MAX_ALTERNATIVES)
      .map((t) => t.term);
    if (alts.length) out.push({ src, alts: alts.join(', ') });
  }
  return [...out, ...exactExpansions(words), ...placesAskedAbout(tokens), ...wordsInScript(query)];
}

/**
 * A place typed in Japanese, Korean or Chinese script ("北海道", "서울"): its romanised name and
 * the places under it count as the name typed (`exact`), and it is a place asked about. An
 * everyday word typed in script ("ラーメン", "카페": words-in-script.ts) counts as its English word,
 * and any other word in kana or Hangul as it is romanised ("どんぐり" → donguri, "성수" → seongsu:
 * kana.ts, hangul.ts), a place when it names one.
 * The words are split as Postgres splits the query (on spaces and punctuation), so `src` is one
 * of the query's lexemes.
 */
function wordsInScript(query: string): Expansion[] {
  const words = [...new Set(query.normalize('NFKC').split(/[\s\p{P}]+/u))];
  return words.flatMap((src): Expansion[] => {
    if (Object.hasOwn(WORDS_IN_SCRIPT, src)) return [{ src, alts: WORDS_IN_SCRIPT[src]!, exact: true }];
    // A name in kana or Hangul no table lists ("どんぐり", "성수") reads as it is romanised.
    const name = Object.hasOwn(PLACE_NAMES_IN_SCRIPT, src) ? PLACE_NAMES_IN_SCRIPT[src]! : (kanaToRomaji(src) ?? hangulToRoman(src));
    if (!name || name.length < 2) return [];
    const alts = [name, ...(REGION_PLACES.has(name) ? placesIn(name) : [])].join(', ');
    return [{ src, alts, exact: true }, ...(PLACES.has(name) ? [{ src, alts: '', place: true }] : [])];
  });
}

/** Words that put a place as a point of reference, not as where: "near tokyo", "day trips from seoul". */
const BEFORE_REFERENCE = new Set(['near', 'nearby', 'around', 'from', 'outside', 'beyond', 'close', 'closest', 'off']);
const AFTER_REFERENCE = new Set(['suburbs', 'suburb', 'outskirts', 'suburban']);

/**
 * The places the query asks about (`place` records, alternatives empty): a region or a place of
 * the region table typed as where the thing should be ("cafes in tokyo", "kyushu onsen"). A place
 * typed as a point of reference ("a farm near tokyo", "escape from seoul", "the denver suburbs")
 * asks about somewhere else and constrains nothing.
 */
function placesAskedAbout(tokens: readonly string[]): Expansion[] {
  const asked = tokens.filter(
    (t, i) => PLACES.has(t) && !BEFORE_REFERENCE.has(tokens[i - 1] ?? '') && !AFTER_REFERENCE.has(tokens[i + 1] ?? ''),
  );
  return [...new Set(asked)].map((w) => ({ src: w, alts: '', place: true }));
}
