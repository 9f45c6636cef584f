/** Pure parts of the header's search box (components/HeaderSearch.tsx), tested in web/test. */
export type MatchVerdict = 'strong' | 'weak' | 'none';

/** Fewer characters than this search nothing (one letter matches half the collection). */
export const MIN_QUERY_CHARS = 2;

/** The heading over the results: none when they match, else what they are. */
export function resultsHeading(match: MatchVerdict | undefined): string | null {
  if (match === 'weak') return 'No close match — closest items';
  if (match === 'none') return 'Nothing found';
  return null;
}

/** What a screen reader hears when results arrive. */
export function resultsAnnouncement(match: MatchVerdict | undefined, count: number): string {
  if (match === 'none' || count === 0) return 'Nothing found';
  const items = `${count} ${count === 1 ? 'item' : 'items'}`;
  return match === 'weak' ? `No close match; the ${items} closest` : `${items} found`;
}

/** ↑/↓ through `count` options: -1 is none highlighted; moving past either end wraps. */
export function moveHighlight(current: number, delta: 1 | -1, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return delta === 1 ? 0 : count - 1;
  return (current + delta + count) % count;
}

/** The full search page for a query typed in the header. */
export const searchPagePath = (query: string) => `/search?${new URLSearchParams({ q: query.trim() })}`;
