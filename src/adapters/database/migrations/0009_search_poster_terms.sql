-- The poster joins the headline's weight class (A: an identity, often the shop's or the
-- place's own account, the name people remember) and tagged accounts the image's text (C)
-- (src/repositories/search-rows.ts, weightedFields). Rows written before get those words
-- appended here: the same lexemes and weights a rebuild gives (BM25 reads no positions). The
-- stats triggers update df and head_df for the rows whose text changed.
UPDATE search_rows s
SET tsv = s.tsv || setweight(to_tsvector('english', x.poster), 'A') || setweight(to_tsvector('english', x.tagged), 'C')
FROM (
  SELECT a.id,
         coalesce(a.raw->'media_metadata'->>'original_poster', '') AS poster,
         coalesce((SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(
                     CASE WHEN jsonb_typeof(a.raw->'media_metadata'->'tagged_accounts') = 'array'
                          THEN a.raw->'media_metadata'->'tagged_accounts' ELSE '[]'::jsonb END) AS t), '') AS tagged
  FROM analyses a
) x
WHERE x.id = s.analysis_id AND (x.poster <> '' OR x.tagged <> '');
