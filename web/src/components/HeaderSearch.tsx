import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { api, errorText, ok, type SearchResponse, type SearchResult } from '../api/client';
import { isTextEntry } from '../lib/dom';
import { MIN_QUERY_CHARS, moveHighlight, resultsAnnouncement, resultsHeading, searchPagePath } from '../lib/quick-search';
import { Link, itemPath, navigate, useLocationKey } from '../router';
import { ApiImage } from './ApiImage';

/**
 * The search box in the header of every page (ARIA combobox with a listbox popup):
 *
 * - `/` anywhere (but in a text field) focuses it.
 * - Results as you type: hybrid search 200 ms after the last keystroke, 8 at most; a newer
 *   query aborts the request of an older one, so a slow answer never replaces a newer one.
 * - ↑/↓ highlight a result (aria-activedescendant: focus stays in the box), Enter opens it, or
 *   the full search page when none is highlighted; Escape closes the list.
 * - When nothing matches closely (`match: weak`) the list says the items are only the closest;
 *   when nothing is found (`none`) it says so.
 */
const DEBOUNCE_MS = 200;
const TOP_K = 8;

interface Answer {
  query: string;
  response: SearchResponse;
}

export function HeaderSearch() {
  const id = useId();
  const listId = `${id}-results`;
  const headingId = `${id}-heading`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const box = useRef<HTMLInputElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const query = text.trim();
  const searching = query.length >= MIN_QUERY_CHARS;

  // Results as you type; the cleanup cancels the timer and the request of the query before.
  useEffect(() => {
    if (!searching) {
      setAnswer(null);
      setLoading(false);
      setError(null);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    const timer = setTimeout(() => {
      ok(api().POST('/search', { body: searchBody(query), signal: controller.signal })).then(
        (response) => {
          if (controller.signal.aborted) return;
          setAnswer({ query, response });
          setActive(-1);
          setError(null);
          setLoading(false);
        },
        (err: unknown) => {
          if (controller.signal.aborted) return;
          setError(errorText(err));
          setLoading(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, searching]);

  // `/` focuses the box, unless the key goes into a text field (or a dialog is open).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || e.isComposing) return;
      if (isTextEntry(e.target) || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      box.current?.focus();
      box.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // Another page: the list closes.
  const location = useLocationKey();
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on purpose when the location changes
  useEffect(() => {
    setOpen(false);
    setActive(-1);
  }, [location]);

  const results = answer?.response.results ?? [];
  const match = answer?.response.match;
  const popup = open && searching && (answer !== null || error !== null || loading);
  const listShown = popup && !error && results.length > 0;
  const heading = answer ? resultsHeading(results.length ? match : 'none') : null;

  useEffect(() => {
    if (active >= 0) document.getElementById(`${id}-option-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, id]);

  const leave = () => {
    setOpen(false);
    setActive(-1);
    setText('');
    // Focus returns to the page, so the new page's heading takes it (App.tsx).
    box.current?.blur();
  };
  const openResult = (r: SearchResult) => {
    leave();
    navigate(itemPath(r.item_id));
  };
  const openSearchPage = () => {
    leave();
    navigate(searchPagePath(query));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (!results.length) return;
        e.preventDefault();
        setOpen(true);
        setActive((a) => moveHighlight(listShown ? a : -1, e.key === 'ArrowDown' ? 1 : -1, results.length));
        return;
      }
      case 'Enter': {
        e.preventDefault();
        const chosen = listShown && active >= 0 ? results[active] : undefined;
        if (chosen) openResult(chosen);
        else if (query) openSearchPage();
        return;
      }
      case 'Escape': {
        // The first Escape closes the list; the next one (the browser's own) clears the box.
        if (!popup) return;
        e.preventDefault();
        setOpen(false);
        setActive(-1);
        return;
      }
    }
  };

  // Focus leaving the box closes the list, unless it goes to the popup's link.
  const onBlur = (e: FocusEvent) => {
    if (!wrapper.current?.contains(e.relatedTarget as Node | null)) {
      setOpen(false);
      setActive(-1);
    }
  };

  return (
    <div className="header-search" ref={wrapper}>
      <label htmlFor={`${id}-input`} className="visually-hidden">
        Quick search
      </label>
      <svg className="header-search-icon" aria-hidden="true" width="16" height="16" viewBox="0 0 16 16">
        <path
          d="M7 1.5a5.5 5.5 0 0 1 4.4 8.8l3.2 3.2-1.1 1.1-3.2-3.2A5.5 5.5 0 1 1 7 1.5Zm0 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8Z"
          fill="currentColor"
        />
      </svg>
      <input
        ref={box}
        id={`${id}-input`}
        type="search"
        role="combobox"
        className="header-search-input"
        placeholder="Search"
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="search"
        aria-keyshortcuts="/"
        aria-autocomplete="list"
        aria-expanded={listShown}
        aria-controls={listId}
        aria-activedescendant={listShown && active >= 0 ? optionId(active) : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={onBlur}
        onKeyDown={onKeyDown}
      />
      <span className="header-search-key" aria-hidden="true">
        /
      </span>
      <span className="visually-hidden" role="status">
        {popup && answer && !loading ? resultsAnnouncement(match, results.length) : ''}
      </span>
      <div className="header-search-popup" hidden={!popup} aria-busy={loading}>
        {error ? (
          <p className="header-search-note error">Search failed: {error}</p>
        ) : !answer ? (
          <p className="header-search-note">Searching…</p>
        ) : heading ? (
          <p className="header-search-note" id={headingId}>
            {heading}
          </p>
        ) : null}
        <div
          id={listId}
          role="listbox"
          className="header-search-list"
          hidden={!listShown}
          aria-label={heading ? undefined : `Results for ${answer?.query ?? query}`}
          aria-labelledby={heading ? headingId : undefined}
          // A click on an option must not take focus from the box (the list would close first).
          onMouseDown={(e) => e.preventDefault()}
        >
          {results.map((r, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox has the keys (↑/↓ and Enter); options are clicked or highlighted
            <div
              key={r.item_id}
              id={optionId(i)}
              role="option"
              // Focus stays in the box (aria-activedescendant); -1 only makes the option focusable by script.
              tabIndex={-1}
              aria-selected={i === active}
              className="header-search-option"
              data-match={r.match}
              onClick={() => openResult(r)}
              onMouseMove={() => i !== active && setActive(i)}
            >
              <span className="header-search-thumb">
                {r.thumbnail_url ? <ApiImage path={r.thumbnail_url} alt="" width={40} height={40} className="thumb" eager /> : null}
              </span>
              <span className="header-search-text">
                <span className="header-search-headline">{r.headline || 'Untitled'}</span>
                <span className="header-search-category">{r.category || 'Not yet read'}</span>
              </span>
            </div>
          ))}
        </div>
        {searching && (
          <Link to={searchPagePath(query)} className="header-search-all" onClick={() => leave()}>
            All results for “{query}”
          </Link>
        )}
      </div>
    </div>
  );
}

const searchBody = (query: string) => ({
  query,
  search_type: 'hybrid' as const,
  top_k: TOP_K,
  include_answer: false,
  min_match: 'weak' as const,
});
