/**
 * Words that phrase a search request rather than name what is wanted: "ideas", "places",
 * "buy", "good", "near". People type them ("where to buy a nice duvet", "hokkaido trip
 * ideas"), items rarely hold them in a way that answers the query, and Postgres' English stop
 * list keeps them. Counted at full IDF, one such word absent from a collection outweighed the
 * words that name the thing (a word found nowhere has the highest IDF there is), so a query
 * whose topic matched an item still read as a weak match. BM25 counts them at
 * SEARCH_REQUEST_WORD_WEIGHT instead, in ranking and in coverage alike.
 *
 * The list is general English request phrasing, not drawn from any query set; lower-case
 * words only (it is rendered into SQL, and to_tsvector stems it as it stems the query).
 */
export const REQUEST_WORDS: readonly string[] = [
  // what kind of thing
  'idea', 'ideas', 'thing', 'things', 'stuff', 'place', 'places', 'spot', 'spots', 'option', 'options',
  'way', 'ways', 'kind', 'type', 'sort', 'something', 'somewhere', 'anywhere', 'someone', 'list',
  'recommendation', 'recommendations', 'suggestion', 'suggestions', 'tip', 'tips',
  // asking and wanting
  'find', 'finding', 'look', 'looking', 'search', 'searching', 'get', 'getting', 'got', 'want', 'wanted',
  'need', 'needed', 'help', 'show', 'tell', 'know', 'remember', 'saved', 'save', 'try', 'trying',
  'buy', 'buying', 'make', 'making', 'go', 'going', 'see', 'seeing', 'check',
  // judging and placing
  'good', 'great', 'nice', 'best', 'better', 'cool', 'favorite', 'favourite', 'recommended',
  'near', 'nearby', 'around', 'close', 'really', 'also', 'maybe', 'please', 'one', 'ones', 'lot', 'lots',
];

if (REQUEST_WORDS.some((w) => !/^[a-z]+$/.test(w))) throw new Error('request words must be lower-case letters');
