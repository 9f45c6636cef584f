/**
 * Phone chrome: the status bar (a clock, battery, signal) and the navigation of TikTok,
 * Instagram and YouTube ("For You", "Following", "Explore", "Inbox", "Reels"). It is on nearly
 * every screenshot and says nothing about the post, so the offline analysis keeps it out of the
 * headline, the summary and the searchable text (it still tells which app the screenshot is
 * from: keyword-rules.ts matchSource reads the whole page), and `collections eval-vision`
 * counts what leaks.
 */

/** Lower-case word tokens: runs of letters or digits (any script), NFKC-normalised. */
export function wordTokens(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** A token made only of digits. */
export const isNumber = (token: string) => /^\p{N}+$/u.test(token);

/** Words of app navigation and status bars; common words among them ("for", "you") count only beside the others. */
const CHROME_WORDS = new Set(
  (
    'for you following friends explore shop inbox profile home search live reels subscriptions ' +
    'shorts create library notifications messages activity comments comment share reply send ' +
    'like likes follow more see translation original sound lte 5g 4g wifi am pm'
  ).split(' '),
);
/** Navigation words that are rarely content. */
const NAVIGATION_WORDS = new Set('following explore inbox profile reels subscriptions shorts notifications friends'.split(' '));
/** A clock alone on its line (opening hours have more: "10:00 - 22:00"). */
const CLOCK_ONLY = /^\s*\d{1,2}[:.]\d{2}\s*$/;

/**
 * True when `line` is status bar or app navigation only: a clock alone, every word a chrome
 * word beside numbers ("12:05 PM LTE 87"), or (OCR garbles tab bars: "(Ive ‘M Explore
 * Following” Shop" For You") two navigation words with little else on a short line.
 */
export function isChromeLine(line: string): boolean {
  if (CLOCK_ONLY.test(line)) return true;
  const ws = wordTokens(line).filter((w) => !isNumber(w));
  if (ws.length === 0) return false;
  if (ws.every((w) => CHROME_WORDS.has(w))) return true;
  const navigation = new Set(ws.filter((w) => NAVIGATION_WORDS.has(w))).size;
  const other = ws.filter((w) => !CHROME_WORDS.has(w) && w.length > 2).length;
  return navigation >= 2 && ws.length <= 8 && other <= 1;
}

/** Two or more navigation words in a title: it was read off the app's tab bar, not the post. */
export function readsLikeNavigation(text: string | null | undefined): boolean {
  return wordTokens(text ?? '').filter((w) => NAVIGATION_WORDS.has(w)).length >= 2;
}
