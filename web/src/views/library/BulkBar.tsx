import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { api, errorText, ok, type Item } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { downloadExport } from '../../lib/download';
import { plural } from '../../lib/format';
import { cardTitle } from './ItemCard';
import '../../styles/pages.css';

/**
 * The action bar over a selection (its own chunk: the library's first paint does not need it).
 * Delete (after confirming) and Re-analyze go one item at a time, with progress, and say which
 * items failed and why; Export downloads a zip of the selected items.
 */
type Op = 'delete' | 'reanalyze' | 'export';
const PAST: Record<Op, string> = { delete: 'deleted', reanalyze: 're-analyzed', export: 'exported' };
interface Failure {
  id: string;
  title: string;
  message: string;
}

export function BulkBar({
  items,
  loaded,
  onSelectAll,
  onClear,
  onDeleted,
  onUpdated,
}: {
  /** The selected items, in the order of the grid. */
  items: Item[];
  /** How many items the grid has loaded ("Select all" selects those). */
  loaded: number;
  onSelectAll: () => void;
  onClear: () => void;
  onDeleted: (id: string) => void;
  onUpdated: (item: Item) => void;
}) {
  const [busy, setBusy] = useState<Op | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [failures, setFailures] = useState<{ op: Op; list: Failure[] } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const countId = useId();
  const bar = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const n = items.length;

  // Opened by "Select…" (which goes away): focus starts in the bar; opened by a checkbox, it stays there.
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) bar.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, []);

  // A button that was focused may be gone or disabled once the work is done: keep focus in the bar.
  const keepFocus = () =>
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (!active || active === document.body || !bar.current?.contains(active)) closeButton.current?.focus();
    });

  /** Runs `step` for each item in turn; returns how many succeeded. */
  const each = async (op: Op, list: Item[], step: (item: Item) => Promise<void>) => {
    setBusy(op);
    setFailures(null);
    setMessage(null);
    setProgress({ done: 0, total: list.length });
    const failed: Failure[] = [];
    for (const [k, item] of list.entries()) {
      try {
        await step(item);
      } catch (err) {
        failed.push({ id: item.id, title: cardTitle(item), message: errorText(err) });
        setFailures({ op, list: [...failed] });
      }
      setProgress({ done: k + 1, total: list.length });
    }
    setBusy(null);
    setProgress(null);
    keepFocus();
    return list.length - failed.length;
  };

  const remove = async () => {
    setConfirming(false);
    const list = items;
    const done = await each('delete', list, async (item) => {
      await ok(api().DELETE('/items/{id}', { params: { path: { id: item.id } } }));
      onDeleted(item.id);
    });
    setMessage(`Deleted ${plural(done, 'item')}.`);
  };

  const reanalyze = async () => {
    const list = items;
    const done = await each('reanalyze', list, async (item) => {
      const analysis = await ok(api().POST('/items/{id}/analyze', { params: { path: { id: item.id } }, body: { force_reanalyze: true } }));
      if (analysis) onUpdated({ ...item, headline: analysis.headline, category: analysis.category });
    });
    setMessage(`Re-analyzed ${plural(done, 'item')}.`);
  };

  const exportSelected = async () => {
    setBusy('export');
    setFailures(null);
    setMessage(null);
    try {
      const name = await downloadExport(items.map((i) => i.id));
      setMessage(`Exported ${plural(items.length, 'item')} to ${name}.`);
    } catch (err) {
      setMessage(`The export failed: ${errorText(err)}`);
    } finally {
      setBusy(null);
      keepFocus();
    }
  };

  // A toolbar: the arrow keys move between its buttons (Tab also reaches each one).
  const arrows = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const buttons = [...(bar.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    e.preventDefault();
    buttons[(at + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
  };

  const verb = busy === 'delete' ? 'Deleting' : busy === 'reanalyze' ? 'Re-analyzing' : 'Exporting';
  return (
    <div className="bulk-bar" role="toolbar" aria-labelledby={countId} ref={bar} onKeyDown={arrows}>
      <div className="bulk-row">
        <span id={countId} className="bulk-count" role="status">
          {n.toLocaleString()} selected
        </span>
        <button type="button" className="button small ghost" onClick={onSelectAll} disabled={!!busy || n >= loaded}>
          Select all {loaded.toLocaleString()}
        </button>
        <button type="button" className="button small ghost" onClick={onClear} disabled={!!busy} ref={closeButton}>
          {n > 0 ? 'Clear' : 'Done'}
        </button>
        <span className="bulk-spacer" />
        <button type="button" className="button small" onClick={() => void exportSelected()} disabled={!!busy || n === 0}>
          {busy === 'export' ? 'Exporting…' : 'Export'}
        </button>
        <button type="button" className="button small" onClick={() => void reanalyze()} disabled={!!busy || n === 0}>
          {busy === 'reanalyze' ? 'Re-analyzing…' : 'Re-analyze'}
        </button>
        <button type="button" className="button small danger" onClick={() => setConfirming(true)} disabled={!!busy || n === 0}>
          {busy === 'delete' ? 'Deleting…' : 'Delete…'}
        </button>
      </div>
      <div className="bulk-status" aria-live="polite">
        {progress && (
          <p className="bulk-progress">
            <progress value={progress.done} max={progress.total} aria-label={`${verb} items`} /> {verb} {progress.done} of {progress.total}…
          </p>
        )}
        {message && <p className="bulk-message">{message}</p>}
      </div>
      {failures && (
        <div className="notice error bulk-failures" role="alert">
          <p>
            {plural(failures.list.length, 'item')} could not be {PAST[failures.op]}:
          </p>
          <ul>
            {failures.list.map((f) => (
              <li key={f.id} data-item-id={f.id}>
                <strong>{f.title}</strong>: {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Delete ${plural(n, 'item')}?`}
        confirmLabel={`Delete ${plural(n, 'item')}`}
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>The selected items, every analysis of them and their original images will be removed for good.</p>
      </ConfirmDialog>
    </div>
  );
}
