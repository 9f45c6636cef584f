/** What the scripted vision model says of the journey's three screenshots, told apart by width. */
export const ANALYSES = {
  ramen: {
    category: 'Food',
    subcategories: ['ramen', 'restaurant'],
    headline: 'Ichiran Ramen in Fukuoka',
    summary: 'A tonkotsu ramen shop in Fukuoka that is open 24 hours.',
    media_metadata: { location_tags: ['Fukuoka, Japan'], hashtags: ['#ramen', '#fukuoka'] },
    image_details: { extracted_text: ['Ichiran Ramen', 'Tonkotsu ramen', 'Open 24 hours'], themes: ['food', 'travel'], vibes: ['cozy'] },
  },
  onsen: {
    category: 'Travel',
    subcategories: ['onsen', 'hot spring'],
    headline: 'Kurokawa Onsen hot spring village',
    summary: 'A ryokan town in Kumamoto with outdoor baths facing the mountains.',
    media_metadata: { location_tags: ['Kumamoto, Japan'], hashtags: ['#onsen'] },
    image_details: { extracted_text: ['Kurokawa Onsen', 'Outdoor baths'], themes: ['relaxation'], vibes: ['calm'] },
  },
  cursor: {
    category: 'Technology',
    subcategories: ['AI', 'developer tools'],
    headline: 'Cursor: an AI code editor',
    summary: 'An AI-powered coding tool that writes and edits code with you.',
    image_details: { extracted_text: ['Cursor', 'The AI Code Editor'], themes: ['software'] },
  },
};
export const WIDTHS = { ramen: 600, onsen: 640, cursor: 680 } as const;
