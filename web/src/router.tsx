import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * A tiny history router: paths are the app's own and never collide with API routes (the server
 * answers unknown page paths with index.html, API paths with the API):
 *   /                    library (?category=…&from=YYYY-MM-DD&to=YYYY-MM-DD)
 *   /item/{id}           one item
 *   /search              search (?q=…&type=…&answer=1&category=…&from=…&to=…)
 *   /chat                chat (?session=…)
 */
/** A date range on the items' created_at, both ends inclusive, as YYYY-MM-DD (null: open). */
export interface DateRange {
  from: string | null;
  to: string | null;
}

export type Route =
  | ({ name: 'library'; category: string | null } & DateRange)
  | { name: 'item'; id: string }
  | ({ name: 'search'; q: string; type: string; answer: boolean; category: string | null } & DateRange)
  | { name: 'chat'; session: string | null }
  | { name: 'not-found'; path: string };

const CHANGE = 'collections:navigate';

function subscribe(listener: () => void) {
  window.addEventListener('popstate', listener);
  window.addEventListener(CHANGE, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(CHANGE, listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function useLocationKey(): string {
  return useSyncExternalStore(subscribe, snapshot);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A YYYY-MM-DD parameter, or null when absent or malformed. */
const dayParam = (params: URLSearchParams, name: string) => {
  const v = params.get(name);
  return v && DAY.test(v) ? v : null;
};

export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  const filters = { category: params.get('category') || null, from: dayParam(params, 'from'), to: dayParam(params, 'to') };
  if (pathname === '/' || pathname === '/index.html') return { name: 'library', ...filters };
  const item = /^\/item\/([^/]+)\/?$/.exec(pathname);
  if (item) return { name: 'item', id: decodeURIComponent(item[1]!) };
  if (pathname === '/search' || pathname === '/search/') {
    return {
      name: 'search',
      q: params.get('q') ?? '',
      type: params.get('type') ?? 'hybrid',
      answer: params.get('answer') === '1',
      ...filters,
    };
  }
  if (pathname === '/chat' || pathname === '/chat/') return { name: 'chat', session: params.get('session') || null };
  return { name: 'not-found', path: pathname };
}

export function useRoute(): Route {
  const key = useLocationKey();
  const q = key.indexOf('?');
  return parseRoute(q === -1 ? key : key.slice(0, q), q === -1 ? '' : key.slice(q));
}

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

export const itemPath = (id: string) => `/item/${encodeURIComponent(id)}`;

/** The library's URL for a category and date range (the parameters parseRoute reads back). */
export function libraryPath(filters: { category?: string | null; from?: string | null; to?: string | null } = {}): string {
  // Every card links its category: 48 URLSearchParams per page cost ~4 ms of the first paint.
  if (!filters.from && !filters.to) return filters.category ? categoryPath(filters.category) : '/';
  const params = new URLSearchParams();
  if (filters.category) params.set('category', filters.category);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  return `/?${params}`;
}

const categoryPaths = new Map<string, string>();
function categoryPath(category: string): string {
  let path = categoryPaths.get(category);
  if (!path) categoryPaths.set(category, (path = `/?${new URLSearchParams({ category })}`));
  return path;
}

/** A search for these words (the links of an item's places, hashtags and subcategories). */
export const searchPath = (q: string) => `/search?${new URLSearchParams({ q })}`;

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; replace?: boolean };

/** An ordinary link (new tab, copy link work) that navigates in place on a plain click. */
export function Link({ to, replace, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to, { replace });
  };
  return <a href={to} onClick={handle} {...rest} />;
}
