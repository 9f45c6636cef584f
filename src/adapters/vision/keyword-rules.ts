import { destinationsIn } from './destinations.js';

/**
 * Keyword rules for the offline provider: they stand in for a vision model's judgement, so they
 * favour precision (whole words, a few telling terms per category) over coverage.
 */

interface CategoryRule {
  category: string;
  themes: string[];
  /** Whole words or phrases, lower case. */
  keywords: string[];
  /** Extra patterns that count as one keyword each (name → pattern). */
  patterns?: Record<string, RegExp>;
}

export const CATEGORY_RULES: CategoryRule[] = [
  {
    category: 'Food',
    themes: ['food', 'dining'],
    keywords: [
      'ramen',
      'sushi',
      'restaurant',
      'menu',
      'cafe',
      'café',
      'coffee',
      'bakery',
      'brunch',
      'lunch',
      'dinner',
      'breakfast',
      'recipe',
      'pizza',
      'burger',
      'noodles',
      'tacos',
      'dessert',
      'matcha',
      'latte',
      'bistro',
      'izakaya',
      'food',
      'foodie',
      'delicious',
      'eats',
      'cocktail',
      'wine',
      'tasting',
      'chef',
      'ingredients',
      'yakitori',
      'udon',
      'dumplings',
    ],
  },
  {
    category: 'Travel',
    themes: ['travel', 'places'],
    keywords: [
      'hotel',
      'flight',
      'flights',
      'onsen',
      'trip',
      'tour',
      'museum',
      'travel',
      'itinerary',
      'airport',
      'beach',
      'resort',
      'booking',
      'hostel',
      'ryokan',
      'temple',
      'shrine',
      'island',
      'sunset',
      'hiking',
      'vacation',
      'passport',
      'visa',
      'destination',
      'sightseeing',
      'village',
      'castle',
      'wanderlust',
      'airbnb',
      'check-in',
      'train',
      'station',
    ],
  },
  {
    category: 'Technology',
    themes: ['technology', 'software'],
    keywords: [
      'code',
      'api',
      'app',
      'github',
      'ai',
      'developer',
      'software',
      'javascript',
      'typescript',
      'python',
      'deploy',
      'deploying',
      'server',
      'database',
      'aws',
      'lambda',
      'cloud',
      'open source',
      'npm',
      'react',
      'node',
      'llm',
      'gpu',
      'programming',
      'kubernetes',
      'docker',
      'linux',
      'terminal',
      'startup',
      'iphone',
      'android',
      'laptop',
    ],
  },
  {
    category: 'Beauty',
    themes: ['beauty', 'self-care'],
    keywords: [
      'spa',
      'skincare',
      'perfume',
      'salon',
      'makeup',
      'serum',
      'moisturizer',
      'lipstick',
      'fragrance',
      'nails',
      'manicure',
      'haircut',
      'cosmetics',
      'sunscreen',
      'facial',
      'massage',
    ],
  },
  {
    category: 'Shopping',
    themes: ['shopping', 'products'],
    keywords: [
      'price',
      'cart',
      'order',
      'buy',
      'sale',
      'discount',
      'shop',
      'checkout',
      'shipping',
      'add to cart',
      'in stock',
      'deal',
      'coupon',
      'store',
      'amazon',
      'delivery',
    ],
    patterns: { price: /[$€£¥]\s?\d/, 'percent off': /\d\s?% off\b/i },
  },
  {
    category: 'Music',
    themes: ['music'],
    keywords: [
      'song',
      'album',
      'playlist',
      'spotify',
      'concert',
      'band',
      'lyrics',
      'vinyl',
      'tour dates',
      'festival',
      'dj',
      'guitar',
      'piano',
      'soundcloud',
    ],
  },
  {
    category: 'Finance',
    themes: ['finance', 'money'],
    keywords: [
      'stock',
      'stocks',
      'invest',
      'investing',
      'portfolio',
      'crypto',
      'bitcoin',
      'bank',
      'budget',
      'savings',
      'interest rate',
      'dividend',
      'etf',
      'mortgage',
      'tax',
      'loan',
      'credit card',
      'revenue',
    ],
  },
  {
    category: 'Education',
    themes: ['learning'],
    keywords: [
      'course',
      'lesson',
      'tutorial',
      'learn',
      'learning',
      'study',
      'university',
      'class',
      'lecture',
      'guide',
      'how to',
      'tips',
      'exam',
      'school',
      'homework',
      'book',
    ],
  },
  {
    category: 'Entertainment',
    themes: ['entertainment'],
    keywords: [
      'movie',
      'film',
      'netflix',
      'episode',
      'season',
      'trailer',
      'series',
      'game',
      'gaming',
      'anime',
      'comedy',
      'cinema',
      'theater',
      'theatre',
      'meme',
      'podcast',
    ],
  },
  {
    category: 'Fashion',
    themes: ['fashion', 'style'],
    keywords: [
      'outfit',
      'dress',
      'sneakers',
      'jacket',
      'fashion',
      'style',
      'ootd',
      'shoes',
      'jeans',
      'streetwear',
      'wardrobe',
      'designer',
      'vintage',
      'boots',
    ],
  },
  {
    category: 'Fitness',
    themes: ['health', 'fitness'],
    keywords: [
      'workout',
      'gym',
      'fitness',
      'yoga',
      'running',
      'training',
      'reps',
      'protein',
      'cardio',
      'pilates',
      'marathon',
      'exercise',
    ],
  },
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * Whole word/phrase match, plurals included ("perfume" finds "perfumes"); letters on either
 * side (in any script) break the match.
 */
const wordPattern = (phrase: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(phrase)}(?:e?s)?(?![\\p{L}\\p{N}])`, 'iu');

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

/** UI text that gives away the app a screenshot was taken in; the first match wins. */
export const SOURCE_RULES: { source: string; patterns: RegExp[] }[] = [
  {
    source: 'TikTok',
    patterns: [
      /\btiktok\b/i,
      /\boriginal sound\b/i,
      /\bfor you\b.*\bfollowing\b|\bfollowing\b.*\bfor you\b/is,
    ],
  },
  {
    source: 'Instagram',
    patterns: [
      /\binstagram\b/i,
      /\bliked by\b.+\band [\d,.]+k? others\b/i,
      /\bview all [\d,]+ comments\b/i,
    ],
  },
  {
    source: 'Google Maps',
    patterns: [/\bgoogle maps\b/i, /\bdirections\b[\s\S]*\b(reviews?|open now|closes|opens)\b/i],
  },
  {
    source: 'YouTube',
    patterns: [/\byoutube\b/i, /\bsubscribe\b[\s\S]*\bviews\b|\bviews\b[\s\S]*\bsubscribe\b/i],
  },
  {
    source: 'Twitter/X',
    patterns: [
      /\btwitter\b|\btweet(s|ed)?\b|\bretweets?\b|\breposts?\b[\s\S]*\bquotes?\b/i,
      /\bx\.com\b/i,
    ],
  },
  {
    source: 'Reddit',
    patterns: [
      /\breddit\b/i,
      /(^|\s)r\/[A-Za-z0-9_]{2,}/,
      /(^|\s)u\/[A-Za-z0-9_-]{3,}/,
      /\bupvotes?\b/i,
    ],
  },
  { source: 'Pinterest', patterns: [/\bpinterest\b/i] },
  { source: 'Facebook', patterns: [/\bfacebook\b/i] },
  { source: 'LinkedIn', patterns: [/\blinkedin\b/i] },
  {
    // A URL bar or a bare domain: some web page.
    source: 'Web',
    patterns: [
      /\bhttps?:\/\//i,
      /\bwww\.[a-z0-9-]+\./i,
      /\b[a-z0-9-]+\.(com|org|net|io|dev|app|co|jp|uk|de|fr)(\/\S*)?\b/i,
    ],
  },
];

export function matchSource(text: string): string | null {
  return SOURCE_RULES.find((r) => r.patterns.some((p) => p.test(text)))?.source ?? null;
}
