import { z } from 'zod';

/**
 * The analysis schema is collections-local's (DESIGN.md §3), so its data imports unchanged.
 * Models are forgiving about empty fields (null vs [] vs missing); the schema normalises those
 * to one shape instead of failing an otherwise good reply. Wrong types still fail.
 */
const text = z.string().trim();
const list = z
  .array(z.string())
  .nullish()
  .transform((v) => (v ?? []).map((s) => s.trim()).filter((s) => s.length > 0));
const optionalText = z
  .string()
  .nullish()
  .transform((v) => (v == null || v.trim() === '' ? null : v.trim()));

export const MediaMetadataSchema = z.object({
  original_poster: optionalText,
  tagged_accounts: list,
  location_tags: list,
  audio_source: optionalText,
  hashtags: list,
});

export const ImageDetailsSchema = z.object({
  extracted_text: list,
  objects: list,
  themes: list,
  emotions: list,
  vibes: list,
  likely_source: optionalText,
  key_interest: optionalText,
  visual_hierarchy: list,
});

export const AnalysisSchema = z.object({
  category: text.min(1, 'category must not be empty'),
  subcategories: list,
  // Required, but may be empty: collections-local has reviewed analyses with an empty
  // headline and summary, and an import must keep them as they are.
  headline: text,
  summary: text,
  media_metadata: MediaMetadataSchema.nullish().transform((v) => v ?? MediaMetadataSchema.parse({})),
  image_details: ImageDetailsSchema.nullish().transform((v) => v ?? ImageDetailsSchema.parse({})),
});

/** What a provider must return (input shape, before normalisation). */
export type AnalysisInput = z.input<typeof AnalysisSchema>;
/** A validated, normalised analysis: what is stored as `raw`. */
export type Analysis = z.output<typeof AnalysisSchema>;

/** The JSON shape described to vision models in their prompt. */
export const ANALYSIS_JSON_SHAPE = `{
  "category": string,            // one broad category, e.g. "Travel", "Food", "Technology", "Beauty"
  "subcategories": string[],     // 1-4 narrower topics
  "headline": string,            // one line saying what this is and why it was saved
  "summary": string,             // 2-4 sentences with the concrete facts (names, places, prices, hours)
  "media_metadata": {
    "original_poster": string | null,
    "tagged_accounts": string[],
    "location_tags": string[],   // every place named or shown
    "audio_source": string | null,
    "hashtags": string[]
  },
  "image_details": {
    "extracted_text": string[],  // every line of text in the image, in reading order
    "objects": string[],
    "themes": string[],
    "emotions": string[],
    "vibes": string[],
    "likely_source": string | null, // app or site the screenshot comes from, e.g. "TikTok", "Instagram"
    "key_interest": string | null,  // the one thing the saver most likely cared about
    "visual_hierarchy": string[]    // most to least prominent elements
  }
}`;

/**
 * The flat document the search row is built from (DESIGN.md §3): every field a person might
 * search by, most telling first.
 */
export function flatDocument(a: Analysis): string {
  const parts: (string | null)[] = [
    a.summary,
    a.headline,
    a.category,
    a.subcategories.join(', '),
    a.image_details.extracted_text.join('\n'),
    a.image_details.key_interest,
    a.image_details.themes.join(', '),
    a.image_details.objects.join(', '),
    a.image_details.emotions.join(', '),
    a.image_details.vibes.join(', '),
    a.media_metadata.location_tags.join(', '),
    a.media_metadata.hashtags.join(' '),
  ];
  return parts.filter((p): p is string => !!p && p.length > 0).join('\n');
}
