import { api, ok, type Item, type ItemList } from '../api/client';

/**
 * The library's lists, kept per filter (category and date range) for the page's lifetime, so
 * coming back from an item page shows the list at once, and the item page can step through the
 * list the user came from (`neighboursOf`).
 *
 * Order: the server lists newest first (created_at DESC, id DESC). A page fetched again is merged
 * into what is shown by that same order, never by "new ids go on top": after a delete, the first
 * page holds an item that was just past it before, and it belongs at the end, not the top.
 */
export const PAGE = 48;

export interface ListFilter {
  category: string | null;
  from: string | null;
  to: string | null;
}

export interface ListState {
  items: Item[];
  total: number;
  loaded: boolean;
}

export const EMPTY_LIST: ListState = { items: [], total: 0, loaded: false };

const cache = new Map<string, ListState>();
/** Every category seen in any list (the chips before GET /categories answers). */
export const knownCategories = new Set<string>();
let lastShown: string | null = null;
let lastShownPath = '/';

export const listKey = (f: ListFilter) => JSON.stringify([f.category ?? '', f.from ?? '', f.to ?? '']);
export const isFiltered = (f: ListFilter) => !!(f.category || f.from || f.to);

export const cachedList = (key: string): ListState | undefined => cache.get(key);

/** Stores the list of a filter; the list last stored is the one the item page steps through. */
export function storeList(key: string, value: ListState, path?: string) {
  cache.set(key, value);
  lastShown = key;
  if (path !== undefined) lastShownPath = path;
  for (const i of value.items) if (i.category) knownCategories.add(i.category);
}

/** First pages asked for before the library rendered (`prefetchFirstPage`), by list key. */
const prefetched = new Map<string, Promise<ItemList>>();

/**
 * Starts the first page of a list now: main.tsx calls it at start-up when the page is the
 * library, and renders once it is in (`seedFirstPage`), so the first paint is the grid, not an
 * empty shell followed by it. The library takes the same response (`firstPage`) instead of
 * asking again; a failed prefetch is simply asked again.
 */
export function prefetchFirstPage(f: ListFilter): Promise<ItemList> {
  const request = listPage(f, 0);
  request.catch(() => {}); // the library's own request reports errors
  prefetched.set(listKey(f), request);
  return request;
}

/** Puts a prefetched first page in the list cache, where the library's first render finds it. */
export function seedFirstPage(f: ListFilter, page: ItemList, path: string) {
  const key = listKey(f);
  if (!cache.has(key)) storeList(key, { items: page.items, total: page.total, loaded: true }, path);
}

/** The first page of a list: the prefetched one once (at start-up), else a fresh request. */
export function firstPage(f: ListFilter): Promise<ItemList> {
  const key = listKey(f);
  const early = prefetched.get(key);
  prefetched.delete(key);
  return early ? early.catch(() => listPage(f, 0)) : listPage(f, 0);
}

/** One page of GET /items for a filter. */
export function listPage(f: ListFilter, offset: number, limit = PAGE): Promise<ItemList> {
  const query = {
    limit,
    offset,
    ...(f.category ? { category: f.category } : {}),
    ...(f.from ? { date_from: f.from } : {}),
    ...(f.to ? { date_to: f.to } : {}),
  };
  return ok(api().GET('/items', { params: { query } }));
}

/** Whether `a` comes before `b` in the server's order (newest first, then the greater id). */
export function before(a: Item, b: Item): boolean {
  const ta = Date.parse(a.created_at);
  const tb = Date.parse(b.created_at);
  return ta !== tb ? ta > tb : a.id > b.id;
}

/**
 * `page` (fetched at `offset`, asking for `limit`) merged into `current`, in the server's order.
 * A page from the top is the truth for everything down to its last item: an item shown there that
 * the page lacks is gone (deleted elsewhere, or no longer in the filter). A page shorter than asked
 * for is the whole rest of the list.
 */
export function mergePage(current: Item[], page: Item[], offset: number, limit: number): Item[] {
  const incoming = new Map(page.map((i) => [i.id, i]));
  const last = page[page.length - 1];
  const coversEnd = page.length < limit;
  const kept = current.filter((i) => {
    if (incoming.has(i.id)) return false;
    if (offset !== 0) return true;
    if (coversEnd || !last) return false;
    return before(last, i); // after the page's last item: not covered by the page
  });
  return [...kept, ...page].sort((a, b) => (a.id === b.id ? 0 : before(a, b) ? -1 : 1));
}

/** An item changed (re-analysed, retried): every list that shows it shows the new one. */
export function updateCachedItem(item: Item) {
  for (const [k, v] of cache) {
    if (v.items.some((i) => i.id === item.id)) cache.set(k, { ...v, items: v.items.map((i) => (i.id === item.id ? item : i)) });
  }
}

/** After a delete: no cached list shows these again, and the others keep their order. */
export function forgetItems(ids: Iterable<string>) {
  const gone = new Set(ids);
  for (const [k, v] of cache) {
    const items = v.items.filter((i) => !gone.has(i.id));
    cache.set(k, { ...v, items, total: Math.max(0, v.total - (v.items.length - items.length)) });
  }
}

export const forgetItem = (id: string) => forgetItems([id]);

/** The filter a list key stands for (the inverse of `listKey`). */
function filterOfKey(key: string): ListFilter {
  const [category, from, to] = JSON.parse(key) as string[];
  return { category: category || null, from: from || null, to: to || null };
}

/**
 * The next page of the list the item page steps through, when the user has stepped to the last
 * item loaded so far but the list has more: next/previous go on past what the grid had loaded.
 * Resolves true when the list grew.
 */
export async function loadNextPageOfShownList(): Promise<boolean> {
  const key = lastShown;
  const list = key ? cache.get(key) : undefined;
  if (!key || !list || list.items.length >= list.total) return false;
  const offset = list.items.length;
  const page = await listPage(filterOfKey(key), offset);
  const now = cache.get(key) ?? list;
  cache.set(key, { ...now, items: mergePage(now.items, page.items, offset, PAGE), total: page.total });
  return (cache.get(key)?.items.length ?? 0) > now.items.length;
}

export interface Neighbours {
  previous: Item | null;
  next: Item | null;
  /** 1-based position in the list, and how many the list has (null: not in it). */
  position: number | null;
  total: number;
  /** Where that list is (the library with its filters). */
  listPath: string;
}

/**
 * The items before and after `id` in the library list the user last looked at (the order of the
 * grid), or nulls when the item is not in it (opened from search, chat, or a link).
 */
export function neighboursOf(id: string): Neighbours {
  const list = lastShown ? cache.get(lastShown) : undefined;
  const n = list ? list.items.findIndex((i) => i.id === id) : -1;
  if (!list || n < 0) return { previous: null, next: null, position: null, total: 0, listPath: lastShownPath };
  const [previous, next] = [list.items[n - 1] ?? null, list.items[n + 1] ?? null];
  return { previous, next, position: n + 1, total: list.total, listPath: lastShownPath };
}
