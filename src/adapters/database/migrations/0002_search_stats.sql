-- Corpus statistics for BM25, per user: how many of the user's documents contain each term
-- (search_terms.df) and how many documents and lexemes the user has (search_corpus).
-- Kept by statement-level triggers with transition tables, so a bulk insert (an import)
-- updates each term once per statement instead of once per row.
CREATE TABLE search_terms (
  user_id text NOT NULL,
  term    text NOT NULL,
  df      integer NOT NULL,
  PRIMARY KEY (user_id, term)
);

CREATE TABLE search_corpus (
  user_id      text PRIMARY KEY,
  docs         integer NOT NULL,
  total_length bigint NOT NULL
);

CREATE FUNCTION search_stats_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE search_terms st SET df = st.df - c.n
  FROM (SELECT user_id, term, count(*)::int AS n
        FROM old_rows, unnest(tsvector_to_array(old_rows.tsv)) AS term
        GROUP BY user_id, term) c
  WHERE st.user_id = c.user_id AND st.term = c.term;
  UPDATE search_corpus sc SET docs = sc.docs - c.n, total_length = sc.total_length - c.len
  FROM (SELECT user_id, count(*)::int AS n, sum(length(tsv))::bigint AS len FROM old_rows GROUP BY user_id) c
  WHERE sc.user_id = c.user_id;
  RETURN NULL;
END $$;

CREATE FUNCTION search_stats_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_terms (user_id, term, df)
  SELECT user_id, term, count(*)::int
  FROM new_rows, unnest(tsvector_to_array(new_rows.tsv)) AS term
  GROUP BY user_id, term
  ORDER BY user_id, term
  ON CONFLICT (user_id, term) DO UPDATE SET df = search_terms.df + EXCLUDED.df;
  INSERT INTO search_corpus (user_id, docs, total_length)
  SELECT user_id, count(*)::int, sum(length(tsv))::bigint FROM new_rows GROUP BY user_id
  ON CONFLICT (user_id) DO UPDATE SET docs = search_corpus.docs + EXCLUDED.docs,
    total_length = search_corpus.total_length + EXCLUDED.total_length;
  RETURN NULL;
END $$;

CREATE FUNCTION search_stats_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only rows whose text changed move the statistics (re-embedding leaves tsv alone):
  -- take the old text out, then put the new text in.
  UPDATE search_terms st SET df = st.df - c.n
  FROM (SELECT o.user_id, term, count(*)::int AS n
        FROM old_rows o JOIN new_rows n ON n.item_id = o.item_id AND n.tsv IS DISTINCT FROM o.tsv,
             unnest(tsvector_to_array(o.tsv)) AS term
        GROUP BY o.user_id, term) c
  WHERE st.user_id = c.user_id AND st.term = c.term;
  INSERT INTO search_terms (user_id, term, df)
  SELECT n.user_id, term, count(*)::int
  FROM new_rows n JOIN old_rows o ON n.item_id = o.item_id AND n.tsv IS DISTINCT FROM o.tsv,
       unnest(tsvector_to_array(n.tsv)) AS term
  GROUP BY n.user_id, term
  ORDER BY n.user_id, term
  ON CONFLICT (user_id, term) DO UPDATE SET df = search_terms.df + EXCLUDED.df;
  UPDATE search_corpus sc SET total_length = sc.total_length + c.delta
  FROM (SELECT n.user_id, sum(length(n.tsv) - length(o.tsv))::bigint AS delta
        FROM new_rows n JOIN old_rows o ON n.item_id = o.item_id GROUP BY n.user_id) c
  WHERE sc.user_id = c.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER search_rows_stats_insert AFTER INSERT ON search_rows
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_stats_add();
CREATE TRIGGER search_rows_stats_delete AFTER DELETE ON search_rows
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_stats_remove();
CREATE TRIGGER search_rows_stats_update AFTER UPDATE ON search_rows
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_stats_update();
