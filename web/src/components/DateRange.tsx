import { useEffect, useId, useState } from 'react';

/**
 * "Date saved": between two days (inputs type=date, YYYY-MM-DD, both ends inclusive). A day is applied
 * once it is a whole date (typing a year does not apply 0002, 0020, 0202 on the way to 2026), and
 * the two ends are put in order.
 */
export function DateRange({
  from,
  to,
  onChange,
  className,
}: {
  from: string | null;
  to: string | null;
  onChange: (range: { from: string | null; to: string | null }) => void;
  className?: string;
}) {
  const [draftFrom, setDraftFrom] = useState(from ?? '');
  const [draftTo, setDraftTo] = useState(to ?? '');
  const id = useId();
  useEffect(() => setDraftFrom(from ?? ''), [from]);
  useEffect(() => setDraftTo(to ?? ''), [to]);

  const whole = (v: string) => v === '' || /^[1-9]\d{3}-\d{2}-\d{2}$/.test(v);
  const apply = (f: string, t: string) => {
    if (!whole(f) || !whole(t)) return;
    const [a, b] = f && t && f > t ? [t, f] : [f, t];
    if ((a || null) !== from || (b || null) !== to) onChange({ from: a || null, to: b || null });
  };

  return (
    <fieldset className={`date-range ${className ?? ''}`}>
      <legend className="visually-hidden">Date saved</legend>
      <label htmlFor={`${id}-from`} className="date-label">
        From
      </label>
      <input
        id={`${id}-from`}
        type="date"
        className="date-input"
        value={draftFrom}
        max={draftTo || undefined}
        onChange={(e) => {
          setDraftFrom(e.target.value);
          apply(e.target.value, draftTo);
        }}
      />
      <label htmlFor={`${id}-to`} className="date-label">
        To
      </label>
      <input
        id={`${id}-to`}
        type="date"
        className="date-input"
        value={draftTo}
        min={draftFrom || undefined}
        onChange={(e) => {
          setDraftTo(e.target.value);
          apply(draftFrom, e.target.value);
        }}
      />
      {(from || to) && (
        <button type="button" className="button small ghost" onClick={() => onChange({ from: null, to: null })}>
          Any date
        </button>
      )}
    </fieldset>
  );
}
