-- The analysis's visual hierarchy (its most prominent elements, described: "Caption text about
-- Justin Chang's film picks") says what a screenshot shows in words found nowhere else: "magazine
-- picks" found nothing in keyword search though the vector side found the item. It joins the rest
-- (D) in src/repositories/search-rows.ts (weightedFields); rows written before get its words
-- appended here, as 0013 did for the video's sound. The stats triggers update df for them.
UPDATE search_rows s
SET tsv = s.tsv || setweight(to_tsvector('english', x.hierarchy), 'D')
FROM (
  SELECT a.id,
         coalesce((SELECT string_agg(t, ', ') FROM jsonb_array_elements_text(
                     CASE WHEN jsonb_typeof(a.raw->'image_details'->'visual_hierarchy') = 'array'
                          THEN a.raw->'image_details'->'visual_hierarchy' ELSE '[]'::jsonb END) AS t), '') AS hierarchy
  FROM analyses a
) x
WHERE x.id = s.analysis_id AND x.hierarchy <> '';
