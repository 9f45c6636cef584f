import { useEffect, useState } from 'react';
import { loadNextPageOfShownList, neighboursOf } from '../../lib/library-list';
import { Link, itemPath, navigate } from '../../router';
import { cardTitle } from '../library/ItemCard';

/** Whether a key press belongs to a field (or a dialog) rather than to the page. */
export function keyIsForAField(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return true;
  const t = e.target instanceof Element ? e.target : null;
  if (t?.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="slider"]')) return true;
  return !!document.querySelector('dialog[open]');
}

/**
 * Back to the library list the item was opened from, and previous/next through that list (its
 * order, its filters) with the buttons or the ← and → keys. Opened from elsewhere (search, chat,
 * a link), only the way back shows.
 */
export function ItemNav({ id }: { id: string }) {
  const [, setGrown] = useState(0);
  const { previous, next, position, total, listPath } = neighboursOf(id);
  const atLoadedEnd = position !== null && next === null && position < total;

  // At the last item the grid had loaded, the list's next page is fetched so "Next" goes on.
  useEffect(() => {
    if (!atLoadedEnd) return;
    let live = true;
    loadNextPageOfShownList().then(
      (grew) => live && grew && setGrown((n) => n + 1),
      () => {}, // Next stays disabled; the library reports list errors
    );
    return () => {
      live = false;
    };
  }, [atLoadedEnd]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') || keyIsForAField(e)) return;
      const to = e.key === 'ArrowLeft' ? previous : next;
      if (!to) return;
      e.preventDefault();
      navigate(itemPath(to.id));
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [previous, next]);

  return (
    <nav className="item-nav" aria-label="Items">
      <Link to={listPath} className="item-nav-back">
        ← Your collection
      </Link>
      {position !== null && (
        <span className="item-nav-steps">
          {previous ? (
            <Link to={itemPath(previous.id)} className="button small" rel="prev" aria-label={`Previous: ${cardTitle(previous)}`}>
              ← Previous
            </Link>
          ) : (
            <button type="button" className="button small" disabled>
              ← Previous
            </button>
          )}
          <span className="muted item-nav-position">
            {position.toLocaleString()} of {total.toLocaleString()}
          </span>
          {next ? (
            <Link to={itemPath(next.id)} className="button small" rel="next" aria-label={`Next: ${cardTitle(next)}`}>
              Next →
            </Link>
          ) : (
            <button type="button" className="button small" disabled>
              Next →
            </button>
          )}
        </span>
      )}
    </nav>
  );
}
