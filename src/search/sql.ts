/**
 * The SQL of search. Each builder returns a CTE body over `search_rows` for one user, so
 * hybrid search is bm25 and vector fused in ONE statement (one round trip).
 *
 * Parameters shared by every statement (positional):
 *   $1 user id, $2 query text, $3 query embedding (vector literal or NULL),
 *   $4 embedding model id, $5 category filter (or NULL), $6 candidate limit,
 *   $13 concept alternatives as JSON [{src, alts}] ('[]' for none), $14 strong results only.
 */

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
  /** Document budget of the candidate pool (see bm25Ctes). */
  pool: number;
}

const num = (x: number) => {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  return String(x);
};

/** SQL that turns a lexeme into a quoted, escaped tsquery operand (never a syntax error). */
const quoted = (column: string) => String.raw`'''' || replace(replace(${column}, '\', '\\'), '''', '''''') || ''''`;

/**
 * Query lexemes, each its own group, plus concept alternatives ($13) joining the group of each
 * lexeme of the phrase they stand for; then an OR tsquery built from the lexemes themselves,
 * so no user string can be a tsquery syntax error, and a query matches documents holding any
 * of its terms (ranking decides, not an AND that drops good partial matches).
 */
export const QUERY_TERMS_CTES = `
  q_terms AS (
    SELECT coalesce(array_agg(DISTINCT lexeme), '{}') AS terms FROM unnest(to_tsvector('english', $2))
  ),
  q_members AS (
    SELECT t AS grp, t AS member FROM q_terms, unnest(q_terms.terms) AS t
    UNION
    SELECT s.lexeme, a.lexeme
    FROM q_terms, jsonb_to_recordset($13::jsonb) AS x(src text, alts text),
         unnest(to_tsvector('english', x.src)) AS s, unnest(to_tsvector('english', x.alts)) AS a
    WHERE s.lexeme = ANY (q_terms.terms) AND NOT a.lexeme = ANY (q_terms.terms)
  ),
  q_tsq AS (
    SELECT string_agg(DISTINCT ${quoted('member')}, ' | ')::tsquery AS query FROM q_members
  )`;

/**
 * BM25 with the user's own corpus statistics (search_terms, search_corpus), computed on the
 * best `$6` candidates by ts_rank (a cheap C pre-filter) from a bounded pool.
 *
 * The pool: every document holding one of the query's rarer terms, rarest first while their
 * document frequencies add up to at most `pool`, plus documents with one
 * of the query's commoner words in their headline or category (tsvector weight A, its own GIN
 * index). Reading a document costs ~3 µs on PGlite however it is scored, so a word in 80% of
 * 10k documents made every query holding it read 8k rows (p95 93 ms); bounded, bm25 p95 is
 * 36 ms (npm run bench:search). The documents left out hold only common words in their body:
 * their coverage is low and a doc holding a rarer word outranks them; measured, the top 10
 * is the same as without the bound. Below ~`pool` documents the pool is every match. Concept alternatives count at
 * `altWeight`. `coverage` is the share of the query's IDF mass (per query word) a document
 * matches, directly or through an alternative: the relevance cutoff uses it, since a document
 * that only shares the query's most common word is not an answer to it.
 */
