/**
 * Puts back the spaces an OCR model left out. PaddleOCR's Chinese/English recogniser reads
 * small Latin text letter-perfect but often drops the narrow gap between words:
 * "Weactuallystayedherefor5days,but1" for "We actually stayed here for 5 days, but I". A word
 * that is not a word is split into the likeliest run of dictionary words (Zipf costs over the
 * frequency-ranked vocabulary the offline embedder ships, as `wordninja` does), and spaces go
 * back after sentence punctuation and around numbers. Conservative on purpose: a token that is
 * a word, a handle, a hashtag, a web address, or cannot be read wholly as common words, is left
 * as it was (brands and names are not words, and must not be cut into them).
 */

/** Frequency rank of a lower-case word (0 = most common), or -1 when it is not a word. */
export type RankOf = (word: string) => number;

/**
 * One-letter words, with ranks of their own: the shipped vocabulary has no single letters.
 * Other single letters never stand alone in a split, except as a stray at either end.
 */
const ONE_LETTER_RANKS: Record<string, number> = { a: 5, i: 20 };
/** Letters that belong to the number beside them ("10am", "2nd", "4K", "5km"), not a word of their own. */
const NUMBER_SUFFIXES = new Set(
  (
    'st nd rd th am pm k m b km kg g mg ml l h hr hrs min mins s sec x p d mm cm gb mb tb kb fps hz mp yr yrs ' +
    'lb lbs oz ft mi mph kmh w kw v mah'
  ).split(' '),
);
/** What follows the apostrophe of a contraction, longest first. */
const CONTRACTION_ENDINGS = ['re', 've', 'll', 't', 's', 'd', 'm'];
/** Longest word tried when splitting. */
const MAX_WORD = 20;
/** Shorter runs are left alone: too few letters to split with confidence. */
const MIN_SPLIT_LENGTH = 5;
/**
 * Names are cut into words through short and rare ones ("kathrinacorgan" → "kathrin a corgan"):
 * a word of two or three letters must be common, a rare word must be long, and a split may
 * hold one rare word per three.
 */
const SHORT_WORD_MAX_RANK = { 2: 3_000, 3: 20_000 } as Record<number, number>;
const RARE_RANK = 20_000;
const RARE_MIN_LENGTH = 5;

const LATIN_LETTERS = /^\p{Script=Latin}+$/u;
/**
 * An icon or a stray mark read as a letter or two at either end of a run ("ehasnever",
 * "stabilitywithyourownld"): allowed once, at a cost no real word has.
 */
const STRAY_MAX_LENGTH = 2;
/** A split's words may cost at most this much per letter (negative log probability; see bestSplit). */
const MAX_COST_PER_LETTER = 3;
const STRAY_COST = 25;

/**
 * The cheapest reading of `lower` as dictionary words, as their lengths, or null when it
 * cannot be read wholly as words (dynamic programming over split points).
 */
function bestSplit(lower: string, rankOf: RankOf, vocabularySize: number): number[] | null {
  const logN = Math.log(vocabularySize);
  const n = lower.length;
  const rankOfPiece = (word: string) => ONE_LETTER_RANKS[word] ?? (word.length === 1 ? -1 : rankOf(word));
  /** A piece's cost: Zipf's law (probability ~ 1 / (rank × log N)), negative log; Infinity when it may not be one. */
  const pieceCost = (word: string, start: number, end: number): number => {
    const rank = rankOfPiece(word);
    const len = word.length;
    if (rank >= 0 && rank < (SHORT_WORD_MAX_RANK[len] ?? Infinity) && !(rank >= RARE_RANK && len < RARE_MIN_LENGTH)) {
      return Math.log((rank + 1) * logN);
    }
    const atAnEnd = start === 0 || end === n;
    return rank < 0 && len <= STRAY_MAX_LENGTH && atAnEnd ? STRAY_COST : Infinity;
  };
  const cost = new Float64Array(n + 1).fill(Infinity);
  const back = new Int32Array(n + 1);
  cost[0] = 0;
  for (let end = 1; end <= n; end++) {
    for (let len = 1; len <= Math.min(MAX_WORD, end); len++) {
      const previous = cost[end - len]!;
      if (previous === Infinity) continue;
      const c = previous + pieceCost(lower.slice(end - len, end), end - len, end);
      if (c < cost[end]!) {
        cost[end] = c;
        back[end] = len;
      }
    }
  }
  if (cost[n] === Infinity) return null;
  const pieces: string[] = [];
  for (let end = n; end > 0; end -= back[end]!) pieces.unshift(lower.slice(end - back[end]!, end));
  const isStray = (p: string) => rankOfPiece(p) < 0;
  const isRare = (p: string) => rankOfPiece(p) >= RARE_RANK;
  const words = pieces.filter((p) => !isStray(p));
  const strays = pieces.length - words.length;
  // A stray beside a single word is no evidence of a run-together phrase ("fansl" may be a name).
  if (strays > 1 || (strays === 1 && words.length < 2)) return null;
  if (words.filter(isRare).length > Math.max(1, Math.floor(words.length / 3))) return null;
  // "tomoko a ran": a lone letter beside a rare word is a name being cut; "a bashir i" too
  // (lone letters are cheap words, so names that start or end in a vowel fall into them).
  if (pieces.some((p, i) => p.length === 1 && (isRare(pieces[i - 1] ?? '') || isRare(pieces[i + 1] ?? '')))) return null;
  const letterWords = words.filter((w) => w.length === 1).length;
  if (letterWords > Math.max(1, Math.floor(words.length / 4))) return null;
  // Common words carry little cost per letter; a name cut into short, middling ones ("i chi ran") much more.
  const wordCost = words.reduce((sum, w) => sum + Math.log((rankOfPiece(w) + 1) * logN), 0);
  const letters = words.reduce((sum, w) => sum + w.length, 0);
  if (wordCost / letters > MAX_COST_PER_LETTER) return null;
  return pieces.map((p) => p.length);
}

