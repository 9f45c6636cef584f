import { useEffect, useState } from 'react';
import { api, ok, type SimilarItem } from '../../api/client';
import { ApiImage } from '../../components/ApiImage';
import { Link, itemPath } from '../../router';
import { cardTitle } from '../library/ItemCard';

/**
 * The item's nearest neighbours by meaning (GET /items/{id}/similar?limit=8), as small thumbnails
 * that open them. Nothing shows while there are none (an item not yet indexed has none).
 */
export function SimilarItems({ id, ready }: { id: string; ready: boolean }) {
  const [items, setItems] = useState<SimilarItem[]>([]);

  useEffect(() => {
    if (!ready) return;
    let live = true;
    ok(api().GET('/items/{id}/similar', { params: { path: { id }, query: { limit: 8 } } })).then(
      (r) => live && setItems(r.items.filter((i) => i.id !== id)),
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, [id, ready]);

  if (items.length === 0) return null;
  return (
    <section className="similar" aria-labelledby="similar-title">
      <h2 id="similar-title">Similar items</h2>
      <ul className="similar-grid">
        {items.map((item) => (
          <li key={item.id} data-item-id={item.id}>
            <Link to={itemPath(item.id)} className="similar-link" title={`${Math.round(item.similarity * 100)}% similar`}>
              <span className="similar-thumb">
                {item.thumbnail_url ? (
                  <ApiImage path={item.thumbnail_url} alt="" width={128} height={128} className="thumb" />
                ) : (
                  <span className="thumb thumb-pending" aria-hidden="true" />
                )}
              </span>
              <span className="similar-title">{cardTitle(item)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
