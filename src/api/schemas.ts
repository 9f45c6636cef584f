import { z } from '../contracts/zod.js';
import { IsoDateSchema } from '../contracts/search.js';
import { ITEM_STATUSES, PIPELINE_STEPS } from '../domain/item.js';

/** Wire shapes of the HTTP API. The OpenAPI document is generated from these same schemas. */

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      message: z.string().openapi({ example: 'Item not found' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const IdParamSchema = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '0b3f7c3e-1f0a-4a51-9c53-2f1f6a0e7a10' }),
});

export const AnalysisBodySchema = z
  .object({
    category: z.string(),
    subcategories: z.array(z.string()),
    headline: z.string(),
    summary: z.string(),
    media_metadata: z.object({
      original_poster: z.string().nullable(),
      tagged_accounts: z.array(z.string()),
      location_tags: z.array(z.string()),
      audio_source: z.string().nullable(),
      hashtags: z.array(z.string()),
    }),
    image_details: z.object({
      extracted_text: z.array(z.string()),
      objects: z.array(z.string()),
      themes: z.array(z.string()),
      emotions: z.array(z.string()),
      vibes: z.array(z.string()),
      likely_source: z.string().nullable(),
      key_interest: z.string().nullable(),
      visual_hierarchy: z.array(z.string()),
    }),
  })
  .openapi('AnalysisContent');

export const AnalysisSchema = z
  .object({
    id: z.string(),
    item_id: z.string(),
    version: z.number().int(),
    category: z.string(),
    subcategories: z.array(z.string()),
    headline: z.string(),
    summary: z.string(),
    raw: AnalysisBodySchema,
    provider: z.string(),
    model: z.string(),
    trace_id: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Analysis');

export const ItemSchema = z
  .object({
    id: z.string(),
    filename: z.string(),
    original_filename: z.string(),
    mime_type: z.string(),
    file_size: z.number().int(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    sha256: z.string(),
    status: z.enum(ITEM_STATUSES),
    error: z.string().nullable(),
    failed_step: z.enum(PIPELINE_STEPS).nullable(),
    category: z.string().nullable(),
    headline: z.string().nullable().openapi({ description: 'of the live analysis; null until analysed' }),
    captured_at: z.string().nullable(),
    gps: z.object({ latitude: z.number(), longitude: z.number() }).nullable(),
    image_url: z.string(),
    thumbnail_url: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Item');

export const ItemDetailSchema = ItemSchema.extend({
  // A union, not AnalysisSchema.nullable(): that made the shared Analysis component itself
  // nullable in the OpenAPI document (and every generated client type with it).
  analysis: z.union([AnalysisSchema, z.null()]),
}).openapi('ItemDetail');

export const FacetsSchema = z
  .object({
    total: z.number().int(),
    by_status: z.record(z.enum(ITEM_STATUSES), z.number().int()).openapi({ description: 'every status, 0 when none' }),
    categories: z
      .array(z.object({ category: z.string(), count: z.number().int() }))
      .openapi({ description: 'categories of the items’ live analyses, most items first' }),
  })
  .openapi('Facets');

export const NearDuplicateSchema = z
  .object({
    id: z.string(),
    distance: z.number().int().openapi({ description: 'differing bits of the 64-bit perceptual hashes (0: same picture)' }),
    headline: z.string().nullable(),
    thumbnail_url: z.string().nullable(),
  })
  .openapi('NearDuplicate');

export const UploadResultSchema = ItemDetailSchema.extend({
  duplicate: z
    .boolean()
    .openapi({ description: 'true when the caller already had these exact bytes; the existing item is returned, with its analysis' }),
  near_duplicates: z.array(NearDuplicateSchema).openapi({
    description: 'items of the caller that look like this image (perceptual hash), closest first; the upload is kept either way',
  }),
}).openapi('UploadResult');

export const SimilarItemsSchema = z
  .object({ items: z.array(ItemSchema.extend({ similarity: z.number().openapi({ description: 'cosine similarity, 0–1' }) })) })
  .openapi('SimilarItems');

export const SimilarQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(50).default(12) });

export const ItemListQuerySchema = z.object({
  // NUL and other control characters cannot be in a category (and Postgres text refuses NUL).
  category: z
    .string()
    .max(200)
    .transform((c) => c.replace(/[\u0000-\u001f\u007f]/g, ' ').trim())
    .optional(),
  status: z.enum(ITEM_STATUSES).optional(),
  date_from: IsoDateSchema.optional().openapi({ description: 'only items saved on or after this day (UTC)', example: '2026-01-31' }),
  date_to: IsoDateSchema.optional().openapi({ description: 'only items saved on or before this day (UTC)', example: '2026-12-31' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const ItemListSchema = z
  .object({
    items: z.array(ItemSchema),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('ItemList');

export const AnalyzeRequestSchema = z
  .object({
    force_reanalyze: z.boolean().default(false),
    provider: z.enum(['local', 'anthropic', 'openai']).optional(),
    model: z.string().min(1).max(200).optional(),
  })
  .strict()
  .openapi('AnalyzeRequest');

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    database: z.enum(['pglite', 'postgres']),
    item_count: z.number().int().nullable().openapi({ description: "the caller's items; null when the request is not signed in" }),
  })
  .openapi('Health');

export const VersionSchema = z
  .object({
    version: z.string(),
    git_sha: z.string(),
    git_tag: z.string().nullable(),
    build_time: z.string(),
    environment: z.string(),
  })
  .openapi('Version');

export const DeleteResultSchema = z.object({ deleted: z.literal(true), id: z.string() }).openapi('DeleteResult');

export const errorResponses = (...codes: (400 | 401 | 404 | 409 | 413 | 415 | 502 | 503 | 504)[]) =>
  Object.fromEntries(codes.map((c) => [c, { content: { 'application/json': { schema: ErrorSchema } }, description: ERROR_TEXT[c] }]));
const ERROR_TEXT = {
  400: 'Malformed request',
  401: 'Missing or invalid credentials',
  404: 'Not found (or not yours)',
  409: 'Not possible in the item’s current state',
  413: 'Upload too large',
  415: 'Not a supported image type',
  502: 'The AI provider failed',
  503: 'The feature is not configured',
  504: 'The AI provider did not answer in time',
} as const;
