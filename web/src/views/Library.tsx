import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorText, ok, type Item } from '../api/client';
import { ApiImage } from '../components/ApiImage';
import { StatusBadge } from '../components/StatusBadge';
import { formatDate, isUnfinished, plural } from '../lib/format';
import { Link, itemPath, navigate } from '../router';
import { UploadButton } from '../uploads/UploadTray';
import { onUploadedItem } from '../uploads/uploads';

/**
 * The library: every item as a thumbnail, newest first, 48 at a time (more load as the end of
 * the grid comes into view, or with the button). Items still in the pipeline show their status
 * and are polled every 1.5 s; failed ones offer a retry. Filter by category; counts on top.
 */
const PAGE = 48;
const POLL_MS = 1500;

interface Counts {
  ready: number;
  failed: number;
  categories: Record<string, number>;
}

interface ListState {
  items: Item[];
  total: number;
  loaded: boolean;
}

/** The last list per filter, so coming back from an item page shows it at once. */
const cache = new Map<string, ListState>();
const knownCategories = new Set<string>();

const listPage = (category: string | null, offset: number, limit = PAGE) =>
  ok(api().GET('/items', { params: { query: { limit, offset, ...(category ? { category } : {}) } } }));

function mergeById(current: Item[], incoming: Item[], atTop: boolean): Item[] {
  const byId = new Map(incoming.map((i) => [i.id, i]));
  const updated = current.map((i) => byId.get(i.id) ?? i);
  const seen = new Set(current.map((i) => i.id));
  const fresh = incoming.filter((i) => !seen.has(i.id));
  return atTop ? [...fresh, ...updated] : [...updated, ...fresh];
}

