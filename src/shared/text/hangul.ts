/**
 * Hangul to Revised Romanization, the spelling Korean place and dish names take in the analyses
 * ("성수" → "seongsu", "을지로" → "euljiro", "떡볶이" → "tteokbokki"). As with kana (kana.ts), a
 * person may type a name as it is written in Seoul while the items spell it in Latin letters.
 *
 * Rules only, from the syllable's three parts: a final consonant is read as it sounds at the end
 * of a syllable (ㅅ, ㅈ → t), or carried over when the next syllable starts with a silent ㅇ
 * ("떡볶이": bokk-i → bokki). The sound changes between consonants ("신라" → Silla) are left out:
 * they would need rules for every pair, and names are mostly spelled without them.
 */

const INITIALS = ['g', 'kk', 'n', 'd', 'tt', 'r', 'm', 'b', 'pp', 's', 'ss', '', 'j', 'jj', 'ch', 'k', 't', 'p', 'h'];
const VOWELS = ['a', 'ae', 'ya', 'yae', 'eo', 'e', 'yeo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we', 'wi', 'yu', 'eu', 'ui', 'i'];
/** A final consonant before another consonant or at the end of the word. */
const FINALS = [
  '',
  'k',
  'k',
  'k',
  'n',
  'n',
  'n',
  't',
  'l',
  'k',
  'm',
  'l',
  'l',
  'l',
  'p',
  'l',
  'm',
  'p',
  'p',
  't',
  't',
  'ng',
  'k',
  't',
  'k',
  't',
  'p',
  't',
];
/** The same final carried over to a following silent ㅇ (ㅇ itself stays "ng"). */
const CARRIED = [
  '',
  'g',
  'kk',
  'gs',
  'n',
  'nj',
  'nh',
  'd',
  'r',
  'lg',
  'lm',
  'lb',
  'ls',
  'lt',
  'lp',
  'lh',
  'm',
  'b',
  'bs',
  's',
  'ss',
  'ng',
  'j',
  'ch',
  'k',
  't',
  'p',
  'h',
];

const FIRST = 0xac00;
const SILENT = 11; // ㅇ as an initial
const FINAL_NG = 21; // ㅇ as a final
const HANGUL_WORD = /^[\uac00-\ud7a3]+$/u;

/** The Revised Romanization of a word of Hangul syllables, or undefined for anything else. */
export function hangulToRoman(word: string): string | undefined {
  if (!HANGUL_WORD.test(word)) return undefined;
  const syllables = [...word].map((ch) => {
    const n = ch.codePointAt(0)! - FIRST;
    return { initial: Math.floor(n / 588), vowel: Math.floor((n % 588) / 28), final: n % 28 };
  });
  let out = '';
  let carried = ''; // the previous syllable's final, moved to this syllable's silent ㅇ
  syllables.forEach((s, i) => {
    const initial = s.initial === SILENT && carried ? carried : INITIALS[s.initial]!;
    // A final (but ㅇ, "ng" either way) before a silent ㅇ is read as the next syllable's first sound.
    const moves = s.final !== 0 && s.final !== FINAL_NG && syllables[i + 1]?.initial === SILENT;
    out += initial + VOWELS[s.vowel]! + (moves ? '' : FINALS[s.final]!);
    carried = moves ? CARRIED[s.final]! : '';
  });
  return out || undefined;
}
