-- Keep each embedding inside its search row (storage MAIN instead of pgvector's EXTENDED).
-- A search row also holds the document and its tsvector, so with EXTENDED a 384–484-dimension
-- embedding (1.5–1.9 kB) is the first value moved out to the TOAST table, and an exact vector
-- search then fetches every row's embedding from there: measured on PGlite with 10k rows of
-- 384 dimensions, top-100 cosine 44 ms with EXTENDED, 18 ms with MAIN (npm run bench:search).
-- MAIN still moves a value out when a row cannot fit a page otherwise (very large dimensions).
-- Rows written before this migration keep their storage until they are rewritten (any
-- re-embedding, e.g. `collections reindex`).
ALTER TABLE search_rows ALTER COLUMN embedding SET STORAGE MAIN;
