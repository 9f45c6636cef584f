import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import { api, apiUrl, errorText, needsToken, ok, type Analysis, type AnalyzeRequest, type ItemDetail } from '../api/client';
import { ApiImage } from '../components/ApiImage';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { StatusBadge } from '../components/StatusBadge';
import { formatBytes, formatDateTime, isUnfinished } from '../lib/format';
import { forgetItem, neighboursOf } from '../lib/library-list';
import { Link, libraryPath, navigate } from '../router';
import { ItemFacts } from './item/ItemFacts';
import { ItemNav } from './item/ItemNav';
import { SimilarItems } from './item/SimilarItems';
import '../styles/pages.css';

const ZoomDialog = lazy(() => import('./item/ZoomDialog').then((m) => ({ default: m.ZoomDialog })));

/**
 * One item: the image (zoomable, full screen) and everything the vision model read from it (its
 * category, places, hashtags and subcategories link to the library and to searches), its analysis
 * versions, re-analysis (with a provider choice when several are configured), delete, previous and
 * next through the library list it was opened from (← →), and the items most like it.
 */
const POLL_MS = 1500;
const PROVIDER_NAMES: Record<string, string> = {
  local: 'Local (offline OCR)',
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  bedrock: 'Amazon Bedrock',
};

export function ItemView({
  id,
  visionProviders,
  onDeleted,
}: {
  id: string;
  visionProviders: string[];
  onDeleted: (message: string) => void;
}) {
  const [item, setItem] = useState<ItemDetail | null>(null);
  const [versions, setVersions] = useState<Analysis[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [provider, setProvider] = useState<string>(visionProviders[0] ?? '');
  const [reanalyzing, setReanalyzing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const [zooming, setZooming] = useState(false);
  const zoomTrigger = useRef<HTMLButtonElement>(null);

  const loadVersions = useCallback(async () => {
    const r = await ok(api().GET('/items/{id}/analyses', { params: { path: { id } } }));
    setVersions(r.analyses.filter((a): a is Analysis => a !== null));
  }, [id]);

  const load = useCallback(async () => {
    const detail = (await ok(api().GET('/items/{id}', { params: { path: { id } } }))) as ItemDetail;
    setItem(detail);
    return detail;
  }, [id]);

  useEffect(() => {
    let live = true;
    setItem(null);
    setVersions([]);
    setSelected(null);
    setError(null);
    load().then(
      (d) => live && d.analysis && void loadVersions().catch(() => {}),
      (err) => live && setError({ status: (err as { status?: number }).status ?? 0, message: errorText(err) }),
    );
    return () => {
      live = false;
    };
  }, [load, loadVersions]);

  // Follow the pipeline until the item is ready or failed.
  const unfinished = !!item && isUnfinished(item.status);
  useEffect(() => {
    if (!unfinished) return;
    const timer = setInterval(() => {
      load().then(
        (d) => !isUnfinished(d.status) && void loadVersions().catch(() => {}),
        () => {},
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [unfinished, load, loadVersions]);

  if (error) {
    return (
      <div className="page">
        <ItemNav id={id} />
        <h1 tabIndex={-1}>{error.status === 404 ? 'Item not found' : 'Could not load the item'}</h1>
        <p className="notice error" role="alert">
          {error.status === 404 ? 'It may have been deleted.' : error.message}
        </p>
      </div>
    );
  }
  if (!item) {
    return (
      <div className="page" aria-busy="true">
        {/* Previous/next (and their keys) work while an item loads: ← ← goes back two. */}
        <ItemNav id={id} />
        <h1 tabIndex={-1} className="visually-hidden">
          Loading item
        </h1>
        <p className="muted">Loading…</p>
      </div>
    );
  }

  const analysis = (selected ? versions.find((v) => v.id === selected) : null) ?? item.analysis;
  const raw = analysis?.raw;
  const canReanalyze = !!item.thumbnail_url && item.status !== 'uploaded' && item.status !== 'processing';

  const reanalyze = async () => {
    setReanalyzing(true);
    setActionError(null);
    try {
      const body = {
        force_reanalyze: true,
        ...(visionProviders.length > 1 && provider ? { provider: provider as AnalyzeRequest['provider'] } : {}),
      };
      const fresh = await ok(api().POST('/items/{id}/analyze', { params: { path: { id } }, body }));
      await Promise.all([load(), loadVersions()]);
      setSelected(fresh?.id ?? null);
    } catch (err) {
      setActionError(`Re-analysis failed: ${errorText(err)}`);
    } finally {
      setReanalyzing(false);
    }
  };

  const retry = async () => {
    setRetrying(true);
    setActionError(null);
    try {
      await ok(api().POST('/items/{id}/retry', { params: { path: { id } } }));
      await load();
    } catch (err) {
      setActionError(errorText(err));
    } finally {
      setRetrying(false);
    }
  };

  const remove = async () => {
    setDeleting(true);
    try {
      await ok(api().DELETE('/items/{id}', { params: { path: { id } } }));
      // Back to the library list it was opened from (its filters kept).
      const { listPath } = neighboursOf(id);
      forgetItem(id);
      setConfirming(false);
      onDeleted(`Deleted ${analysis?.headline ?? item.original_filename}.`);
      navigate(listPath);
    } catch (err) {
      setDeleting(false);
      setConfirming(false);
      setActionError(`Could not delete: ${errorText(err)}`);
    }
  };

  const w = item.width ?? 800;
  const h = item.height ?? 600;
  const imageAlt = analysis?.headline ? `Image: ${analysis.headline}` : `Image ${item.original_filename}`;
  const closeZoom = () => {
    setZooming(false);
    requestAnimationFrame(() => zoomTrigger.current?.focus());
  };

  return (
    <article className="page item-page" aria-labelledby="item-title">
      <ItemNav id={id} />
      <div className="item-layout">
        <figure className="item-figure">
          {item.thumbnail_url || item.status !== 'uploaded' ? (
            <button
              type="button"
              className="zoom-trigger"
              ref={zoomTrigger}
              onClick={() => setZooming(true)}
              aria-haspopup="dialog"
              aria-label={`Enlarge image: ${analysis?.headline ?? item.original_filename}`}
            >
              <ApiImage path={item.image_url} alt={imageAlt} width={w} height={h} className="item-image" eager />
            </button>
          ) : (
            <span className="thumb-pending item-image" style={{ aspectRatio: `${w} / ${h}` }} aria-hidden="true" />
          )}
          <figcaption className="muted">
            {item.original_filename} · {formatBytes(item.file_size)}
            {item.width && item.height ? ` · ${item.width}×${item.height}` : ''}
            {!needsToken() && (
              <>
                {' · '}
                <a href={apiUrl(item.image_url)} target="_blank" rel="noreferrer">
                  Open original
                </a>
              </>
            )}
          </figcaption>
        </figure>

        <div className="item-details">
          <div className="item-heading">
            {analysis?.category && (
              <Link to={libraryPath({ category: analysis.category })} className="category-pill category-link" title="Show this category">
                {analysis.category}
              </Link>
            )}
            {item.status !== 'ready' && <StatusBadge status={item.status} />}
          </div>
          <h1 id="item-title" tabIndex={-1}>
            {analysis?.headline ?? item.original_filename}
          </h1>
          {analysis?.summary && <p className="summary">{analysis.summary}</p>}

          {item.status === 'failed' && (
            <div className="notice error" role="alert">
              <p>
                Processing failed{item.failed_step ? ` at ${item.failed_step.replace('_', ' ')}` : ''}: {item.error ?? 'unknown error'}
              </p>
              <button type="button" className="button" onClick={() => void retry()} disabled={retrying}>
                {retrying ? 'Retrying…' : 'Retry'}
              </button>
            </div>
          )}
          {isUnfinished(item.status) && !analysis && (
            <p className="notice" role="status">
              The image is being read. This page updates by itself.
            </p>
          )}

          {analysis && <ItemFacts analysis={analysis} />}

          {raw && raw.image_details.extracted_text.length > 0 && (
            <section className="extracted" aria-labelledby="extracted-title">
              <h2 id="extracted-title">Text in the image</h2>
              <ul className="text-lines">
                {raw.image_details.extracted_text.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            </section>
          )}

          {versions.length > 0 && (
            <section className="versions" aria-labelledby="versions-title">
              <h2 id="versions-title">Analysis versions</h2>
              <ol className="version-list" reversed>
                {versions.map((v) => {
                  const current = (analysis?.id ?? null) === v.id;
                  return (
                    <li key={v.id}>
                      <button
                        type="button"
                        className={`version ${current ? 'current' : ''}`}
                        aria-pressed={current}
                        onClick={() => setSelected(v.id)}
                      >
                        <strong>v{v.version}</strong> {v.provider} · {v.model} · {formatDateTime(v.created_at)}
                        {v.id === item.analysis?.id && <span className="muted"> (live)</span>}
                      </button>
                    </li>
                  );
                })}
              </ol>
            </section>
          )}

          <section className="item-actions" aria-label="Actions">
            {actionError && (
              <p className="notice error" role="alert">
                {actionError}
              </p>
            )}
            <div className="action-row">
              {visionProviders.length > 1 && (
                <label className="inline-field">
                  <span>Provider</span>
                  <select value={provider} onChange={(e) => setProvider(e.target.value)} disabled={reanalyzing}>
                    {visionProviders.map((p) => (
                      <option key={p} value={p}>
                        {PROVIDER_NAMES[p] ?? p}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <button
                type="button"
                className="button"
                onClick={() => void reanalyze()}
                disabled={!canReanalyze || reanalyzing}
                aria-busy={reanalyzing}
              >
                {reanalyzing ? 'Re-analyzing…' : 'Re-analyze'}
              </button>
              <button type="button" className="button danger" onClick={() => setConfirming(true)}>
                Delete…
              </button>
            </div>
            {reanalyzing && (
              <p className="muted" role="status">
                The vision model is reading the image again; this can take a little while.
              </p>
            )}
          </section>
        </div>
      </div>

      <SimilarItems id={id} ready={item.status === 'ready'} />

      {zooming && (
        <Suspense fallback={null}>
          <ZoomDialog
            path={item.image_url}
            alt={imageAlt}
            width={w}
            height={h}
            title={analysis?.headline ?? item.original_filename}
            onClose={closeZoom}
          />
        </Suspense>
      )}

      <ConfirmDialog
        open={confirming}
        title="Delete this item?"
        confirmLabel="Delete"
        busy={deleting}
        busyLabel="Deleting…"
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>“{analysis?.headline ?? item.original_filename}” and every analysis of it will be removed for good, with the original image.</p>
      </ConfirmDialog>
    </article>
  );
}
