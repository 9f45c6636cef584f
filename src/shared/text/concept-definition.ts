/**
 * The shape of an entry of the concept lexicon (concepts.ts; the entries are in
 * concept-table-places.ts and concept-table-interests.ts). Each concept has
 * - terms: words and phrases (up to 4 words) that mean it, matched after the same analysis as
 *   any text (lowercase, stop words out, stemmed), so "hot springs" matches "hot spring".
 *   A leading "~" marks a looser member, counted at half weight ("~spa" for hot springs).
 * - gloss: common English words whose word vectors stand for the concept in the semantic part
 *   of the vector. Glosses matter most for words the word vectors do not know or place badly
 *   (loanwords such as "ryokan", tech words newer than the vectors, and phrases: "hot" + "spring"
 *   averaged is weather, not bathing).
 */
export interface ConceptDefinition {
  id: string;
  terms: string;
  gloss: string;
}

export const concept = (id: string, terms: string, gloss: string): ConceptDefinition => ({ id, terms, gloss });
