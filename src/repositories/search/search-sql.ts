import { createHash } from 'node:crypto';
import { REQUEST_WORDS } from './request-words.js';
import { QUERY_TERMS_CTES, quoted } from './query-terms-sql.js';

/**
 * The SQL of search. Each builder returns a CTE body over `search_rows` for one user, so
 * hybrid search is bm25 and vector fused in ONE statement (one round trip).
 *
 * Parameters shared by every statement (positional):
 *   $1 user id, $2 query text, $3 query embedding (vector literal or NULL),
 *   $4 embedding model id, $5 category filter (or NULL; see StatementShape),
 *   $12 concept alternatives as JSON [{src, alts}] ('[]' for none), $13 strong results only,
 *   $14 / $15 first and last day of the item's creation (dates, UTC, inclusive; NULL: open).
 * How many candidates each side takes is part of the statement (`StatementShape.candidates`),
 * not a parameter: a cached generic plan must know it to choose the HNSW index for the vector side.
 */

/** The name a statement is prepared under (Database.queryCachedPlan): one per distinct SQL text. */
export const statementName = (sql: string) => `collections_search_${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`;

export interface Bm25Params {
  /** BM25 term-frequency saturation and length normalisation. */
  k1: number;
  b: number;
  /** How much an occurrence in each tsvector weight class counts (A headline/category … D vibes). */
  weights: { A: number; B: number; C: number; D: number };
  /** How much a concept alternative ("onsen" for "hot spring") counts against a word typed. */
  altWeight: number;
  /** How much of a query word's share of coverage an alternative earns (the rest needs the word). */
  altCoverage: number;
  /**
   * Document budget of the candidate pool (see bm25Ctes): `pool`, or `poolShare` of the
   * user's collection where that is more.
   */
  pool: number;
  poolShare: number;
  /**
   * How many pool documents per candidate the guess shortlists for ts_rank (see bm25Ctes), at a
   * budget of \`pool\`; in proportion past it.
   */
  shortlist: number;
  /** How much a word that phrases the request ("ideas", "buy", "near": request-words.ts) counts. */
  requestWordWeight: number;
}

/** A setting as a float8 literal (a bare 0.5 would be numeric, and numeric arithmetic is slow). */
const num = (x: number) => {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  return `${x}::float8`;
};

/**
 * What a statement is fixed to, beyond the settings it embeds.
 *
 * `candidates`: how many each side takes before fusion (bm25's best by its guess, the nearest
 * by cosine). A literal, not a parameter: a cached generic plan (SearchService) must know the
 * LIMIT to prefer the HNSW index over a scan.
 *
 * Filters: by default the statement takes the category filter as `$5` (NULL: every
 * category) and creation dates as `$14`/`$15`. `allCategories` leaves them out: a search without a filter (nearly all of
 * them) then has a statement whose generic plan is as good as a custom one; with
 * `$5 IS NULL OR …` in it, a generic plan scanned the whole table for each query term.
 */
export interface StatementShape {
  candidates: number;
  allCategories?: boolean;
}

/**
 * The filters on `search_rows s` (category $5, creation dates $14..$15), or nothing for the
 * unfiltered statement. Dates are rare: their item lookup only runs when one is given.
 */
export const categoryClause = (shape: StatementShape) =>
  shape.allCategories
    ? ''
    : `AND ($5::text IS NULL OR lower(s.category) = lower($5::text))
       AND (($14::date IS NULL AND $15::date IS NULL) OR EXISTS (
         SELECT 1 FROM items fi WHERE fi.id = s.item_id
           AND fi.created_at >= coalesce($14::date, '-infinity'::date) AND fi.created_at < coalesce($15::date + 1, 'infinity'::date)))`;

