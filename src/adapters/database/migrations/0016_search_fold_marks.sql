-- People type "cafe", "keio line", "beyonce" and "nanamoli"; the screenshots say "café", "Keiō Line",
-- "Beyoncé" and "Ñāṇamoli". The text search parser keeps the marks, so those words never met.
-- search_fold() takes the marks off Latin letters (every Latin letter that decomposes to a base
-- letter and combining marks: the letters the offline embedder folds, src/shared/text/analyze.ts,
-- which test/database/search-upgrade.test.ts checks letter by letter); the
-- search row's text is indexed folded (src/repositories/search-rows.ts) and so is the query
-- (src/repositories/search/query-terms-sql.ts). Marks on other scripts carry meaning and stay.
CREATE FUNCTION search_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT translate(t,
    'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹǢǣǼǽǮǯǾǿẛ',
    'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYyAaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwyAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYyÆæÆæƷʒØøs')
$$;

-- Rows written before: each lexeme with a mark is replaced by its folded form, with the same
-- positions and weights (a tsvector literal: 'keio':3A,17C), so the row holds what a fresh one
-- would (doc_length and the df statistics included; a folded form already there merges).
UPDATE search_rows s
SET tsv = ts_delete(s.tsv, f.marked) || f.folded
FROM (
  SELECT r.item_id,
         array_agg(u.lexeme) AS marked,
         string_agg(
           '''' || replace(replace(search_fold(u.lexeme), '\', '\\'), '''', '''''') || ''''
             || CASE WHEN cardinality(u.positions) > 0 THEN ':' || array_to_string(
                  ARRAY(SELECT x.p || x.w FROM unnest(u.positions, u.weights) AS x(p, w)), ',') ELSE '' END,
           ' ')::tsvector AS folded
  FROM search_rows r, unnest(r.tsv) AS u
  WHERE u.lexeme <> search_fold(u.lexeme)
  GROUP BY r.item_id
) f
WHERE f.item_id = s.item_id;
