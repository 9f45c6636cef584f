-- Postgres' parser reads a web address's host as one token: "Useyourcredits.com" is indexed
-- as 'useyourcredits.com', so a search for "useyourcredits", "tabelog" or "github" missed the
-- item that names the site. search_site_names() gives the host's own labels as words (no
-- "www", no top-level label, none of two letters or fewer such as "co" of "co.jp"); the search
-- row's text is indexed with them (src/repositories/search-rows.ts), and rows written before
-- get them appended here from their flat document, in the text's weight class (C).
CREATE FUNCTION search_site_names(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(l.label, ' '), '')
  FROM ts_parse('default', coalesce(t, '')) p
  CROSS JOIN LATERAL (SELECT string_to_array(lower(p.token), '.') AS labels) h
  CROSS JOIN LATERAL unnest(h.labels) WITH ORDINALITY AS l(label, n)
  -- 6: the default parser's "host" token type.
  WHERE p.tokid = 6 AND l.n < cardinality(h.labels) AND l.label <> 'www' AND length(l.label) > 2
$$;

UPDATE search_rows
SET tsv = tsv || setweight(to_tsvector('english', search_site_names(document)), 'C')
WHERE search_site_names(document) <> '';
