import { useCallback, useMemo, useRef, useState } from 'react';

/**
 * The grid's selection: a set of ids, toggled one at a time or, with Shift, as the range from the
 * last one toggled (every item in between takes the new state). Ids that leave the list (deleted,
 * filtered out) drop out of `selectedIds`, which is in the order of the list.
 */
export function useSelection(ids: string[]) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const anchor = useRef<string | null>(null);
  const idsRef = useRef(ids);
  idsRef.current = ids;

  const toggle = useCallback((id: string, checked: boolean, range: boolean) => {
    const list = idsRef.current;
    const from = anchor.current ? list.indexOf(anchor.current) : -1;
    const to = list.indexOf(id);
    const span = range && from >= 0 && to >= 0 ? list.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
    setSelected((prev) => {
      const next = new Set(prev);
      for (const x of span) {
        if (checked) next.add(x);
        else next.delete(x);
      }
      return next;
    });
    anchor.current = id;
  }, []);

  const selectAll = useCallback(() => setSelected(new Set(idsRef.current)), []);
  const clear = useCallback(() => setSelected(new Set()), []);
  const remove = useCallback((gone: Iterable<string>) => {
    const drop = new Set(gone);
    setSelected((prev) => new Set([...prev].filter((x) => !drop.has(x))));
  }, []);

  const selectedIds = useMemo(() => ids.filter((id) => selected.has(id)), [ids, selected]);
  return { selected, selectedIds, toggle, selectAll, clear, remove, anchor };
}
