import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, errorText, ok, type Item } from '../api/client';
import { DateRange } from '../components/DateRange';
import { plural } from '../lib/format';
import { forgetItems, isFiltered, knownCategories, listKey, updateCachedItem, type ListFilter } from '../lib/library-list';
import { Link, libraryPath, navigate, useRoute } from '../router';
import { CategoryChips } from './library/CategoryChips';
import { ItemCard } from './library/ItemCard';
import { useLibraryList } from './library/useLibraryList';
import { useSelection } from './library/useSelection';
import '../styles/pages.css';

const BulkBar = lazy(() => import('./library/BulkBar').then((m) => ({ default: m.BulkBar })));

/**
 * The library: every item as a thumbnail, newest first, 48 at a time (more load as the end of
 * the grid comes into view, or with the button). Items still in the pipeline show their status
 * and are polled every 1.5 s; failed ones offer a retry. Filter by category and by the day items
 * were saved (?category, ?from, ?to); counts on top. Select items (checkboxes, Shift for a range)
 * to delete, re-analyze or export them together; export the whole collection.
 */
interface Counts {
  ready: number;
  failed: number;
  categories: Record<string, number>;
}

/** Cards in the first render (see `renderAll`). */
const FIRST_RENDER_CARDS = 24;

export function Library({ category }: { category: string | null }) {
  const route = useRoute();
  const from = route.name === 'library' ? route.from : null;
  const to = route.name === 'library' ? route.to : null;
  const filter: ListFilter = useMemo(() => ({ category, from, to }), [category, from, to]);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [retrying, setRetrying] = useState<Set<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportNote, setExportNote] = useState<string | null>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const painted = useRef(false);

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

  const { state, commit, error, setError, loadingMore, loadMore, done } = useLibraryList(filter, refreshCounts);

  const ids = useMemo(() => state.items.map((i) => i.id), [state.items]);
  const selection = useSelection(ids);
  const selecting = bulkOpen || selection.selectedIds.length > 0;
  useEffect(() => {
    if (selection.selectedIds.length > 0) setBulkOpen(true);
  }, [selection.selectedIds.length]);
  // Another filter, another list: the selection does not follow.
  const { clear: clearSelection } = selection;
  const filterKey = listKey(filter);
  useEffect(() => {
    if (filterKey) clearSelection();
  }, [filterKey, clearSelection]);

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

  const filtered = isFiltered(filter);

  // The first render shows a screenful of cards (6 × 4 on a wide desktop); the rest of the page
  // follows in the next task, after that first paint: React's work for the cards nobody sees yet
  // no longer delays the ones they do (bench:web, first grid paint).
  const [renderAll, setRenderAll] = useState(false);
  useEffect(() => {
    if (renderAll || state.items.length <= FIRST_RENDER_CARDS) return;
    const frame = requestAnimationFrame(() => setTimeout(() => setRenderAll(true), 0));
    return () => cancelAnimationFrame(frame);
  }, [renderAll, state.items.length]);
  const shown = renderAll ? state.items : state.items.slice(0, FIRST_RENDER_CARDS);

  // Infinite scroll: load the next page when the end of the grid is near (not while the first
  // render shows only part of the page: the sentinel would look near and fetch a page too early).
  const partial = shown.length < state.items.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new page (items.length) re-observes the sentinel, which may still be in view
  useEffect(() => {
    const el = sentinel.current;
    if (!el || done || partial) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore(), { rootMargin: '800px' });
    io.observe(el);
    return () => io.disconnect();
  }, [done, loadMore, state.items.length, partial]);

  // Time to first grid paint (bench:web reads this mark).
  useEffect(() => {
    if (painted.current || state.items.length === 0) return;
    painted.current = true;
    requestAnimationFrame(() => performance.mark('collections:grid-painted'));
  }, [state.items.length]);

  const retry = useCallback(
    async (id: string) => {
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
    },
    [commit, setError],
  );

  // Bulk actions change the list in place: it keeps its order.
  const removed = useCallback(
    (id: string) => {
      commit((s) => ({ ...s, items: s.items.filter((i) => i.id !== id), total: Math.max(0, s.total - 1) }));
      forgetItems([id]);
      void refreshCounts();
    },
    [commit, refreshCounts],
  );
  const updated = useCallback(
    (item: Item) => {
      commit((s) => ({ ...s, items: s.items.map((i) => (i.id === item.id ? item : i)) }));
      updateCachedItem(item);
    },
    [commit],
  );
  const { clear, anchor } = selection;
  const closeBulk = useCallback(() => {
    clear();
    setBulkOpen(false);
    // Focus goes back to the card last toggled (or the heading) as the bar leaves.
    const at = anchor.current;
    requestAnimationFrame(() =>
      (
        document.querySelector<HTMLElement>(`.grid .card[data-item-id="${CSS.escape(at ?? '')}"] input`) ??
        document.querySelector<HTMLElement>('main h1')
      )?.focus(),
    );
  }, [clear, anchor]);

  // Escape leaves the selection (not while a dialog or a field has the key).
  useEffect(() => {
    if (!selecting) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest('input:not([type=checkbox]), textarea, select, [contenteditable="true"]')) return;
      closeBulk();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selecting, closeBulk]);

  const exportAll = async () => {
    setExporting(true);
    setExportNote('Preparing the export…');
    try {
      const { downloadExport } = await import('../lib/download');
      setExportNote(`Exported the collection to ${await downloadExport()}.`);
    } catch (err) {
      setExportNote(null);
      setError(`The export failed: ${errorText(err)}`);
    } finally {
      setExporting(false);
    }
  };

  const empty = state.loaded && state.total === 0 && !filtered;
  const inProgress = counts ? Math.max(0, (filtered ? 0 : state.total) - counts.ready - counts.failed) : 0;
  const setDates = (range: { from: string | null; to: string | null }) => navigate(libraryPath({ category, ...range }), { replace: true });

  return (
    <div className="page library">
      <div className="page-head">
        <div>
          <h1 tabIndex={-1}>{category ? category : 'Your collection'}</h1>
          <p className="counts" aria-live="polite">
            {state.loaded ? (
              <>
                {plural(state.total, 'item')}
                {!filtered && counts && (
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
        <div className="page-actions">
          {!selecting && state.items.length > 0 && (
            <button type="button" className="button" onClick={() => setBulkOpen(true)}>
              Select…
            </button>
          )}
          <button type="button" className="button" onClick={() => void exportAll()} disabled={exporting || !state.loaded || empty}>
            {exporting ? 'Exporting…' : 'Export all'}
          </button>
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {exportNote}
      </p>

      <div className="library-filters">
        {categoryNames.length > 0 && (
          <CategoryChips names={categoryNames} current={category} counts={counts?.categories ?? null} from={from} to={to} />
        )}
        <DateRange from={from} to={to} onChange={setDates} className="library-dates" />
      </div>

      {selecting && (
        <Suspense fallback={null}>
          <BulkBar
            items={state.items.filter((i) => selection.selected.has(i.id))}
            loaded={state.items.length}
            onSelectAll={selection.selectAll}
            onClear={closeBulk}
            onDeleted={removed}
            onUpdated={updated}
          />
        </Suspense>
      )}

      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}

      {state.loaded && state.items.length === 0 && !error ? (
        <div className="empty">
          {filtered ? (
            <>
              <h2>
                {category ? `Nothing in ${category}` : 'Nothing saved'}
                {from || to ? ' between these dates' : ''}
              </h2>
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
              <p>Use the Upload button at the top of the page, or paste an image from the clipboard.</p>
            </>
          )}
        </div>
      ) : (
        <ul className={selecting ? 'grid selecting' : 'grid'} aria-label="Items, newest first" aria-busy={!state.loaded}>
          {shown.map((item) => (
            <ItemCard
              key={item.id}
              item={item}
              selected={selection.selected.has(item.id)}
              retrying={retrying.has(item.id)}
              onRetry={retry}
              onToggle={selection.toggle}
            />
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
