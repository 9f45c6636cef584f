import { useEffect, useRef, useState } from 'react';
import { apiUrl, authHeaders, needsToken } from '../api/client';

/**
 * An image served by the API (`/items/{id}/thumbnail`, `/image`). Without sign-in it is a plain
 * lazy `<img>`; with a bearer token (Cognito) the bytes are fetched with it once the image is
 * near the viewport and shown from a blob URL (kept in a small cache for back-and-forth).
 */
interface Props {
  path: string;
  alt: string;
  width: number;
  height: number;
  className?: string;
  eager?: boolean;
}

const blobCache = new Map<string, Promise<string>>();
const CACHE_LIMIT = 400;

function blobUrl(path: string): Promise<string> {
  let pending = blobCache.get(path);
  if (!pending) {
    pending = (async () => {
      const res = await fetch(apiUrl(path), { headers: await authHeaders() });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return URL.createObjectURL(await res.blob());
    })();
    pending.catch(() => blobCache.delete(path));
    blobCache.set(path, pending);
    if (blobCache.size > CACHE_LIMIT) {
      const [oldest, url] = blobCache.entries().next().value as [string, Promise<string>];
      blobCache.delete(oldest);
      void url.then(URL.revokeObjectURL, () => {});
    }
  }
  return pending;
}

export function ApiImage({ path, alt, width, height, className, eager }: Props) {
  if (!needsToken()) {
    return (
      <img
        src={apiUrl(path)}
        alt={alt}
        width={width}
        height={height}
        className={className}
        loading={eager ? 'eager' : 'lazy'}
        decoding="async"
      />
    );
  }
  return <TokenImage path={path} alt={alt} width={width} height={height} className={className} eager={eager} />;
}

function TokenImage({ path, alt, width, height, className, eager }: Props) {
  const ref = useRef<HTMLSpanElement>(null);
  const [src, setSrc] = useState<string | null>(null);
  const [visible, setVisible] = useState(!!eager);

  useEffect(() => {
    if (visible || !ref.current) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true), { rootMargin: '400px' });
    io.observe(ref.current);
    return () => io.disconnect();
  }, [visible]);

  useEffect(() => {
    if (!visible) return;
    let live = true;
    blobUrl(path).then(
      (u) => live && setSrc(u),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [visible, path]);

  if (!src)
    return (
      <span
        ref={ref}
        className={`img-placeholder ${className ?? ''}`}
        style={{ aspectRatio: `${width} / ${height}` }}
        role="img"
        aria-label={alt || undefined}
        aria-hidden={alt ? undefined : true}
      />
    );
  return <img src={src} alt={alt} width={width} height={height} className={className} decoding="async" />;
}
