-- Which revision of its embedder made a row's vector (Embedder.revision: the offline embedder's
-- lexicon and settings, hashed). The offline embedder is tuned under one name; rows made by an
-- older revision are re-embedded in the background when the local server starts
-- (src/services/search/reindex.ts, refreshOutdatedEmbeddings), staying searchable meanwhile.
-- NULL: made before this column, or by an embedder without revisions (hosted models).
ALTER TABLE search_rows ADD COLUMN embedder_revision text;
