-- Prices in screenshots are written with symbols ("¥4,950", "1,650円", "₩15,000", "$12"), which
-- the text search parser drops, so "prices in yen" or "under 5000 won" found only items that
-- spell the currency out. search_currency_words() names each currency a text writes a price in,
-- once per text ("yen", "won", "dollar", "euro", "pound", "baht"); the search row's text is
-- indexed with those words (src/repositories/search-rows.ts), and rows written before get them
-- appended here from their flat document, in the text's weight class (C), as 0010 did for site
-- names. Only prices: 円 and 원 count after a digit (円 alone is also a kanji of place names).
CREATE FUNCTION search_currency_words(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT concat_ws(' ',
    CASE WHEN t ~* '¥|￥|[0-9][[:space:]]?円|\mjpy\M' THEN 'yen' END,
    CASE WHEN t ~* '₩|[0-9][[:space:]]?원|\mkrw\M' THEN 'won' END,
    CASE WHEN t ~* '\$[[:space:]]?[0-9]|\musd\M|\mcad\M|\maud\M|\mnt\$' THEN 'dollar' END,
    CASE WHEN t ~* '€|\meur\M' THEN 'euro' END,
    CASE WHEN t ~* '£|\mgbp\M' THEN 'pound' END,
    CASE WHEN t ~* '฿|\mthb\M' THEN 'baht' END)
$$;

UPDATE search_rows
SET tsv = tsv || setweight(to_tsvector('english', search_currency_words(document)), 'C')
WHERE search_currency_words(document) <> '';