/** The line with its missing spaces restored; a line that needs none comes back unchanged. */
export type WordBreaker = (line: string) => string;

export function wordBreaker(rankOf: RankOf, vocabularySize: number): WordBreaker {
  const isWord = (w: string) => rankOf(w.toLowerCase()) >= 0;

  /** A run of Latin letters: itself when it is a word, else its split when every part is one. */
  function splitLetters(run: string): string {
    if (run.length < MIN_SPLIT_LENGTH || !LATIN_LETTERS.test(run) || isWord(run)) return run;
    const lengths = bestSplit(run.toLowerCase(), rankOf, vocabularySize);
    if (!lengths || lengths.length === 1) return run;
    const parts: string[] = [];
    let at = 0;
    for (const len of lengths) {
      parts.push(run.slice(at, at + len));
      at += len;
    }
    return parts.join(' ');
  }

  /** "didn'tincludeday": the contraction keeps its ending ("n't"), the rest is split as usual. */
  function splitContraction(run: string): string {
    const apostrophe = run.search(/['’]/);
    if (apostrophe < 0) return splitLetters(run);
    const head = run.slice(0, apostrophe + 1);
    const tail = run.slice(apostrophe + 1);
    for (const ending of CONTRACTION_ENDINGS) {
      if (!tail.toLowerCase().startsWith(ending) || tail.length === ending.length) continue;
      const rest = tail.slice(ending.length);
      const split = splitLetters(rest);
      if (isWord(rest) || split !== rest)
        return `${splitLetters(head.slice(0, -1))}${head.slice(-1)}${tail.slice(0, ending.length)} ${split}`;
    }
    return `${splitLetters(head.slice(0, -1))}${head.slice(-1)}${tail}`;
  }

  /** Numbers and words run together ("for5days", "Day2", "in3Days"): a space where a word meets a number. */
  function splitNumbers(token: string): string {
    // Letter runs are split into words first, so "herefor5" meets the number as "for".
    const runs = (token.match(/\p{N}+|\p{L}+(?:['’]\p{L}+)?|[^\p{L}\p{N}]+/gu) ?? [token]).map((r) =>
      /^\p{L}/u.test(r) ? splitContraction(r) : r,
    );
    let out = runs[0]!;
    for (let i = 1; i < runs.length; i++) {
      const before = runs[i - 1]!;
      const run = runs[i]!;
      const digitsThenWord = /^\p{N}+$/u.test(before) && /^\p{L}/u.test(run);
      const wordThenDigits = /\p{L}$/u.test(before) && /^\p{N}+$/u.test(run);
      const word = digitsThenWord ? run.split(' ')[0]! : wordThenDigits ? before.split(' ').at(-1)! : '';
      const separate =
        word.length >= 2 && LATIN_LETTERS.test(word) && !NUMBER_SUFFIXES.has(word.toLowerCase()) && isWord(word.toLowerCase());
      out += (separate ? ' ' : '') + run;
    }
    return out;
  }

  function fixToken(token: string): string {
    // Handles, hashtags and addresses are run together by design.
    if (/^[@#]/.test(token) || /[/\\]|\.\p{Ll}{2,}$|www\.|https?:/u.test(token)) return token;
    const spaced = token
      // "lol,and" "days,but": a space after a clause mark between letters (never in "1,000" or "12:30").
      .replace(/(\p{L})([,;!?])(?=\p{L})/gu, '$1$2 ')
      // "day.We": a sentence ends where a lower-case word meets a capital.
      .replace(/(\p{Ll}{2})\.(?=\p{Lu})/gu, '$1. ')
      // "area(vintage"
      .replace(/(\p{L})\((?=\p{L})/gu, '$1 (');
    if (spaced !== token) return spaced.split(' ').map(fixToken).join(' ');
    return splitNumbers(token);
  }

  return (line: string) => {
    // A line that is one lower-case run is a username over a post ("itsjustinjapan"): kept whole.
    if (/^[\p{Ll}\p{N}_.]+$/u.test(line.trim())) return line;
    return (
      line
        // A tag glued to what comes before it ("day.#fukuoka", "#travel#japan"), or a handle
        // after punctuation ("Pretenders-@tomoko"; never inside an e-mail address).
        .replace(/(?<=[^\s#@])(?=#[\p{L}\p{N}_])|(?<=[^\s\p{L}\p{N}_.@])(?=@[\p{L}\p{N}_])/gu, ' ')
        .split(' ')
        .map((t) => (t ? fixToken(t) : t))
        .join(' ')
    );
  };
}
