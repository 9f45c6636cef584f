import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, errorText, ok, type SearchConfig, type SearchResponse, type SearchResult, type SearchType } from '../api/client';
import { ApiImage } from '../components/ApiImage';
import { resolveRef, splitCitations } from '../lib/citations';
import { Link, itemPath, navigate, useRoute } from '../router';
import { SearchFilters, type SearchFilter } from './search/SearchFilters';
import '../styles/pages.css';

/**
 * One search box: hybrid by default, a switch for bm25 / vector / agentic, a category and the
 * days the items were saved between, results as cards with their score, and (with a chat model)
 * an answer whose [Item n] citations link to the items. The query lives in the URL
 * (/search?q=…&type=…&answer=1&category=…&from=…&to=…), so back and reload work.
 */
const TYPES: { value: SearchType; label: string; hint: string }[] = [
  { value: 'hybrid', label: 'Hybrid', hint: 'words and meaning (best)' },
  { value: 'bm25', label: 'Keywords', hint: 'BM25' },
  { value: 'vector', label: 'Meaning', hint: 'vector similarity' },
  { value: 'agentic', label: 'Agentic', hint: 'an assistant plans the searches' },
];

const NOTICES: Record<string, string> = {
  agentic_unavailable: 'Agentic search needs a chat model (CHAT_PROVIDER); these are hybrid results.',
  answer_unavailable: 'Answers need a chat model (CHAT_PROVIDER); here are the results.',
  answer_failed: 'The answer could not be written this time; here are the results.',
  agentic_failed: 'The agentic search failed this time; these are hybrid results.',
};

/** Recent searches by URL: going back to results shows them again without another (model) call. */
const recent = new Map<string, SearchResponse>();
const remember = (key: string, r: SearchResponse) => {
  recent.delete(key);
  recent.set(key, r);
  if (recent.size > 20) recent.delete(recent.keys().next().value as string);
};

let configCache: Promise<SearchConfig> | null = null;
export const searchConfig = () =>
  (configCache ??= ok(api().GET('/search/config')).catch((err) => {
    configCache = null; // a failed load is tried again next time
    throw err;
  }));

/** The URL of a search. */
function searchUrl(query: string, kind: SearchType, withAnswer: boolean, f: SearchFilter) {
  const params = new URLSearchParams({ q: query });
  if (kind !== 'hybrid') params.set('type', kind);
  if (withAnswer) params.set('answer', '1');
  if (f.category) params.set('category', f.category);
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  return `/search?${params}`;
}

