-- How many of a user's documents hold each term in their headline or category (tsvector
-- weight A), next to df. bm25 looks the query's commoner words up in headlines only, and bounds
-- that by this count as it bounds rarer terms by df (src/search/sql.ts, bm25Ctes): a word in
-- most headlines would otherwise have every query holding it read thousands of rows.
ALTER TABLE search_terms ADD COLUMN head_df integer NOT NULL DEFAULT 0;

UPDATE search_terms st SET head_df = c.n
FROM (SELECT user_id, term, count(*)::int AS n
      FROM search_rows, unnest(tsvector_to_array(ts_filter(tsv, '{a}'))) AS term
      GROUP BY user_id, term) c
WHERE st.user_id = c.user_id AND st.term = c.term;

-- The same triggers as 0002, counting both: each row's terms (df) and its headline terms (head_df).
CREATE OR REPLACE FUNCTION search_term_counts(rows_tsv tsvector) RETURNS TABLE (term text, df integer, head_df integer)
LANGUAGE sql IMMUTABLE AS $$
  SELECT t, 1, 0 FROM unnest(tsvector_to_array(rows_tsv)) AS t
  UNION ALL
  SELECT t, 0, 1 FROM unnest(tsvector_to_array(ts_filter(rows_tsv, '{a}'))) AS t
$$;

CREATE OR REPLACE FUNCTION search_stats_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE search_terms st SET df = st.df - c.df, head_df = st.head_df - c.head_df
  FROM (SELECT user_id, x.term, sum(x.df)::int AS df, sum(x.head_df)::int AS head_df
        FROM old_rows, search_term_counts(old_rows.tsv) AS x
        GROUP BY user_id, x.term) c
  WHERE st.user_id = c.user_id AND st.term = c.term;
  UPDATE search_corpus sc SET docs = sc.docs - c.n, total_length = sc.total_length - c.len
  FROM (SELECT user_id, count(*)::int AS n, sum(length(tsv))::bigint AS len FROM old_rows GROUP BY user_id) c
  WHERE sc.user_id = c.user_id;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_stats_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_terms (user_id, term, df, head_df)
  SELECT user_id, x.term, sum(x.df)::int, sum(x.head_df)::int
  FROM new_rows, search_term_counts(new_rows.tsv) AS x
  GROUP BY user_id, x.term
  ORDER BY user_id, x.term
  ON CONFLICT (user_id, term) DO UPDATE SET df = search_terms.df + EXCLUDED.df, head_df = search_terms.head_df + EXCLUDED.head_df;
  INSERT INTO search_corpus (user_id, docs, total_length)
  SELECT user_id, count(*)::int, sum(length(tsv))::bigint FROM new_rows GROUP BY user_id
  ON CONFLICT (user_id) DO UPDATE SET docs = search_corpus.docs + EXCLUDED.docs,
    total_length = search_corpus.total_length + EXCLUDED.total_length;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_stats_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only rows whose text changed move the statistics (re-embedding leaves tsv alone):
  -- take the old text out, then put the new text in.
  UPDATE search_terms st SET df = st.df - c.df, head_df = st.head_df - c.head_df
  FROM (SELECT o.user_id, x.term, sum(x.df)::int AS df, sum(x.head_df)::int AS head_df
        FROM old_rows o JOIN new_rows n ON n.item_id = o.item_id AND n.tsv IS DISTINCT FROM o.tsv,
             search_term_counts(o.tsv) AS x
        GROUP BY o.user_id, x.term) c
  WHERE st.user_id = c.user_id AND st.term = c.term;
  INSERT INTO search_terms (user_id, term, df, head_df)
  SELECT n.user_id, x.term, sum(x.df)::int, sum(x.head_df)::int
  FROM new_rows n JOIN old_rows o ON n.item_id = o.item_id AND n.tsv IS DISTINCT FROM o.tsv,
       search_term_counts(n.tsv) AS x
  GROUP BY n.user_id, x.term
  ORDER BY n.user_id, x.term
  ON CONFLICT (user_id, term) DO UPDATE SET df = search_terms.df + EXCLUDED.df, head_df = search_terms.head_df + EXCLUDED.head_df;
  UPDATE search_corpus sc SET total_length = sc.total_length + c.delta
  FROM (SELECT n.user_id, sum(length(n.tsv) - length(o.tsv))::bigint AS delta
        FROM new_rows n JOIN old_rows o ON n.item_id = o.item_id GROUP BY n.user_id) c
  WHERE sc.user_id = c.user_id;
  RETURN NULL;
END $$;
