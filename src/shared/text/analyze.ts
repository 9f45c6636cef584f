/**
 * Text analysis for the offline embedder: normalise, tokenize, drop stop words, stem.
 * Deliberately light: English suffix stripping that is right most of the time is enough,
 * because character n-grams (see local-features.ts) catch most of what the stemmer misses.
 */

/** The words of a text after analysis; `words[i]` is the surface form of `stems[i]`. */
export interface AnalyzedText {
  words: string[];
  stems: string[];
}

// Japanese and Chinese are written without spaces, so each Han or Hiragana character becomes its
// own token and the bigram feature pairs neighbours (the usual trick for indexing CJK text).
// Katakana runs stay whole: they are mostly single loanwords ("ラーメン").
const CJK_CHAR = /([\p{Script=Han}\p{Script=Hiragana}])/gu;
const APOSTROPHES = /['\u2019\u02bc]/g;
const NOT_WORD = /[^\p{L}\p{N}]+/u;
const LATIN_WITH_MARKS = /(\p{Script=Latin})\p{Mn}+/gu;

/** Lowercase, NFKC (full-width and ligature forms fold to plain ones), accents off Latin letters. */
export function normalizeText(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      // "café" and "cafe" should be the same word; marks on other scripts carry meaning, so stay.
      .normalize('NFD')
      .replace(LATIN_WITH_MARKS, '$1')
      .normalize('NFC')
      // "Fukuoka's" → "fukuokas" (then stemmed to "fukuoka"); "don't" → "dont", a stop word.
      .replace(APOSTROPHES, '')
      .replace(CJK_CHAR, ' $1 ')
  );
}

export function tokenize(normalized: string): string[] {
  // Lone Latin letters are leftovers ("e-mail" → "e"), not words; a lone digit or kanji is.
  return normalized.split(NOT_WORD).filter((t) => t.length > 1 || (t.length === 1 && !/[a-z]/.test(t)));
}

export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before ' +
    'being below between both but by can could did do does doing down during each few for from ' +
    'further had has have having he her here hers herself him himself his how i if in into is it ' +
    'its itself just me more most my myself no nor not now of off on once only or other our ours ' +
    'ourselves out over own same she should so some such than that the their theirs them ' +
    'themselves then there these they this those through to too under until up very was we were ' +
    'what when where which while who whom why will with would you your yours yourself yourselves ' +
    // apostrophes are removed before this check, so contractions appear without them
    'dont doesnt didnt isnt arent wasnt werent cant couldnt wont wouldnt shouldnt im ive youre ' +
    'youve youll hes shes thats theres theyre weve lets'
  ).split(' '),
);

const VOWEL = /[aeiouy]/;
const ASCII_WORD = /^[a-z]+$/;
// A stem like "mak", "bak", "hop": one vowel between consonants. Such stems lost a final "e".
const SHORT_CVC = /^[^aeiouy]*[aeiouy][^aeiouywx]$/;
const DOUBLED_CONSONANT = /([^aeiouylsz])\1$/;
// Words ending in "s" that are not plurals ("-ss", "-us", "-is" are handled by rule).
const NOT_PLURAL = new Set(['news', 'series', 'species', 'lens', 'chaos', 'always', 'perhaps']);

function stripPlural(word: string): string {
  if (word.endsWith('sses')) return word.slice(0, -2); // glasses → glass
  if (word.endsWith('ies')) return word.length > 4 ? `${word.slice(0, -3)}y` : word.slice(0, -1); // cities → city, ties → tie
  if (/(?:x|z|ch|sh)es$/.test(word)) return word.slice(0, -2); // boxes → box, dishes → dish
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word) && !NOT_PLURAL.has(word)) {
    return word.slice(0, -1); // spas → spa, massages → massage
  }
  return word;
}

function stripVerbEnding(word: string): string {
  let stem: string;
  if (word.endsWith('ied') && word.length > 4) return `${word.slice(0, -3)}y`; // tried → try
  if (word.endsWith('ing')) stem = word.slice(0, -3);
  else if (word.endsWith('ed') && !word.endsWith('eed'))
    stem = word.slice(0, -2); // not speed, need
  else return word;
  // "thing", "king", "red", "used": too little left to be a stem
  if (stem.length < 3 || !VOWEL.test(stem)) return word;
  if (DOUBLED_CONSONANT.test(stem)) return stem.slice(0, -1); // running → run, stopped → stop
  if (SHORT_CVC.test(stem)) return `${stem}e`; // making → make, baked → bake
  return stem;
}

/** Light English stemmer: plurals, then -ing / -ed. Leaves non-ASCII and short words alone. */
export function stem(word: string): string {
  if (word.length <= 3 || !ASCII_WORD.test(word)) return word;
  return stripVerbEnding(stripPlural(word));
}

export function analyzeText(text: string): AnalyzedText {
  return analyzeTokens(tokenize(normalizeText(text)));
}

/** analyzeText's second half, for a caller that also needs the tokens with their stop words. */
export function analyzeTokens(tokens: string[]): AnalyzedText {
  let words = tokens.filter((t) => !STOP_WORDS.has(t));
  // A text made only of stop words ("to be or not to be") still deserves a direction.
  if (words.length === 0) words = tokens;
  return { words, stems: words.map(stem) };
}
