-- The poster and tagged accounts join the searchable text (weight C, with the image's text;
-- src/repositories/search-rows.ts, weightedFields): often the shop's or the place's own
-- account, the name people remember. Rows written before get those words appended here
-- (the same lexemes and weights a rebuild gives; BM25 reads no positions). The stats triggers
-- update df and head_df for the rows whose text changed.
UPDATE search_rows s
SET tsv = s.tsv || setweight(to_tsvector('english', x.words), 'C')
FROM (
  SELECT a.id,
         concat_ws(' ', a.raw->'media_metadata'->>'original_poster',
                   (SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(
                      CASE WHEN jsonb_typeof(a.raw->'media_metadata'->'tagged_accounts') = 'array'
                           THEN a.raw->'media_metadata'->'tagged_accounts' ELSE '[]'::jsonb END) AS t)) AS words
  FROM analyses a
) x
WHERE x.id = s.analysis_id AND x.words <> '';
