import { Link, libraryPath } from '../../router';

/**
 * The category filter: "All" and one chip per category (with its count once known). The chips
 * keep the date range; on small screens they are one row that scrolls sideways.
 */
export function CategoryChips({
  names,
  current,
  counts,
  from,
  to,
}: {
  names: string[];
  current: string | null;
  counts: Record<string, number> | null;
  from: string | null;
  to: string | null;
}) {
  return (
    <nav className="chips" aria-label="Filter by category">
      <Link to={libraryPath({ from, to })} className="chip" aria-current={!current ? 'page' : undefined}>
        All
      </Link>
      {names.map((c) => (
        <Link key={c} to={libraryPath({ category: c, from, to })} className="chip" aria-current={current === c ? 'page' : undefined}>
          {c}
          {counts?.[c] !== undefined && <span className="chip-count">{counts[c]}</span>}
        </Link>
      ))}
    </nav>
  );
}
