/** Which app a screenshot was taken in, from the UI text it shows. */

/** UI text that gives away the app a screenshot was taken in; the first match wins. */
export const SOURCE_RULES: { source: string; patterns: RegExp[] }[] = [
  {
    source: 'TikTok',
    patterns: [/\btiktok\b/i, /\boriginal sound\b/i, /\bfor you\b.*\bfollowing\b|\bfollowing\b.*\bfor you\b/is],
  },
  {
    source: 'Instagram',
    patterns: [/\binstagram\b/i, /\bliked by\b.+\band [\d,.]+k? others\b/i, /\bview all [\d,]+ comments\b/i],
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
    patterns: [/\btwitter\b|\btweet(s|ed)?\b|\bretweets?\b|\breposts?\b[\s\S]*\bquotes?\b/i, /\bx\.com\b/i],
  },
  {
    source: 'Reddit',
    patterns: [/\breddit\b/i, /(^|\s)r\/[A-Za-z0-9_]{2,}/, /(^|\s)u\/[A-Za-z0-9_-]{3,}/, /\bupvotes?\b/i],
  },
  { source: 'Pinterest', patterns: [/\bpinterest\b/i] },
  { source: 'Facebook', patterns: [/\bfacebook\b/i] },
  { source: 'LinkedIn', patterns: [/\blinkedin\b/i] },
  {
    // A URL bar or a bare domain: some web page.
    source: 'Web',
    patterns: [/\bhttps?:\/\//i, /\bwww\.[a-z0-9-]+\./i, /\b[a-z0-9-]+\.(com|org|net|io|dev|app|co|jp|uk|de|fr)(\/\S*)?\b/i],
  },
];

export function matchSource(text: string): string | null {
  return SOURCE_RULES.find((r) => r.patterns.some((p) => p.test(text)))?.source ?? null;
}
