import type { AnalysisInput } from '../../../domain/analysis.js';
import { STOP_WORDS } from '../../../shared/text/analyze.js';
import { isNumber, wordTokens } from '../../../adapters/vision/screen-chrome.js';

/**
 * How well a vision provider read a screenshot, against a reviewed (golden) analysis of it:
 * pure functions over the two analyses, so they are tested without any OCR.
 */

export { wordTokens } from '../../../adapters/vision/screen-chrome.js';

/** The words of a transcription worth finding: two characters or more (a lone letter is noise either way). */
export function transcriptionWords(lines: readonly string[]): Set<string> {
  return new Set(lines.flatMap(wordTokens).filter((t) => t.length >= 2));
}

export interface Recall {
  /** Distinct golden words the OCR produced as words of its own. */
  found: number;
  /** …or inside one of its words ("herestheDamage" holds "damage"): run-together words. */
  foundInside: number;
  total: number;
}

/** Word recall of `ocrLines` against the golden transcription `goldenLines`. */
export function wordRecall(goldenLines: readonly string[], ocrLines: readonly string[]): Recall {
  const golden = transcriptionWords(goldenLines);
  const ocrTokens = ocrLines.flatMap(wordTokens);
  const ocr = new Set(ocrTokens);
  const joined = ocrTokens.join(' ');
  let found = 0;
  let foundInside = 0;
  for (const w of golden) {
    if (ocr.has(w)) found++;
    else if (joined.includes(w)) foundInside++;
  }
  return { found, foundInside: found + foundInside, total: golden.size };
}

/** One-letter words that are words. */
const ONE_LETTER_WORDS = new Set(['a', 'i']);

export interface Junk {
  /** OCR tokens that are neither in the golden analysis nor words at all. */
  junk: number;
  tokens: number;
  examples: string[];
}

/**
 * Junk in what the OCR read: tokens found nowhere in the golden analysis (any text field) that
 * are not numbers and not words of `isWord`'s vocabulary, plus stray single letters. A real
 * word the reviewer did not transcribe (app chrome, a caption cut off) is not junk here; "fm",
 * "LY", "bs" and "ll" from an icon or a photo texture are.
 */
export function junkTokens(golden: AnalysisInput, ocrLines: readonly string[], isWord: (w: string) => boolean): Junk {
  const known = new Set(wordTokens(goldenText(golden).join('\n')));
  let junk = 0;
  let tokens = 0;
  const examples: string[] = [];
  for (const t of ocrLines.flatMap(wordTokens)) {
    tokens++;
    if (known.has(t) || isNumber(t)) continue;
    // A lone letter is junk unless it is a word; other scripts are not judged by an English vocabulary.
    const isJunk = t.length === 1 ? !ONE_LETTER_WORDS.has(t) : /\p{Script=Latin}/u.test(t) && !isWord(t);
    if (isJunk) {
      junk++;
      if (examples.length < 8 && !examples.includes(t)) examples.push(t);
    }
  }
  return { junk, tokens, examples };
}

/** Every text field of an analysis a person could search by. */
export function goldenText(a: AnalysisInput): string[] {
  return [
    a.headline ?? '',
    a.summary ?? '',
    a.category ?? '',
    ...(a.subcategories ?? []),
    ...(a.image_details?.extracted_text ?? []),
    ...(a.media_metadata?.location_tags ?? []),
    ...(a.media_metadata?.hashtags ?? []),
    a.media_metadata?.original_poster ?? '',
    ...(a.media_metadata?.tagged_accounts ?? []),
  ];
}

/**
 * The share of the headline's content words (three letters or more, not stop words) found in
 * the golden headline, summary or transcription: a readable title names what the post is about.
 * null for a headline without content words.
 */
export function headlineWordsFound(golden: AnalysisInput, headline: string | null | undefined): number | null {
  const words = wordTokens(headline ?? '').filter((w) => w.length >= 3 && !STOP_WORDS.has(w) && !isNumber(w));
  if (words.length === 0) return null;
  const reference = new Set(
    wordTokens([golden.headline ?? '', golden.summary ?? '', ...(golden.image_details?.extracted_text ?? [])].join('\n')),
  );
  return words.filter((w) => reference.has(w)).length / words.length;
}

export { isChromeLine, readsLikeNavigation } from '../../../adapters/vision/screen-chrome.js';

/** Categories agree when they name the same one, ignoring case and spacing. */
export const sameCategory = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
