/**
 * The query's side of keyword search, as CTEs of the search statement (search-sql.ts): its
 * lexemes and their alternatives ($12), and the places it names.
 */
/** SQL that turns a lexeme into a quoted, escaped tsquery operand (never a syntax error). */
export const quoted = (column: string) => String.raw`'''' || replace(replace(${column}, '\', '\\'), '''', '''''') || ''''`;

/**
 * Query lexemes, each its own group, plus concept alternatives ($12) joining the group of each
 * lexeme of the phrase they stand for. Every lexeme is looked up on its own (a tsquery built
 * from one quoted lexeme: no user string can be a tsquery syntax error), so a query matches
 * documents holding any of its terms: ranking decides, not an AND that drops good partial matches.
 */
export const QUERY_TERMS_CTES = `
  q_terms AS (
    -- Folded as the rows are (search_fold, migration 0016): "beyonce" finds "Beyoncé", and the
    -- other way round.
    SELECT coalesce(array_agg(DISTINCT lexeme), '{}') AS terms FROM unnest(to_tsvector('english', search_fold($2)))
  ),
  q_members AS (
    -- \`exact\`: the member counts as the word typed (itself, or an alternative naming the same
    -- thing: "korean" for "korea", a place inside the region typed); else it is a concept alternative.
    SELECT t AS grp, t AS member, true AS exact FROM q_terms, unnest(q_terms.terms) AS t
    UNION
    SELECT s.lexeme, a.lexeme, coalesce(x.exact, false)
    FROM q_terms, jsonb_to_recordset($12::jsonb) AS x(src text, alts text, exact boolean),
         unnest(to_tsvector('english', search_fold(x.src))) AS s, unnest(to_tsvector('english', search_fold(x.alts))) AS a
    WHERE s.lexeme = ANY (q_terms.terms) AND NOT a.lexeme = ANY (q_terms.terms)
  ),
  q_places AS (
    -- The places the query names ($12 records marked \`place\`: services/search/expansion.ts):
    -- each is a group of its own (held as itself or a place inside it). An item that holds none
    -- of them is not about where the person asked.
    SELECT count(DISTINCT s.lexeme)::int AS n, coalesce(array_agg(DISTINCT s.lexeme), '{}') AS groups
    FROM q_terms, jsonb_to_recordset($12::jsonb) AS x(src text, place boolean), unnest(to_tsvector('english', search_fold(x.src))) AS s
    WHERE coalesce(x.place, false) AND s.lexeme = ANY (q_terms.terms)
  )`;