export function bm25Ctes(p: Bm25Params) {
  const w = p.weights;
  return `${QUERY_TERMS_CTES},
  corpus AS (
    SELECT greatest(coalesce(max(docs), 0), 1)::float8 AS docs,
           greatest(coalesce(max(total_length)::float8 / nullif(max(docs), 0), 1), 1) AS avgdl
    FROM search_corpus WHERE user_id = $1
  ),
  idf AS (
    SELECT m.member AS term, coalesce(st.df, 0) AS df,
           ln(1 + (corpus.docs - least(coalesce(st.df, 0), corpus.docs) + 0.5) / (least(coalesce(st.df, 0), corpus.docs) + 0.5)) AS idf
    FROM (SELECT DISTINCT member FROM q_members) m CROSS JOIN corpus
    -- A scalar subquery, not a join: the planner would hash-join the whole search_terms table.
    CROSS JOIN LATERAL (SELECT (SELECT df FROM search_terms WHERE user_id = $1 AND term = m.member) AS df) st
  ),
  q_tier AS (
    -- Rarest terms first, into the pool while their documents fit the budget.
    SELECT term, sum(df) OVER (ORDER BY df, term) <= ${num(p.pool)} AS rare FROM idf
  ),
  q_pool AS (
    SELECT (SELECT string_agg(${quoted('term')}, ' | ')::tsquery FROM q_tier WHERE rare) AS anywhere,
           (SELECT string_agg(${quoted('term')}, ' | ')::tsquery
            FROM q_tier, q_terms WHERE NOT rare AND term = ANY (q_terms.terms)) AS in_headline
  ),
  bm_cand AS (
    SELECT s.item_id, s.tsv FROM search_rows s, q_pool, q_tsq
    WHERE s.user_id = $1
      AND (s.tsv @@ q_pool.anywhere OR ts_filter(s.tsv, '{a}') @@ q_pool.in_headline)
      AND ($5::text IS NULL OR lower(s.category) = lower($5::text))
    ORDER BY ts_rank(s.tsv, q_tsq.query) DESC
    LIMIT $6
  ),
  bm_tf AS (
    SELECT c.item_id, length(c.tsv)::float8 AS dl, u.lexeme AS term,
           (SELECT sum(CASE x WHEN 'A' THEN ${num(w.A)} WHEN 'B' THEN ${num(w.B)} WHEN 'C' THEN ${num(w.C)} ELSE ${num(w.D)} END)
            FROM unnest(u.weights) AS x)::float8 AS tf,
           'A' = ANY (u.weights::text[]) AS in_head
    FROM bm_cand c, unnest(c.tsv) AS u
    WHERE u.lexeme IN (SELECT member FROM q_members)
  ),
  bm_groups AS (
    -- A query word found as itself is fully covered; found only through an alternative, partly.
    SELECT t.item_id, m.grp, max(CASE WHEN m.member = m.grp THEN 1 ELSE ${num(p.altCoverage)} END) AS credit,
           max(CASE WHEN NOT t.in_head THEN 0 WHEN m.member = m.grp THEN 1 ELSE ${num(p.altCoverage)} END) AS head_credit
    FROM bm_tf t JOIN q_members m ON m.member = t.term GROUP BY t.item_id, m.grp
  ),
  q_mass AS (
    SELECT nullif(sum(i2.idf), 0) AS mass FROM idf i2, q_terms WHERE i2.term = ANY (q_terms.terms)
  ),
  bm_coverage AS (
    SELECT g.item_id, sum(idf.idf * g.credit) / max(q_mass.mass) AS coverage,
           sum(idf.idf * g.head_credit) / max(q_mass.mass) AS head_coverage
    FROM bm_groups g JOIN idf ON idf.term = g.grp CROSS JOIN q_mass GROUP BY g.item_id
  ),
  bm25 AS (
    SELECT bm_tf.item_id,
           sum(idf.idf * (CASE WHEN bm_tf.term = ANY (q_terms.terms) THEN 1 ELSE ${num(p.altWeight)} END)
               * bm_tf.tf * ${num(p.k1 + 1)} / (bm_tf.tf + ${num(p.k1)} * (1 - ${num(p.b)} + ${num(p.b)} * bm_tf.dl / corpus.avgdl))) AS score,
           max(cv.coverage) AS coverage, max(cv.head_coverage) AS head_coverage
    FROM bm_tf JOIN idf USING (term) JOIN bm_coverage cv ON cv.item_id = bm_tf.item_id
    CROSS JOIN corpus CROSS JOIN q_terms
    GROUP BY bm_tf.item_id
  )`;
}