export function SearchView({ q, type, answer }: { q: string; type: string; answer: boolean }) {
  const route = useRoute();
  const category = route.name === 'search' ? route.category : null;
  const from = route.name === 'search' ? route.from : null;
  const to = route.name === 'search' ? route.to : null;
  const searchType: SearchType = (TYPES.some((t) => t.value === type) ? type : 'hybrid') as SearchType;
  const [text, setText] = useState(q);
  const [kind, setKind] = useState<SearchType>(searchType);
  const [withAnswer, setWithAnswer] = useState(answer);
  const [filter, setFilter] = useState<SearchFilter>({ category, from, to });
  const [config, setConfig] = useState<SearchConfig | null>(null);
  const [response, setResponse] = useState<SearchResponse | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [rerun, setRerun] = useState(0);
  const inputId = useId();

  useEffect(() => {
    searchConfig().then(setConfig, () => {});
  }, []);

  // The URL is the source of truth: run the search it names.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `rerun` (the same URL submitted again) runs it again on purpose
  useEffect(() => {
    setText(q);
    setKind(searchType);
    setWithAnswer(answer);
    setFilter({ category, from, to });
    if (!q.trim()) {
      setResponse(null);
      return;
    }
    const key = JSON.stringify([q, searchType, answer, category, from, to]);
    const known = recent.get(key);
    if (known) {
      setResponse(known);
      setError(null);
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    setError(null);
    const body = {
      query: q,
      search_type: searchType,
      top_k: 20,
      include_answer: answer,
      min_match: 'weak' as const,
      ...(category ? { category_filter: category } : {}),
      ...(from ? { date_from: from } : {}),
      ...(to ? { date_to: to } : {}),
    };
    ok(api().POST('/search', { body })).then(
      (r) => {
        remember(key, r);
        if (!live) return;
        setResponse(r);
        setLoading(false);
      },
      (err) => {
        if (!live) return;
        setError(errorText(err));
        setResponse(null);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [q, searchType, answer, category, from, to, rerun]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const query = text.trim();
    if (!query) return;
    // Searching on purpose asks again (the collection may have changed); back/forward reuse results.
    recent.delete(JSON.stringify([query, kind, withAnswer, filter.category, filter.from, filter.to]));
    const url = searchUrl(query, kind, withAnswer, filter);
    if (url === window.location.pathname + window.location.search) setRerun((n) => n + 1);
    else navigate(url);
  };

  // A changed filter applies at once to the search shown (and waits for the words otherwise).
  const changeFilter = (next: SearchFilter) => {
    setFilter(next);
    if (q.trim()) navigate(searchUrl(q, searchType, answer, next), { replace: true });
  };

  const agenticOff = config ? !config.agentic_available : false;
  const answerOff = config ? !config.answer_available : true;

  return (
    <div className="page search-page">
      <h1 tabIndex={-1}>Search</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is too new for the browsers we support; role="search" on a form is its equivalent */}
      <form role="search" className="search-form" onSubmit={submit} aria-label="Search your collection">
        <div className="search-row">
          <label htmlFor={inputId} className="visually-hidden">
            Search your collection
          </label>
          <input
            id={inputId}
            type="search"
            name="q"
            className="search-input"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="ramen in Fukuoka, that AI coding tool, spa opening hours…"
            autoComplete="off"
            enterKeyHint="search"
            // biome-ignore lint/a11y/noAutofocus: an empty search page exists to be typed into
            autoFocus={!q}
          />
          <button type="submit" className="button primary">
            Search
          </button>
        </div>
        <div className="search-options">
          <fieldset className="segmented">
            <legend className="visually-hidden">Search type</legend>
            {TYPES.map((t) => {
              const disabled = t.value === 'agentic' && agenticOff;
              return (
                <label key={t.value} className={`segment ${disabled ? 'disabled' : ''}`} title={disabled ? 'Needs a chat model' : t.hint}>
                  <input
                    type="radio"
                    name="search-type"
                    value={t.value}
                    checked={kind === t.value}
                    disabled={disabled}
                    onChange={() => setKind(t.value)}
                  />
                  <span>{t.label}</span>
                </label>
              );
            })}
          </fieldset>
          {!answerOff && (
            <label className="checkbox">
              <input type="checkbox" checked={withAnswer} onChange={(e) => setWithAnswer(e.target.checked)} />
              Answer with citations
            </label>
          )}
        </div>
        <SearchFilters value={filter} onChange={changeFilter} />
      </form>

      <div aria-live="polite" aria-busy={loading} className="search-output">
        {loading && <p className="muted">Searching…</p>}
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
        {!loading && response && (
          <Results
            response={response}
            categoryHref={(c) =>
              searchUrl(q, searchType, false, {
                category: c,
                from,
                to,
              })
            }
          />
        )}
      </div>
    </div>
  );
}

/**
 * `categoryHref`: the same search narrowed to a category (a result's category pill links there).
 */
function Results({ response, categoryHref }: { response: SearchResponse; categoryHref: (category: string) => string }) {
  const notices = (response.notices ?? []).map((n) => NOTICES[n] ?? n);
  if (response.results.length === 0) {
    return (
      <div className="empty" data-testid="search-empty">
        <h2>Nothing in your collection matches “{response.query}”</h2>
        <p>
          Search looks at what the vision model read in each image: its headline, summary, text, places and hashtags. Try other words, or a
          broader type of search.
        </p>
        {notices.map((n) => (
          <p key={n} className="notice">
            {n}
          </p>
        ))}
      </div>
    );
  }
  return (
    <>
      {notices.map((n) => (
        <p key={n} className="notice">
          {n}
        </p>
      ))}
      {response.answer && <AnswerBox text={response.answer} results={response.results} />}
      {response.match === 'weak' ? (
        // Nothing matched confidently: say so, and offer the nearest items for what they are.
        <div className="weak-match" data-testid="search-weak">
          <h2 className="results-title">No close match — closest items</h2>
          <p className="muted">Nothing in your collection clearly matches “{response.query}”. These are the items nearest to it.</p>
        </div>
      ) : (
        <h2 className="results-title">
          {response.total_results === 1 ? '1 result' : `${response.total_results} results`}{' '}
          <span className="muted">
            ({response.search_type}, {Math.round(response.retrieval_time_ms)} ms)
          </span>
        </h2>
      )}
      <ol className="results">
        {response.results.map((r) => (
          <ResultCard key={r.item_id} result={r} categoryHref={categoryHref} />
        ))}
      </ol>
    </>
  );
}

function AnswerBox({ text, results }: { text: string; results: SearchResult[] }) {
  return (
    <section className="answer" aria-labelledby="answer-title">
      <h2 id="answer-title">Answer</h2>
      <p>
        {splitCitations(text).map((s, i) =>
          s.kind === 'text' ? (
            <span key={i}>{s.text}</span>
          ) : (
            <span key={i} className="citations">
              {s.refs.map((ref) => {
                const id = resolveRef(ref, results);
                const r = results.find((x) => x.item_id === id);
                return id ? (
                  <Link key={ref} to={itemPath(id)} className="citation" aria-label={`Source ${ref}: ${r?.headline ?? 'item'}`}>
                    {ref.length > 4 ? '↗' : ref}
                  </Link>
                ) : (
                  <span key={ref}>[{ref}]</span>
                );
              })}
            </span>
          ),
        )}
      </p>
    </section>
  );
}

/**
 * A result: the headline is the card's link, stretched over the whole card (CSS), so the card
 * clicks through to the item; the category pill is a link of its own above it, to the same search
 * in that category. (One link around the whole card could not hold another link.)
 * The score is the 0–1 relevance as a percentage: how much of the query the item matches, in words and meaning.
 */
function ResultCard({ result, categoryHref }: { result: SearchResult; categoryHref: (category: string) => string }) {
  const percent = Math.round(result.score * 100);
  const scoreLabel = result.match === 'strong' ? 'match' : 'weak match';
  return (
    <li className={result.match === 'weak' ? 'result result-weak' : 'result'} data-item-id={result.item_id} data-match={result.match}>
      <div className="result-card">
        <span className="result-thumb">
          {result.thumbnail_url ? (
            <ApiImage path={result.thumbnail_url} alt="" width={96} height={96} className="thumb" />
          ) : (
            <span className="thumb thumb-pending" aria-hidden="true" />
          )}
        </span>
        <span className="result-body">
          <Link to={itemPath(result.item_id)} className="result-link result-headline">
            {result.headline ?? 'Untitled'}
          </Link>
          {result.category && (
            <Link
              to={categoryHref(result.category)}
              className="category-pill small category-link"
              title={`Only ${result.category} results`}
            >
              {result.category}
            </Link>
          )}
          {result.summary && <span className="result-summary">{result.summary}</span>}
        </span>
        <span className="score" title={`${percent}% ${scoreLabel}`}>
          <span className="visually-hidden">{scoreLabel} </span>
          {percent}%
        </span>
      </div>
    </li>
  );
}