/** A row count rendered into SQL. */
export const count = (n: number) => {
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a positive row count: ${n}`);
  return String(n);
};

/** How many of a lexeme's positions (unnest's `u.weights`, one class letter each) carry weight class `c`. */
const classCount = (c: 'A' | 'B' | 'C' | 'D') => `coalesce(cardinality(array_positions(u.weights, '${c}')), 0)`;

/** ts_rank's class weights ({D, C, B, A}, at most 1) in the proportions of ours. */
const rankWeights = (w: Bm25Params['weights']) => {
  const top = Math.max(w.A, w.B, w.C, w.D);
  if (!(top > 0)) throw new Error('search field weights must include a positive one');
  const f = (x: number) => String(Math.max(0, x) / top);
  return `'{${f(w.D)}, ${f(w.C)}, ${f(w.B)}, ${f(w.A)}}'::float4[]`;
};

/**
 * BM25 with the user's own corpus statistics (search_terms, search_corpus), computed exactly on
 * `candidates` documents, chosen in three narrowing steps so that few tsvectors are read
 * (each is TOASTed: a fetch, ~7 µs on PGlite, before any work on it).
 *
 * 1. The pool: every document holding one of the query's rarer terms, rarest first while their
 *    document frequencies add up to at most the budget (`pool`, or `poolShare` of the
 *    collection where that is more); plus documents with one of the commoner
 *    typed words in their headline or category (tsvector weight A, its own GIN index), fewest
 *    such documents first while they add up to at most the budget too (search_terms.head_df).
 *    Left out: documents holding only common words, whose coverage is low; at 50k items an
 *    unbounded headline lookup read ~9k rows for some queries. Below ~`pool` documents, the pool
 *    is every match. Each pool document costs a heap visit (~2 µs): a budget of 1,000 instead of
 *    2,000 took 2 ms off hybrid p95 at 10k items with the same top-10 overlap (0.83), but at 50k
 *    it fell from 0.60 to 0.44; a share of the collection (4 %: 2,000 at 50k) keeps both.
 * 2. The guess (bm_hits, bm_shortlist): which pool document holds which term comes from one GIN
 *    lookup per term, its length from the row (doc_length). That ranks the pool by BM25 as if
 *    each term occurred once, in the headline or the body, without reading a tsvector; the best
 *    `candidates × shortlist` are kept.
 * 3. ts_rank over the shortlist (all query terms, every occurrence, class weights) keeps
 *    `candidates`, whose tsvectors are then cut down to the query's terms and scored exactly.
 *
 * Measured with bench:search's corpus against BM25 over every match (overlap of the top 10,
 * candidates 100, pool 2000): ts_rank over the whole pool, as before, 0.78 at 10k items and 0.67
 * at 50k; the guess alone 0.79 and 0.40; guess then ts_rank over 4 × 100: 0.89 and 0.62. With
 * the rest of this round (README, Benchmarks), bm25 p50/p95 at 10k went from 21/36 to 13/22 ms.
 * (Since the coverage boost in fusion, the same comparison, boosts on both sides, gives 0.83 at
 * 10k and 0.60 at 50k: an item holding all of the query but ranked low by BM25 can be boosted
 * into the top 10 only if it is a candidate.)
 *
 * Concept alternatives count at `altWeight`. `coverage` is the share of the query's IDF mass
 * (per query word) a document matches, directly or through an alternative: the verdict uses
 * it, since a document that only shares the query's most common word is not an answer to it.
 */
export function bm25Ctes(p: Bm25Params, shape: StatementShape) {
  const w = p.weights;
  const category = categoryClause(shape);
  return `${QUERY_TERMS_CTES},
  corpus AS (
    SELECT greatest(coalesce(max(docs), 0), 1)::float8 AS docs,
           greatest(coalesce(max(total_length)::float8 / nullif(max(docs), 0), 1), 1) AS avgdl
    FROM search_corpus WHERE user_id = $1
  ),
  q_request AS (
    SELECT array_agg(lexeme) AS terms FROM unnest(to_tsvector('english', '${REQUEST_WORDS.join(' ')}'))
  ),
  q_budget AS (
    -- The pool's document budget: \`pool\`, or a share of the collection where that is more.
    -- The shortlist grows with it (a larger pool has more near-ties for the guess to break).
    SELECT greatest(${num(p.pool)}, corpus.docs * ${num(p.poolShare)}) AS budget,
           ceil(${num(shape.candidates * p.shortlist)} * greatest(1::float8, corpus.docs * ${num(p.poolShare)} / ${num(p.pool)}))::int AS shortlist
    FROM corpus
  ),
  idf AS (
    -- A word that phrases the request rather than names what is wanted counts for less, in
    -- ranking and in coverage: absent from the collection, it would have the highest IDF of all.
    SELECT m.member AS term, m.exact, coalesce(st.df, 0) AS df, coalesce(st.head_df, 0) AS head_df,
           ln(1 + (corpus.docs - least(coalesce(st.df, 0), corpus.docs) + 0.5) / (least(coalesce(st.df, 0), corpus.docs) + 0.5))
             * CASE WHEN m.member = ANY (q_request.terms) THEN ${num(p.requestWordWeight)} ELSE 1::float8 END AS idf
    FROM (SELECT member, bool_or(exact) AS exact FROM q_members GROUP BY member) m CROSS JOIN corpus CROSS JOIN q_request
    -- An index lookup per term (LIMIT 1 keeps the planner from hash-joining the whole table).
    LEFT JOIN LATERAL (SELECT df, head_df FROM search_terms WHERE user_id = $1 AND term = m.member LIMIT 1) st ON true
  ),
  q_tier AS (
    -- Rarest terms first, into the pool while their documents fit the budget; then the
    -- commoner typed words, fewest headlines first, while their headline documents fit it.
    SELECT i.term, i.idf, i.exact, sum(i.df) OVER (ORDER BY i.df, i.term) <= b.budget AS rare,
           i.term = ANY (q_terms.terms) AS word,
           sum(i.head_df) OVER (ORDER BY i.head_df, i.term) <= b.budget AS head_fits
    FROM idf i, q_terms, q_budget b
  ),
  q_lookups AS (
    -- What the pool is read by, one GIN lookup per term: rarer terms (typed words and concept
    -- alternatives) anywhere, commoner typed words in the headline or category (weight A).
    -- (Looking up a word's alternatives together, one scan instead of up to 20, saved 0.4 ms
    -- at p95 but blurred the guess: overlap@10 with full BM25 fell from 0.79 to 0.70.)
    SELECT t.term AS key, t.idf * CASE WHEN t.exact THEN 1::float8 ELSE ${num(p.altWeight)} END AS idf,
           (${quoted('t.term')})::tsquery AS tsq, t.rare AS anywhere
    FROM q_tier t WHERE t.rare OR (t.word AND t.head_fits)
  ),
  bm_hits AS (
    -- Which pool documents hold which term, from the GIN indexes alone (a bitmap scan reads
    -- heap pages, never a tsvector). OFFSET 0 keeps each lookup a subquery of its own: flattened
    -- into a join, the planner read all of a small collection's rows once and tested every term
    -- against each (a TOAST fetch per test): bm25 p95 83 ms at 1k items, 12 ms this way.
    SELECT h.item_id, h.doc_length, l.key, l.idf, false AS in_head FROM q_lookups l
    CROSS JOIN LATERAL (
      SELECT s.item_id, s.doc_length FROM search_rows s
      WHERE s.user_id = $1 AND s.tsv @@ l.tsq ${category}
      OFFSET 0
    ) h
    WHERE l.anywhere
    UNION ALL
    SELECT h.item_id, h.doc_length, l.key, l.idf, true FROM q_lookups l
    CROSS JOIN LATERAL (
      SELECT s.item_id, s.doc_length FROM search_rows s
      WHERE s.user_id = $1 AND ts_filter(s.tsv, '{a}') @@ l.tsq ${category}
      OFFSET 0
    ) h
    WHERE NOT l.anywhere
  ),
  q_all AS (
    SELECT string_agg(DISTINCT ${quoted('member')}, ' | ')::tsquery AS query FROM q_members
  ),
  bm_shortlist AS (
    -- The best (candidates × shortlist) by a guess: BM25 as if each term occurred once, in the
    -- headline (weight A) when a headline lookup found it, else in the body (C); IDF, where the
    -- term is and document length, all known without reading a tsvector. bm_hits has one row
    -- per document and term (each term is looked up one way), so one aggregation does it.
    SELECT h.item_id, max(h.doc_length)::float8 AS dl,
           sum(h.idf * h.tf * ${num(p.k1 + 1)} / (h.tf + ${num(p.k1)} * (1 - ${num(p.b)} + ${num(p.b)} * h.doc_length / corpus.avgdl))) AS guess
    FROM (SELECT item_id, doc_length, idf, CASE WHEN in_head THEN ${num(w.A)} ELSE ${num(w.C)} END AS tf FROM bm_hits) h
    CROSS JOIN corpus GROUP BY h.item_id ORDER BY guess DESC, h.item_id LIMIT (SELECT shortlist FROM q_budget)
  ),
  bm_ranked_ids AS (
    -- ts_rank (every query term's occurrences, by class; in C) narrows the shortlist to the
    -- candidates scored exactly: the guess cannot see how often a term occurs, nor commoner
    -- words outside headlines.
    SELECT c.item_id, c.dl FROM bm_shortlist c
    JOIN search_rows s ON s.user_id = $1 AND s.item_id = c.item_id, q_all
    ORDER BY ts_rank(${rankWeights(w)}, s.tsv, q_all.query, 1) DESC, c.item_id
    LIMIT ${count(shape.candidates)}
  ),
  bm_cand AS MATERIALIZED (
    -- Each candidate's tsvector read once more, here (a copy: the stored one is TOASTed, and
    -- every later reference would fetch it again).
    SELECT c.item_id, s.tsv || ''::tsvector AS tsv, c.dl
    FROM bm_ranked_ids c JOIN search_rows s ON s.user_id = $1 AND s.item_id = c.item_id
  ),
  q_member_list AS (
    SELECT array_agg(DISTINCT member) AS members FROM q_members
  ),
  bm_tf AS (
    -- Each candidate's tsvector cut down to the query's members (ts_delete twice, in C) before
    -- it is unnested: unnesting all ~100 lexemes of 100 documents cost more than the rest of bm25.
    SELECT c.item_id, c.dl, u.lexeme AS term,
           (${classCount('A')} * ${num(w.A)} + ${classCount('B')} * ${num(w.B)}
            + ${classCount('C')} * ${num(w.C)} + ${classCount('D')} * ${num(w.D)})::float8 AS tf,
           'A' = ANY (u.weights) AS in_head
    FROM bm_cand c, q_member_list ml,
         unnest(ts_delete(c.tsv, tsvector_to_array(ts_delete(c.tsv, ml.members)))) AS u
  ),
  bm_groups AS (
    -- A query word found as itself is fully covered; found only through an alternative, partly,
    -- and never by more than the alternative's own IDF says: a word absent from the collection
    -- has the highest IDF there is, and a common alternative ("park" for "disneyland") standing
    -- in for half of it made off-topic queries look answered.
    SELECT t.item_id, m.grp, max(CASE WHEN m.exact THEN 1::float8 ELSE x.alt_credit END) AS credit,
           max(CASE WHEN NOT t.in_head THEN 0::float8 WHEN m.exact THEN 1::float8 ELSE x.alt_credit END) AS head_credit
    FROM bm_tf t JOIN q_members m ON m.member = t.term
    JOIN idf mi ON mi.term = m.member JOIN idf gi ON gi.term = m.grp
    CROSS JOIN LATERAL (SELECT ${num(p.altCoverage)} * least(1::float8, mi.idf / nullif(gi.idf, 0)) AS alt_credit) x
    GROUP BY t.item_id, m.grp
  ),
  q_mass AS (
    SELECT nullif(sum(i2.idf), 0) AS mass FROM idf i2, q_terms WHERE i2.term = ANY (q_terms.terms)
  ),
  bm_coverage AS (
    SELECT g.item_id, sum(idf.idf * g.credit) / max(q_mass.mass) AS coverage,
           sum(idf.idf * g.head_credit) / max(q_mass.mass) AS head_coverage,
           bool_or(g.credit >= 1 AND g.grp = ANY (q_places.groups)) AS holds_place
    FROM bm_groups g JOIN idf ON idf.term = g.grp CROSS JOIN q_mass CROSS JOIN q_places GROUP BY g.item_id
  ),
  bm25 AS (
    SELECT bm_tf.item_id,
           sum(idf.idf * (CASE WHEN idf.exact THEN 1::float8 ELSE ${num(p.altWeight)} END)
               * bm_tf.tf * ${num(p.k1 + 1)} / (bm_tf.tf + ${num(p.k1)} * (1 - ${num(p.b)} + ${num(p.b)} * bm_tf.dl / corpus.avgdl))) AS score,
           max(cv.coverage) AS coverage, max(cv.head_coverage) AS head_coverage, bool_or(cv.holds_place) AS holds_place
    FROM bm_tf JOIN idf USING (term) JOIN bm_coverage cv ON cv.item_id = bm_tf.item_id
    CROSS JOIN corpus
    GROUP BY bm_tf.item_id
  )`;
}

/** Cosine similarity against rows embedded by the same model (same space and dimension): the exact scan. */
export function vectorCte(shape: StatementShape) {
  return `
  vec AS (
    SELECT s.item_id, 1 - (s.embedding <=> $3::vector) AS score
    FROM search_rows s
    WHERE s.user_id = $1 AND s.embedding_model = $4 AND $3::vector IS NOT NULL
      ${categoryClause(shape)}
    ORDER BY s.embedding <=> $3::vector
    LIMIT ${count(shape.candidates)}
  )`;
}

export interface FusionParams {
  /** Reciprocal rank fusion constant and per-list weights. */
  rrfK: number;
  bm25Weight: number;
  vectorWeight: number;
  /**
   * How much naming the query in the headline (or category) counts: an item whose weight-A
   * words cover all of the query's IDF mass gains this many first places in both lists
   * (scaled by that coverage squared, so a common word in a headline earns little).
   */
  headlineBoost: number;
  /**
   * How much holding the whole query counts, anywhere in the item: up to this many first places
   * in both lists (scaled by bm25 coverage squared). Reciprocal ranks keep the order of each
   * list but not how far apart its items are: an item with every word of the query could
   * trail one with half of them that ranked a place higher on each side.
   */
  coverageBoost: number;
  /** How many first places in both lists holding a place the query names counts (see q_places). */
  placeBoost: number;
  /**
   * How much more the vector list counts when keyword search found little of the query: its
   * weight is multiplied by 1 + vectorLift × (1 − the best bm25 coverage). A query described by
   * need ("work that isn't a 9 to 5") shares few words with its items, and their keyword ranks
   * are noise; a query whose words an item holds keeps the weights as they are.
   */
  vectorLift: number;
}

/**
 * One statement for every search type: bm25 and vector candidates, fused by weighted
 * reciprocal rank, joined to the items and the analysis their search row was built from.
 * A bm25-only search passes no embedding ($3 NULL); a vector-only search an empty query text.
 *
 * Relevance is a verdict per result, not a gate on the answer (a gate that emptied the answer
 * hid good rankings behind false empties). Listed: every candidate that clears the low
 * per-document bars ($9 coverage, $10 cosine), so a query whose words or meaning touch an item
 * gets it back. `strong`: a confident match — it covers at least $6 of the query's IDF mass, or
 * is at least $7 cosine-similar, or its coverage plus its cosine reaches $11 (words and meaning
 * each half-matching is evidence; one of them half-matching alone is not). Each search type
 * passes the bars that apply to it and an unreachable value for the others. $13 true keeps only
 * strong results (`min_match: strong`).
 *   $8 top_k.
 */
export interface StatementOptions extends StatementShape {
  /**
   * Builds the `vec` CTE for the shape: the exact scan (`vectorCte`, the default) or
   * vector-index.ts's `annVectorCte`, the same CTE in the form an HNSW index can serve.
   */
  vectorCte?: (shape: StatementShape) => string;
}

export function searchSql(bm25: Bm25Params, fusion: FusionParams, options: StatementOptions) {
  const shape: StatementShape = { candidates: options.candidates, allCategories: options.allCategories };
  const vec = (options.vectorCte ?? vectorCte)(shape);
  // Every form binds the same 15 parameters: the unfiltered one still names $5, $14 and $15
  // (returned as columns, read by nothing) so Postgres can type them.
  const categoryColumn = options.allCategories ? '$5::text AS category_filter, $14::date AS date_from, $15::date AS date_to, ' : '';
  return `WITH ${bm25Ctes(bm25, shape)},
  ${vec},
  bm_ranked AS (
    SELECT item_id, score, coverage, head_coverage, holds_place, row_number() OVER (ORDER BY score DESC, item_id) AS r
    FROM bm25 WHERE coverage >= $9
  ),
  vec_ranked AS (
    SELECT item_id, score, row_number() OVER (ORDER BY score DESC, item_id) AS r
    FROM vec WHERE score >= $10
  ),
  -- How much of the query keyword search found at best: the less, the more the meaning list counts.
  bm_best AS (SELECT coalesce(max(coverage), 0) AS c FROM bm_ranked),
  fused AS (
    SELECT coalesce(b.item_id, v.item_id) AS item_id,
           coalesce(${num(fusion.bm25Weight)} / (${num(fusion.rrfK)} + b.r), 0)
             + coalesce(${num(fusion.vectorWeight)} * (1 + ${num(fusion.vectorLift)} * (1 - bm_best.c)) / (${num(fusion.rrfK)} + v.r), 0)
             -- The thing asked for named in the headline: up to headlineBoost first places in both lists more.
             + ${num((fusion.headlineBoost * (fusion.bm25Weight + fusion.vectorWeight)) / (fusion.rrfK + 1))} * power(coalesce(b.head_coverage, 0), 2)
             -- All of the query held anywhere: up to coverageBoost first places in both lists more.
             + ${num((fusion.coverageBoost * (fusion.bm25Weight + fusion.vectorWeight)) / (fusion.rrfK + 1))} * power(coalesce(b.coverage, 0), 2)
             -- In the place asked for: placeBoost first places in both lists more.
             + CASE WHEN coalesce(b.holds_place, false) THEN ${num((fusion.placeBoost * (fusion.bm25Weight + fusion.vectorWeight)) / (fusion.rrfK + 1))} ELSE 0 END AS rrf,
           b.score AS bm25_score, b.coverage AS bm25_coverage, b.r AS bm25_rank,
           v.score AS vector_score, v.r AS vector_rank,
           (coalesce(b.coverage, 0) >= $6
             OR coalesce(v.score, -1) >= $7
             OR coalesce(b.coverage, 0) + greatest(coalesce(v.score, 0), 0) >= $11)
             AND (q_places.n = 0 OR coalesce(b.holds_place, false)) AS strong
    FROM bm_ranked b FULL OUTER JOIN vec_ranked v ON v.item_id = b.item_id CROSS JOIN q_places CROSS JOIN bm_best
  ),
  listed AS (
    SELECT * FROM fused WHERE strong OR NOT $13::boolean
    ORDER BY rrf DESC, item_id
    LIMIT $8
  )
  SELECT f.item_id::text AS item_id, ${categoryColumn}f.rrf, f.bm25_score, f.bm25_coverage, f.bm25_rank::int AS bm25_rank,
         f.vector_score, f.vector_rank::int AS vector_rank, f.strong,
         s.category, a.headline, a.summary, i.thumbnail_key IS NOT NULL AS has_thumbnail,
         i.original_filename, i.status, i.created_at, a.raw->'image_details'->>'likely_source' AS likely_source
  FROM listed f
  JOIN search_rows s ON s.user_id = $1 AND s.item_id = f.item_id
  JOIN items i ON i.user_id = $1 AND i.id = f.item_id
  LEFT JOIN analyses a ON a.id = s.analysis_id
  ORDER BY f.rrf DESC, f.item_id`;
}
