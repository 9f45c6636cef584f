import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../../api/client';
import { isUnfinished } from '../../lib/format';
import {
  EMPTY_LIST,
  PAGE,
  cachedList,
  firstPage,
  isFiltered,
  listKey,
  listPage,
  mergePage,
  storeList,
  type ListFilter,
  type ListState,
} from '../../lib/library-list';
import { libraryPath } from '../../router';
import { onUploadedItem } from '../../uploads/uploads';

/**
 * The library's list for a filter: shown at once from the cache, its first page fetched again and
 * merged in the list's order; uploads on top (unfiltered); polled every 1.5 s while an item shown
 * is still in the pipeline (`onPolled` after each poll); the next page on `loadMore`.
 */
const POLL_MS = 1500;

export function useLibraryList(filter: ListFilter, onPolled: () => void) {
  const key = listKey(filter);
  const path = libraryPath(filter);
  const [state, setState] = useState<ListState>(() => cachedList(key) ?? EMPTY_LIST);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;

  const commit = useCallback(
    (next: ListState | ((s: ListState) => ListState)) => {
      setState((s) => {
        const value = typeof next === 'function' ? next(s) : next;
        storeList(key, value, path);
        return value;
      });
    },
    [key, path],
  );

  // First page (again, if cached: it may have changed), merged in the list's order.
  useEffect(() => {
    let live = true;
    const known = cachedList(key);
    setState(known ?? EMPTY_LIST);
    if (known) storeList(key, known, path);
    setError(null);
    firstPage(filter).then(
      (page) =>
        live &&
        commit((s) => ({ items: s.loaded ? mergePage(s.items, page.items, 0, PAGE) : page.items, total: page.total, loaded: true })),
      (err) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [key, path, filter, commit]);

  const filtered = isFiltered(filter);
  // Items the user uploads appear at the top at once (of the unfiltered list).
  useEffect(
    () =>
      onUploadedItem((item) => {
        if (filtered) return;
        commit((s) => (s.items.some((i) => i.id === item.id) ? s : { ...s, items: [item, ...s.items], total: s.total + 1 }));
      }),
    [filtered, commit],
  );

  // Poll while anything shown is still being processed.
  const unfinished = state.items.some((i) => isUnfinished(i.status));
  useEffect(() => {
    if (!unfinished) return;
    let live = true;
    const timer = setInterval(async () => {
      const items = stateRef.current.items;
      let last = -1;
      items.forEach((i, n) => isUnfinished(i.status) && (last = n));
      if (last < 0) return;
      try {
        const limit = Math.min(100, Math.max(PAGE, last + 1));
        const page = await listPage(filter, 0, limit);
        if (!live) return;
        commit((s) => ({ ...s, items: mergePage(s.items, page.items, 0, limit), total: page.total }));
        onPolled();
      } catch {
        // try again on the next tick
      }
    }, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [unfinished, filter, commit, onPolled]);

  const done = state.loaded && state.items.length >= state.total;
  const loadMore = useCallback(async () => {
    const s = stateRef.current;
    if (loadingMore || !s.loaded || s.items.length >= s.total) return;
    setLoadingMore(true);
    try {
      const page = await listPage(filter, s.items.length);
      commit((cur) => ({ ...cur, items: mergePage(cur.items, page.items, s.items.length, PAGE), total: page.total }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setLoadingMore(false);
    }
  }, [filter, commit, loadingMore]);

  return { state, commit, error, setError, loadingMore, loadMore, done };
}
