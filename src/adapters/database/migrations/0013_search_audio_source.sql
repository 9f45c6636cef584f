-- The sound a video uses ("Midnight Pretenders - @Tomoko Aran") is something people remember
-- about a saved post and search for, and several posts share one; it was in no search field.
-- It joins the image's text (C) in src/repositories/search-rows.ts (weightedFields); rows
-- written before get its words appended here, as 0009 did for the poster.
UPDATE search_rows s
SET tsv = s.tsv || setweight(to_tsvector('english', x.sound), 'C')
FROM (SELECT a.id, coalesce(a.raw->'media_metadata'->>'audio_source', '') AS sound FROM analyses a) x
WHERE x.id = s.analysis_id AND x.sound <> '';