export function Library({ category }: { category: string | null }) {
  const key = category ?? '';
  const [state, setState] = useState<ListState>(() => cache.get(key) ?? { items: [], total: 0, loaded: false });
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [retrying, setRetrying] = useState<Set<string>>(new Set());
  const sentinel = useRef<HTMLDivElement>(null);
  const painted = useRef(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  const commit = useCallback(
    (next: ListState | ((s: ListState) => ListState)) => {
      setState((s) => {
        const value = typeof next === 'function' ? next(s) : next;
        cache.set(key, value);
        for (const i of value.items) if (i.category) knownCategories.add(i.category);
        return value;
      });
    },
    [key],
  );

  // First page (again, if cached: it may have changed).
  useEffect(() => {
    let live = true;
    setState(cache.get(key) ?? { items: [], total: 0, loaded: false });
    setError(null);
    listPage(category, 0).then(
      (page) =>
        live && commit((s) => ({ items: s.loaded ? mergeById(s.items, page.items, true) : page.items, total: page.total, loaded: true })),
      (err) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [key, category, commit]);

  // One call for the header's counts and the category chips (GET /categories).
  const refreshCounts = useCallback(async () => {
    try {
      const facets = await ok(api().GET('/categories'));
      setCounts({
        ready: facets.by_status.ready ?? 0,
        failed: facets.by_status.failed ?? 0,
        categories: Object.fromEntries(facets.categories.map((c) => [c.category, c.count])),
      });
    } catch {
      // Counts are a nicety; the grid shows its own error.
    }
  }, []);

  const seenCategories = [...new Set([...state.items.map((i) => i.category).filter((c): c is string => !!c), ...knownCategories])].sort(
    (a, b) => a.localeCompare(b),
  );
  // Every category of the collection once counted (and the one being shown, even if emptied).
  const categoryNames = counts
    ? [...new Set([...Object.keys(counts.categories), ...(category ? [category] : [])])].sort((a, b) => a.localeCompare(b))
    : seenCategories;
  const categoriesKey = seenCategories.join('\u0000');
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new category seen in the grid (categoriesKey) recounts on purpose
  useEffect(() => {
    if (state.loaded) void refreshCounts();
  }, [state.loaded, categoriesKey, refreshCounts]);

  // Items the user uploads appear at the top at once.
  useEffect(
    () =>
      onUploadedItem((item) => {
        if (category) return;
        commit((s) => (s.items.some((i) => i.id === item.id) ? s : { ...s, items: [item, ...s.items], total: s.total + 1 }));
      }),
    [category, commit],
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
        const page = await listPage(category, 0, Math.min(100, Math.max(PAGE, last + 1)));
        if (!live) return;
        commit((s) => ({ ...s, items: mergeById(s.items, page.items, true), total: page.total }));
        void refreshCounts();
      } catch {
        // try again on the next tick
      }
    }, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [unfinished, category, commit, refreshCounts]);

  const done = state.loaded && state.items.length >= state.total;
  const loadMore = useCallback(async () => {
    const s = stateRef.current;
    if (loadingMore || !s.loaded || s.items.length >= s.total) return;
    setLoadingMore(true);
    try {
      const page = await listPage(category, s.items.length);
      commit((cur) => ({ ...cur, items: mergeById(cur.items, page.items, false), total: page.total }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setLoadingMore(false);
    }
  }, [category, commit, loadingMore]);

  // Infinite scroll: load the next page when the end of the grid is near.
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new page (items.length) re-observes the sentinel, which may still be in view
  useEffect(() => {
    const el = sentinel.current;
    if (!el || done) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore(), { rootMargin: '800px' });
    io.observe(el);
    return () => io.disconnect();
  }, [done, loadMore, state.items.length]);

  // Time to first grid paint (bench:web reads this mark).
  useEffect(() => {
    if (painted.current || state.items.length === 0) return;
    painted.current = true;
    requestAnimationFrame(() => performance.mark('collections:grid-painted'));
  }, [state.items.length]);

  const retry = async (id: string) => {
    setRetrying((r) => new Set(r).add(id));
    try {
      const item = await ok(api().POST('/items/{id}/retry', { params: { path: { id } } }));
      commit((s) => ({ ...s, items: s.items.map((i) => (i.id === id ? item : i)) }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setRetrying((r) => {
        const n = new Set(r);
        n.delete(id);
        return n;
      });
    }
  };

  const inProgress = counts ? Math.max(0, (category ? 0 : state.total) - counts.ready - counts.failed) : 0;

  return (
    <div className="page library">
      <div className="page-head">
        <div>
          <h1 tabIndex={-1}>{category ? category : 'Your collection'}</h1>
          <p className="counts" aria-live="polite">
            {state.loaded ? (
              <>
                {plural(state.total, 'item')}
                {!category && counts && (
                  <>
                    {' · '}
                    {counts.ready.toLocaleString()} ready
                    {inProgress > 0 && ` · ${inProgress.toLocaleString()} processing`}
                    {counts.failed > 0 && ` · ${counts.failed.toLocaleString()} failed`}
                  </>
                )}
              </>
            ) : (
              'Loading…'
            )}
          </p>
        </div>
        <UploadButton label="Upload images" />
      </div>

      {categoryNames.length > 0 && (
        <nav className="chips" aria-label="Filter by category">
          <Link to="/" className="chip" aria-current={!category ? 'page' : undefined}>
            All
          </Link>
          {categoryNames.map((c) => (
            <Link key={c} to={`/?category=${encodeURIComponent(c)}`} className="chip" aria-current={category === c ? 'page' : undefined}>
              {c}
              {counts?.categories[c] !== undefined && <span className="chip-count">{counts.categories[c]}</span>}
            </Link>
          ))}
        </nav>
      )}

      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}

      {state.loaded && state.items.length === 0 && !error ? (
        <div className="empty">
          {category ? (
            <>
              <h2>Nothing in {category}</h2>
              <p>
                <Link to="/">Show everything</Link>
              </p>
            </>
          ) : (
            <>
              <h2>Your collection is empty</h2>
              <p>
                Drop screenshots or photos anywhere on this page, or pick them with the button. A vision model reads each one so you can
                find it again.
              </p>
              <UploadButton label="Choose images" />
            </>
          )}
        </div>
      ) : (
        <ul className="grid" aria-label="Items, newest first" aria-busy={!state.loaded}>
          {state.items.map((item) => (
            <ItemCard key={item.id} item={item} retrying={retrying.has(item.id)} onRetry={() => void retry(item.id)} />
          ))}
        </ul>
      )}

      <div ref={sentinel} className="load-more">
        {state.loaded && !done && (
          <button type="button" className="button" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : `Show more (${(state.total - state.items.length).toLocaleString()} left)`}
          </button>
        )}
      </div>
    </div>
  );
}

function ItemCard({ item, retrying, onRetry }: { item: Item; retrying: boolean; onRetry: () => void }) {
  // The live analysis's headline (what the image is about), else what is happening to it.
  const title =
    item.headline ?? (item.status === 'failed' ? 'Could not be read' : isUnfinished(item.status) ? 'Reading…' : item.original_filename);
  return (
    <li className="card" data-item-id={item.id} data-status={item.status}>
      <Link to={itemPath(item.id)} className="card-link">
        <span className="card-thumb">
          {item.thumbnail_url ? (
            <ApiImage path={item.thumbnail_url} alt="" width={256} height={256} className="thumb" />
          ) : (
            <span className="thumb thumb-pending" aria-hidden="true" />
          )}
        </span>
        <span className="card-body">
          <span className="card-title">{title}</span>
          {item.status === 'failed' ? (
            // Why it failed, in the card (cut to one line; the whole of it on hover and on the item page).
            <span className="card-meta card-error" title={item.error ?? undefined}>
              {item.error ?? 'unknown error'}
            </span>
          ) : (
            <span className="card-meta">
              {item.category && <span className="card-category">{item.category}</span>}
              {item.category && ' · '}
              {formatDate(item.created_at)}
            </span>
          )}
        </span>
      </Link>
      {item.status !== 'ready' && (
        <span className="card-status">
          <StatusBadge status={item.status} />
        </span>
      )}
      {item.status === 'failed' && (
        <div className="card-actions">
          <button
            type="button"
            className="button small"
            onClick={onRetry}
            disabled={retrying}
            aria-label={`Retry ${item.original_filename}`}
          >
            {retrying ? 'Retrying…' : 'Retry'}
          </button>
        </div>
      )}
    </li>
  );
}

/** Used by the item page after a delete: the cached lists must not show it again. */
export function forgetItem(id: string) {
  for (const [k, v] of cache) cache.set(k, { ...v, items: v.items.filter((i) => i.id !== id), total: Math.max(0, v.total - 1) });
}

export const goToLibrary = () => navigate('/');
