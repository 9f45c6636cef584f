/**
 * Japanese kana to Hepburn romaji, the way shop and place names are written in the analyses
 * ("どんぐり" → "donguri", "さっぽろ" → "sapporo", "らーめん" → "ramen"). A person back from Japan
 * may type a name as they saw it on the sign; the items spell it in Latin letters. Rule-based and
 * complete for kana (no dictionary): kanji need readings, which only a dictionary knows, so words
 * with kanji are left to the tables (words-in-script.ts, place-regions.ts).
 *
 * Katakana reads the same way, but a katakana word is usually a loanword ("ソフトクリーム" →
 * "sofutokuriimu", not "soft serve"); its romaji then matches nothing, which costs nothing.
 */

const SYLLABLES: Readonly<Record<string, string>> = {
  あ: 'a',
  い: 'i',
  う: 'u',
  え: 'e',
  お: 'o',
  か: 'ka',
  き: 'ki',
  く: 'ku',
  け: 'ke',
  こ: 'ko',
  が: 'ga',
  ぎ: 'gi',
  ぐ: 'gu',
  げ: 'ge',
  ご: 'go',
  さ: 'sa',
  し: 'shi',
  す: 'su',
  せ: 'se',
  そ: 'so',
  ざ: 'za',
  じ: 'ji',
  ず: 'zu',
  ぜ: 'ze',
  ぞ: 'zo',
  た: 'ta',
  ち: 'chi',
  つ: 'tsu',
  て: 'te',
  と: 'to',
  だ: 'da',
  ぢ: 'ji',
  づ: 'zu',
  で: 'de',
  ど: 'do',
  な: 'na',
  に: 'ni',
  ぬ: 'nu',
  ね: 'ne',
  の: 'no',
  は: 'ha',
  ひ: 'hi',
  ふ: 'fu',
  へ: 'he',
  ほ: 'ho',
  ば: 'ba',
  び: 'bi',
  ぶ: 'bu',
  べ: 'be',
  ぼ: 'bo',
  ぱ: 'pa',
  ぴ: 'pi',
  ぷ: 'pu',
  ぺ: 'pe',
  ぽ: 'po',
  ま: 'ma',
  み: 'mi',
  む: 'mu',
  め: 'me',
  も: 'mo',
  や: 'ya',
  ゆ: 'yu',
  よ: 'yo',
  ら: 'ra',
  り: 'ri',
  る: 'ru',
  れ: 're',
  ろ: 'ro',
  わ: 'wa',
  ゐ: 'i',
  ゑ: 'e',
  を: 'o',
  ん: 'n',
  ゔ: 'vu',
  ぁ: 'a',
  ぃ: 'i',
  ぅ: 'u',
  ぇ: 'e',
  ぉ: 'o',
};

/** A syllable ending in "i" and a small ya/yu/yo make one sound: きゃ → kya, しゅ → shu, ちょ → cho. */
const SMALL_Y: Readonly<Record<string, string>> = { ゃ: 'a', ゅ: 'u', ょ: 'o' };

const KATAKANA_START = 0x30a1;
const KATAKANA_END = 0x30f6;
const TO_HIRAGANA = 0x60;
const KANA_WORD = /^[\u3041-\u3096\u30a1-\u30fa\u30fc]+$/u;

const toHiragana = (text: string) =>
  [...text]
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      return code >= KATAKANA_START && code <= KATAKANA_END ? String.fromCodePoint(code - TO_HIRAGANA) : ch;
    })
    .join('');

/** True for a word written in kana alone (hiragana, katakana and the long-vowel mark). */
export const isKanaWord = (word: string) => KANA_WORD.test(word);

/**
 * The Hepburn romaji of a kana word, long vowels written once ("とうきょう" → "tokyo", "らーめん"
 * → "ramen": the spelling names take in Latin letters), or undefined for anything else.
 */
export function kanaToRomaji(word: string): string | undefined {
  if (!isKanaWord(word)) return undefined;
  const kana = [...toHiragana(word)];
  let out = '';
  let double = false;
  for (let i = 0; i < kana.length; i++) {
    const ch = kana[i]!;
    if (ch === 'っ') {
      double = true;
      continue;
    }
    if (ch === 'ー') continue;
    let syllable = SYLLABLES[ch];
    if (syllable === undefined) return undefined;
    const small = SMALL_Y[kana[i + 1] ?? ''];
    if (small !== undefined && syllable.endsWith('i') && syllable.length > 1) {
      // し + ゃ → sha, ち + ょ → cho, じ + ゅ → ju, き + ゃ → kya.
      syllable = /^(sh|ch|j)i$/.test(syllable) ? syllable.slice(0, -1) + small : `${syllable.slice(0, -1)}y${small}`;
      i++;
    }
    if (double) {
      out += syllable.startsWith('ch') ? 't' : syllable[0];
      double = false;
    }
    out += syllable;
  }
  // Long vowels written once, as names are: おう / おお → o, うう → u, えい stays (Keio, Meiji).
  return out.replace(/ou/g, 'o').replace(/oo/g, 'o').replace(/uu/g, 'u').replace(/aa/g, 'a') || undefined;
}
