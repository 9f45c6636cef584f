/**
 * Keyword rules for the offline provider: they stand in for a vision model's judgement, so they
 * favour precision (whole words, a few telling terms per category) over coverage.
 *
 * The category rules are data in category-rules.ts, matched by category-match.ts; the rules
 * that recognise the app a screenshot comes from are in source-rules.ts.
 */
export { CATEGORY_RULES } from './category-rules.js';
export { matchCategory, type CategoryMatch } from './category-match.js';
export { SOURCE_RULES, matchSource } from './source-rules.js';
