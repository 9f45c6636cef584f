import { useEffect, useState } from 'react';
import { api, ok, type ChatSearchResult, type ItemDetail } from '../../api/client';
import { ApiImage } from '../../components/ApiImage';
import { Link, itemPath } from '../../router';

const detailCache = new Map<string, Promise<ItemDetail | null>>();
const itemDetail = (id: string) => {
  let p = detailCache.get(id);
  if (!p) {
    p = ok(api().GET('/items/{id}', { params: { path: { id } } })).then(
      (d) => d as ItemDetail,
      () => null,
    );
    detailCache.set(id, p);
  }
  return p;
};

export function CitedCard({ n, id, hint }: { n: number; id: string; hint?: ChatSearchResult }) {
  const [detail, setDetail] = useState<{ headline: string | null; category: string | null; thumbnail_url: string | null } | null>(
    hint ? { headline: hint.headline, category: hint.category, thumbnail_url: hint.thumbnail_url } : null,
  );
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (hint) return;
    let live = true;
    void itemDetail(id).then((d) => {
      if (!live) return;
      if (!d) setMissing(true);
      else
        setDetail({
          headline: d.analysis?.headline ?? d.original_filename,
          category: d.analysis?.category ?? d.category,
          thumbnail_url: d.thumbnail_url,
        });
    });
    return () => {
      live = false;
    };
  }, [id, hint]);
  if (missing) return null;
  return (
    <li className="cited-card" data-item-id={id}>
      <Link to={itemPath(id)} className="cited-link">
        <span className="cited-n" aria-hidden="true">
          {n}
        </span>
        {detail?.thumbnail_url ? (
          <ApiImage path={detail.thumbnail_url} alt="" width={64} height={64} className="thumb" />
        ) : (
          <span className="thumb thumb-pending" aria-hidden="true" />
        )}
        <span className="cited-body">
          <span className="cited-headline">{detail?.headline ?? 'Loading…'}</span>
          {detail?.category && <span className="muted small-text">{detail.category}</span>}
        </span>
      </Link>
    </li>
  );
}
