/** Picks a screenshot's category from its text with the keyword rules of category-rules.ts. */
import { CATEGORY_RULES } from './category-rules.js';
import { destinationsIn } from './destinations.js';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * Whole word/phrase match, plurals included ("perfume" finds "perfumes"); letters on either
 * side (in any script) break the match.
 */
const wordPattern = (phrase: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(phrase)}(?:e?s)?(?![\\p{L}\\p{N}])`, 'iu');

/** Keywords this long are looked for inside hashtags too ("#japantravel", "#skincareroutine"). */
const MIN_HASHTAG_KEYWORD = 4;

const COMPILED = CATEGORY_RULES.map((rule) => ({
  rule,
  matchers: [
    ...rule.keywords.map((k) => ({ name: k, re: wordPattern(k) })),
    ...Object.entries(rule.patterns ?? {}).map(([name, re]) => ({ name, re })),
  ],
  hashtagWords: rule.keywords.filter((k) => k.length >= MIN_HASHTAG_KEYWORD && /^[\p{L}]+$/u.test(k)),
}));

export interface CategoryMatch {
  category: string;
  themes: string[];
  /** Matched keywords, in the order they first appear in the text. */
  keywords: string[];
}

/**
 * The category with the most distinct keywords in the text; ties go to the earlier rule.
 * Hashtags count for the keywords inside them, and each destination named (destinations.ts)
 * counts for Travel: a screenshot that names Fukuoka and a ramen shop is a travel find.
 */
export function matchCategory(text: string): CategoryMatch {
  const hashtags = [...text.matchAll(/#([\p{L}\p{N}_]{3,})/gu)].map((m) => ({ tag: m[1]!.toLowerCase(), at: m.index }));
  const places = destinationsIn(text);
  let best: CategoryMatch | null = null;
  for (const { rule, matchers, hashtagWords } of COMPILED) {
    const found = matchers.map((m) => ({ name: m.name, at: text.search(m.re) })).filter((m) => m.at >= 0);
    const named = new Set(found.map((m) => m.name));
    for (const { tag, at } of hashtags) {
      for (const word of hashtagWords) {
        if (!named.has(word) && tag.includes(word)) {
          found.push({ name: word, at });
          named.add(word);
        }
      }
    }
    if (rule.category === 'Travel') found.push(...places.map((p) => ({ name: p.name, at: p.at })));
    found.sort((a, b) => a.at - b.at);
    if (found.length > 0 && (!best || found.length > best.keywords.length)) {
      best = { category: rule.category, themes: rule.themes, keywords: found.map((m) => m.name) };
    }
  }
  return best ?? { category: 'Other', themes: [], keywords: [] };
}