/** Cosine similarity against rows embedded by the same model (same space and dimension). */
export const VECTOR_CTE = `
  vec AS (
    SELECT s.item_id, 1 - (s.embedding <=> $3::vector) AS score
    FROM search_rows s
    WHERE s.user_id = $1 AND s.embedding_model = $4 AND $3::vector IS NOT NULL
      AND ($5::text IS NULL OR lower(s.category) = lower($5::text))
    ORDER BY s.embedding <=> $3::vector
    LIMIT $6
  )`;

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
}

/**
 * One statement for every search type: bm25 and vector candidates, fused by weighted
 * reciprocal rank, joined to the items and the analysis their search row was built from.
 * A bm25-only search passes no embedding ($3 NULL); a vector-only search an empty query text.
 *
 * Relevance is a verdict per result, not a gate on the answer (a gate that emptied the answer
 * hid good rankings behind false empties). Listed: every candidate that clears the low
 * per-document bars ($10 coverage, $11 cosine), so a query whose words or meaning touch an item
 * gets it back. `strong`: a confident match — it covers at least $7 of the query's IDF mass, or
 * is at least $8 cosine-similar, or its coverage plus its cosine reaches $12 (words and meaning
 * each half-matching is evidence; one of them half-matching alone is not). Each search type
 * passes the bars that apply to it and an unreachable value for the others. $14 true keeps only
 * strong results (`min_match: strong`).
 *   $9 top_k.
 */
export function searchSql(bm25: Bm25Params, fusion: FusionParams, vectorCte: string = VECTOR_CTE) {
  // vectorCte (vector-index wiring): VECTOR_CTE is the exact scan; vector-index.ts's
  // annVectorCte is the same `vec` CTE in the form an HNSW index can serve.
  return `WITH ${bm25Ctes(bm25)},
  ${vectorCte},
  bm_ranked AS (
    SELECT item_id, score, coverage, head_coverage, row_number() OVER (ORDER BY score DESC, item_id) AS r
    FROM bm25 WHERE coverage >= $10
  ),
  vec_ranked AS (
    SELECT item_id, score, row_number() OVER (ORDER BY score DESC, item_id) AS r
    FROM vec WHERE score >= $11
  ),
  fused AS (
    SELECT coalesce(b.item_id, v.item_id) AS item_id,
           coalesce(${num(fusion.bm25Weight)}::float8 / (${num(fusion.rrfK)} + b.r), 0)
             + coalesce(${num(fusion.vectorWeight)}::float8 / (${num(fusion.rrfK)} + v.r), 0)
             -- The thing asked for named in the headline: up to headlineBoost first places in both lists more.
             + ${num(fusion.headlineBoost * (fusion.bm25Weight + fusion.vectorWeight) / (fusion.rrfK + 1))} * power(coalesce(b.head_coverage, 0), 2) AS rrf,
           b.score AS bm25_score, b.coverage AS bm25_coverage, b.r AS bm25_rank,
           v.score AS vector_score, v.r AS vector_rank,
           coalesce(b.coverage, 0) >= $7
             OR coalesce(v.score, -1) >= $8
             OR coalesce(b.coverage, 0) + greatest(coalesce(v.score, 0), 0) >= $12 AS strong
    FROM bm_ranked b FULL OUTER JOIN vec_ranked v ON v.item_id = b.item_id
  ),
  listed AS (
    SELECT * FROM fused WHERE strong OR NOT $14::boolean
    ORDER BY rrf DESC, item_id
    LIMIT $9
  )
  SELECT f.item_id::text AS item_id, f.rrf, f.bm25_score, f.bm25_coverage, f.bm25_rank::int AS bm25_rank,
         f.vector_score, f.vector_rank::int AS vector_rank, f.strong,
         s.category, a.headline, a.summary, i.thumbnail_key IS NOT NULL AS has_thumbnail,
         i.original_filename, i.status, i.created_at, a.raw->'image_details'->>'likely_source' AS likely_source
  FROM listed f
  JOIN search_rows s ON s.user_id = $1 AND s.item_id = f.item_id
  JOIN items i ON i.user_id = $1 AND i.id = f.item_id
  LEFT JOIN analyses a ON a.id = s.analysis_id
  ORDER BY f.rrf DESC, f.item_id`;
}
