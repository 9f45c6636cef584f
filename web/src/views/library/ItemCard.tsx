import { memo, type MouseEvent } from 'react';
import type { Item } from '../../api/client';
import { ApiImage } from '../../components/ApiImage';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate, isUnfinished } from '../../lib/format';
import { Link, itemPath, libraryPath } from '../../router';

/** What a card is called: the live analysis's headline, else what is happening to the item. */
export const cardTitle = (item: Item) =>
  item.headline ?? (item.status === 'failed' ? 'Could not be read' : isUnfinished(item.status) ? 'Reading…' : item.original_filename);

/**
 * One item of the grid. The whole card opens the item (the title link stretches over it); the
 * category links to its filter, the checkbox (shown on hover and focus, and always while anything
 * is selected) selects it; Shift+click selects the range from the last one toggled.
 */
export const ItemCard = memo(function ItemCard({
  item,
  selected,
  retrying,
  onRetry,
  onToggle,
}: {
  item: Item;
  selected: boolean;
  retrying: boolean;
  onRetry: (id: string) => void;
  onToggle: (id: string, checked: boolean, range: boolean) => void;
}) {
  const title = cardTitle(item);
  const toggle = (e: MouseEvent<HTMLInputElement>) => onToggle(item.id, e.currentTarget.checked, e.shiftKey);
  return (
    <li className={selected ? 'card selected' : 'card'} data-item-id={item.id} data-status={item.status}>
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
        </span>
      </Link>
      {item.status === 'failed' ? (
        // Why it failed, in the card (cut to one line; the whole of it on hover and on the item page).
        <div className="card-meta card-error" title={item.error ?? undefined}>
          {item.error ?? 'unknown error'}
        </div>
      ) : (
        <div className="card-meta">
          {item.category && (
            <>
              <Link to={libraryPath({ category: item.category })} className="card-category">
                {item.category}
              </Link>
              {' · '}
            </>
          )}
          {formatDate(item.created_at)}
        </div>
      )}
      <label className="card-select">
        <input type="checkbox" checked={selected} onClick={toggle} onChange={() => {}} aria-label={`Select ${title}`} />
      </label>
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
            onClick={() => onRetry(item.id)}
            disabled={retrying}
            aria-label={`Retry ${item.original_filename}`}
          >
            {retrying ? 'Retrying…' : 'Retry'}
          </button>
        </div>
      )}
    </li>
  );
});
