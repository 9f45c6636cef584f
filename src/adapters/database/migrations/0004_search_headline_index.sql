-- The headline-and-category part of each search row (tsvector weight A), indexed on its own:
-- bm25 looks up the query's commonest words there instead of in whole documents, so a word
-- that most documents hold does not make every query read most of the table
-- (src/search/sql.ts, bm25Ctes). ts_filter is immutable, so an expression index serves it.
CREATE INDEX search_rows_user_headline_idx ON search_rows USING gin (user_id, ts_filter(tsv, '{a}'));
