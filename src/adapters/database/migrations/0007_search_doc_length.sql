-- Each search row's length in lexemes, kept next to the row (the tsvector itself is TOASTed:
-- reading it costs a fetch). bm25 picks its candidates from the GIN indexes alone and uses this
-- length to rank them as BM25 would with one occurrence per term (src/search/sql.ts, bm25Ctes),
-- then reads only the chosen candidates' tsvectors.
ALTER TABLE search_rows ADD COLUMN doc_length integer GENERATED ALWAYS AS (length(tsv)) STORED;
