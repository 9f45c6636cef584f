import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { ApiImage } from '../../components/ApiImage';
import '../../styles/pages.css';

/**
 * The original, full screen (a modal <dialog>; its own chunk): zoom with the buttons, the + and -
 * keys or the wheel (towards the pointer), pan by dragging or with the arrow keys, 0 fits it again.
 * Escape or Close closes it, and focus returns to what opened it (the caller's `onClose`).
 */
const MIN = 1;
const MAX = 8;
const STEP = 1.25;

interface View {
  scale: number;
  x: number;
  y: number;
}
const FIT: View = { scale: 1, x: 0, y: 0 };

/** What a key does in the dialog: zoom in or out, fit, or move the image by (x, y). */
function keyAction(key: string): 'in' | 'out' | 'fit' | [number, number] | null {
  if (key === '+' || key === '=') return 'in';
  if (key === '-' || key === '_') return 'out';
  if (key === '0') return 'fit';
  const moves: Record<string, [number, number]> = { ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60] };
  return moves[key] ?? null;
}

export function ZoomDialog({
  path,
  alt,
  width,
  height,
  title,
  onClose,
}: {
  path: string;
  alt: string;
  width: number;
  height: number;
  title: string;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const drag = useRef<{ id: number; x: number; y: number } | null>(null);
  const [view, setView] = useState<View>(FIT);
  const titleId = useId();

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  /** Keeps some of the image in the stage however far it is dragged. */
  const clamp = useCallback((v: View): View => {
    if (v.scale <= MIN) return FIT;
    const r = stage.current?.getBoundingClientRect();
    const [w, h] = [r?.width ?? 1000, r?.height ?? 800];
    const [mx, my] = [(w * v.scale) / 2, (h * v.scale) / 2];
    return { scale: v.scale, x: Math.max(-mx, Math.min(mx, v.x)), y: Math.max(-my, Math.min(my, v.y)) };
  }, []);

  /** Zooms by `factor` keeping the point `at` (from the stage's centre) where it is. */
  const zoom = useCallback(
    (factor: number, at = { x: 0, y: 0 }) =>
      setView((v) => {
        const scale = Math.max(MIN, Math.min(MAX, v.scale * factor));
        const k = scale / v.scale;
        return clamp({ scale, x: at.x - (at.x - v.x) * k, y: at.y - (at.y - v.y) * k });
      }),
    [clamp],
  );

  // The wheel zooms (a listener that may prevent the page from scrolling: React's is passive).
  useEffect(() => {
    const el = stage.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoom(Math.exp(-e.deltaY * 0.002), { x: e.clientX - r.left - r.width / 2, y: e.clientY - r.top - r.height / 2 });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoom]);

  const pan = (dx: number, dy: number) => setView((v) => clamp({ ...v, x: v.x + dx, y: v.y + dy }));

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const action = keyAction(e.key);
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    if (action === 'in') zoom(STEP);
    else if (action === 'out') zoom(1 / STEP);
    else if (action === 'fit') setView(FIT);
    else pan(action[0], action[1]);
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    pan(e.clientX - d.x, e.clientY - d.y);
    drag.current = { id: d.id, x: e.clientX, y: e.clientY };
  };
  const endDrag = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.id === e.pointerId) drag.current = null;
  };

  const percent = Math.round(view.scale * 100);
  return (
    <dialog
      ref={dialog}
      className="zoom-dialog"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="zoom-bar">
        <h2 id={titleId} className="zoom-title">
          {title}
        </h2>
        <div className="zoom-controls">
          <button type="button" className="button small" onClick={() => zoom(1 / STEP)} disabled={view.scale <= MIN}>
            Zoom out
          </button>
          <output className="zoom-level" aria-live="polite" aria-label="Zoom level">
            {percent}%
          </output>
          <button type="button" className="button small" onClick={() => zoom(STEP)} disabled={view.scale >= MAX}>
            Zoom in
          </button>
          <button type="button" className="button small" onClick={() => setView(FIT)} disabled={view.scale === MIN}>
            Fit
          </button>
          <button type="button" className="button small primary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dragging is the pointer's way to pan; the keyboard's is the arrow keys and the buttons */}
      <div
        ref={stage}
        className={view.scale > MIN ? 'zoom-stage zoomed' : 'zoom-stage'}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onDoubleClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          if (view.scale > MIN) setView(FIT);
          else zoom(2.5, { x: e.clientX - r.left - r.width / 2, y: e.clientY - r.top - r.height / 2 });
        }}
      >
        <div
          className="zoom-canvas"
          style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}
          data-scale={view.scale}
        >
          <ApiImage path={path} alt={alt} width={width} height={height} className="zoom-image" eager />
        </div>
      </div>
      <p className="zoom-hint muted">+ and − zoom, arrows or dragging move, 0 fits, Escape closes.</p>
    </dialog>
  );
}
