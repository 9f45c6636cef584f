import { useEffect, useState, useSyncExternalStore } from 'react';
import { ApiImage } from '../components/ApiImage';
import { Link, itemPath } from '../router';
import { formatBytes } from '../lib/format';
import { ACCEPT_ATTRIBUTE } from '../lib/files';
import { listenForPastedFiles } from './clipboard';
import { addFiles, clearFinished, subscribeUploads, uploadsSnapshot, type UploadEntry } from './uploads';

export const useUploads = () => useSyncExternalStore(subscribeUploads, uploadsSnapshot);

/** "Upload" button: a real file input (keyboard, screen readers) styled as a button. The header's is the app's only one. */
export function UploadButton({ label = 'Upload', className = 'button primary' }: { label?: string; className?: string }) {
  return (
    <label className={`${className} file-button`}>
      <input
        type="file"
        multiple
        accept={ACCEPT_ATTRIBUTE}
        className="visually-hidden"
        onChange={(e) => {
          if (e.target.files?.length) addFiles(Array.from(e.target.files));
          e.target.value = '';
        }}
      />
      <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16">
        <path d="M8 1.5 3.5 6h3v5h3V6h3L8 1.5ZM2 12.5h12V14H2z" fill="currentColor" />
      </svg>
      <span className="file-button-label">{label}</span>
    </label>
  );
}

/**
 * Files dropped anywhere on the page, or pasted (a screenshot on the clipboard), are uploaded;
 * while files are dragged over the window an overlay says where they go.
 */
export function GlobalDropTarget() {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overHandler = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      if (e.dataTransfer?.files.length) addFiles(Array.from(e.dataTransfer.files));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('drop', drop);
    const stopPaste = listenForPastedFiles(addFiles);
    return () => {
      stopPaste();
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (!over) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div>Drop images to add them to your collection</div>
    </div>
  );
}

const STATUS_TEXT: Record<UploadEntry['status'], string> = {
  queued: 'Waiting',
  uploading: 'Uploading',
  done: 'Uploaded',
  duplicate: 'Already saved',
  rejected: 'Not uploaded',
  failed: 'Failed',
};

export function UploadTray() {
  const entries = useUploads();
  const [collapsed, setCollapsed] = useState(false);
  if (entries.length === 0) return null;
  const running = entries.filter((e) => e.status === 'queued' || e.status === 'uploading').length;
  const problems = entries.filter((e) => e.status === 'rejected' || e.status === 'failed').length;
  const known = entries.filter((e) => e.status === 'duplicate').length;
  const familiar = entries.filter((e) => e.status === 'done' && e.similar?.length).length;
  const done = entries.length - running - problems - known;
  const summary = [
    running ? `Uploading ${running} file${running === 1 ? '' : 's'}…` : '',
    done ? `${done} uploaded` : '',
    known ? `${known} already saved` : '',
    familiar ? `${familiar} look${familiar === 1 ? 's' : ''} familiar` : '',
    problems ? `${problems} not uploaded` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <section className="upload-tray" aria-labelledby="upload-tray-title">
      <header className="upload-tray-header">
        <h2 id="upload-tray-title" className="upload-tray-title">
          Uploads
        </h2>
        <p className="upload-summary" role="status" aria-live="polite">
          {summary}
        </p>
        <button
          type="button"
          className="button small ghost"
          aria-expanded={!collapsed}
          aria-controls="upload-list"
          onClick={() => setCollapsed((c) => !c)}
        >
          {collapsed ? 'Show' : 'Hide'}
        </button>
        {running === 0 && (
          <button type="button" className="button small ghost" onClick={clearFinished}>
            Clear
          </button>
        )}
      </header>
      <ul id="upload-list" className="upload-list" hidden={collapsed}>
        {entries.map((e) => (
          <li key={e.key} className={`upload upload-${e.status}`} data-upload-status={e.status}>
            <div className="upload-line">
              <span className="upload-name" title={e.name}>
                {e.itemId && e.status !== 'failed' ? <Link to={itemPath(e.itemId)}>{e.name}</Link> : e.name}
              </span>
              <span className="upload-size">{formatBytes(e.size)}</span>
            </div>
            {e.status === 'uploading' || e.status === 'queued' ? (
              <progress max={1} value={e.status === 'queued' ? 0 : e.progress} aria-label={`${STATUS_TEXT[e.status]} ${e.name}`} />
            ) : null}
            <div className="upload-state">
              {STATUS_TEXT[e.status]}
              {e.status === 'uploading' ? ` ${Math.round(e.progress * 100)} %` : ''}
              {e.message ? <span className="upload-message">: {e.message}</span> : null}
            </div>
            <Related entry={e} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** An exact duplicate links to the item it already is; a look-alike to the items it resembles. */
function Related({ entry }: { entry: UploadEntry }) {
  if (entry.status === 'duplicate' && entry.itemId) {
    return (
      <p className="upload-related">
        Already in your collection: <Link to={itemPath(entry.itemId)}>{entry.headline || 'open it'}</Link>
      </p>
    );
  }
  if (entry.status !== 'done' || !entry.similar?.length) return null;
  return (
    <div className="upload-related upload-similar">
      <p>Looks like something you already have</p>
      <ul>
        {entry.similar.slice(0, 3).map((s) => (
          <li key={s.id}>
            <Link to={itemPath(s.id)} className="upload-similar-link">
              <span className="upload-similar-thumb" aria-hidden="true">
                {s.thumbnail_url ? <ApiImage path={s.thumbnail_url} alt="" width={32} height={32} className="thumb" eager /> : null}
              </span>
              <span className="upload-similar-name">{s.headline || 'An item in your collection'}</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
