import { useEffect, useId, useState } from 'react';
import { api, ok } from '../../api/client';
import { DateRange } from '../../components/DateRange';

export interface SearchFilter {
  category: string | null;
  from: string | null;
  to: string | null;
}

let categoriesCache: Promise<string[]> | null = null;
/** The collection's categories, alphabetically (GET /categories, once per page load, again after a failure). */
const categoryNames = () =>
  (categoriesCache ??= ok(api().GET('/categories'))
    .then((f) => f.categories.map((c) => c.category).sort((a, b) => a.localeCompare(b)))
    .catch((err) => {
      categoriesCache = null;
      throw err;
    }));

/** A category to search in, and the days the items were saved between. */
export function SearchFilters({ value, onChange }: { value: SearchFilter; onChange: (next: SearchFilter) => void }) {
  const [names, setNames] = useState<string[]>([]);
  const selectId = useId();
  useEffect(() => {
    categoryNames().then(setNames, () => {});
  }, []);
  // The category in the URL is an option even before (or without) the list.
  const options = value.category && !names.includes(value.category) ? [value.category, ...names] : names;

  return (
    <div className="search-filters">
      <span className="search-filter">
        <label htmlFor={selectId} className="date-label">
          Category
        </label>
        <select
          id={selectId}
          className="filter-select"
          value={value.category ?? ''}
          onChange={(e) => onChange({ ...value, category: e.target.value || null })}
        >
          <option value="">Any category</option>
          {options.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </span>
      <DateRange from={value.from} to={value.to} onChange={(range) => onChange({ ...value, ...range })} />
    </div>
  );
}
