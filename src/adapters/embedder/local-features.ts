/**
 * Features for the offline embedder. A feature function reads analysed text and emits named,
 * weighted features; the embedder hashes the names into vector slots. New signals (synonyms,
 * phrase tables, a small learned lexicon) plug in as more feature functions.
 */
import type { AnalyzedText } from '../../shared/text/analyze.js';

export type EmitFeature = (name: string, weight: number) => void;
export type FeatureFunction = (text: AnalyzedText, emit: EmitFeature) => void;

/** Each stemmed word: the strongest signal. */
export function wordUnigrams(weight = 1): FeatureFunction {
  return ({ stems }, emit) => {
    for (const s of stems) emit(`w:${s}`, weight);
  };
}

/** Adjacent stemmed words ("ramen shop"), so phrases count for more than scattered words. */
export function wordBigrams(weight = 0.5): FeatureFunction {
  return ({ stems }, emit) => {
    for (let i = 1; i < stems.length; i++) emit(`b:${stems[i - 1]} ${stems[i]}`, weight);
  };
}

/**
 * Character n-grams of each surface word, with boundary marks ("<japan>" → "<ja", "jap", ...),
 * so related forms the stemmer does not join ("japan" / "japanese") still overlap.
 */
export function charNgrams(weight = 0.3, sizes: readonly number[] = [3, 4]): FeatureFunction {
  return ({ words }, emit) => {
    for (const word of words) {
      if (word.length < 3) continue; // the unigram already says all there is
      const marked = `<${word}>`;
      for (const n of sizes) {
        for (let i = 0; i + n <= marked.length; i++) emit(`c:${marked.slice(i, i + n)}`, weight);
      }
    }
  };
}

export const DEFAULT_FEATURES: readonly FeatureFunction[] = [wordUnigrams(1), wordBigrams(0.5), charNgrams(0.3)];
