import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * A tiny history router: paths are the app's own and never collide with API routes (the server
 * answers unknown page paths with index.html, API paths with the API):
 *   /                    library (?category=…)
 *   /item/{id}           one item
 *   /search              search (?q=…&type=…&answer=1)
 *   /chat                chat (?session=…)
 */
export type Route =
  | { name: 'library'; category: string | null }
  | { name: 'item'; id: string }
  | { name: 'search'; q: string; type: string; answer: boolean }
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

export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  if (pathname === '/' || pathname === '/index.html') return { name: 'library', category: params.get('category') || null };
  const item = /^\/item\/([^/]+)\/?$/.exec(pathname);
  if (item) return { name: 'item', id: decodeURIComponent(item[1]!) };
  if (pathname === '/search' || pathname === '/search/') {
    return { name: 'search', q: params.get('q') ?? '', type: params.get('type') ?? 'hybrid', answer: params.get('answer') === '1' };
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
