import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z, type zod } from '../../contracts/zod.js';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../domain/errors.js';
import type { NearDuplicate } from '../../domain/item.js';
import type { Services } from '../../services/services.js';
import type { ItemDetail } from '../../services/items/item-service.js';
import type { AppEnv } from '../context.js';
import { errorBody } from '../errors.js';
import { analysisToWire, itemToWire } from '../serialize.js';
import {
  AnalysisSchema,
  AnalyzeRequestSchema,
  DeleteResultSchema,
  FacetsSchema,
  IdParamSchema,
  ItemDetailSchema,
  ItemListQuerySchema,
  ItemListSchema,
  ItemSchema,
  NearDuplicateSchema,
  SimilarItemsSchema,
  SimilarQuerySchema,
  UploadResultSchema,
  errorResponses,
} from '../schemas.js';

const json = <T>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const uploadRoute = createRoute({
  method: 'post',
  path: '/items',
  tags: ['items'],
  summary: 'Upload an image (png, jpeg, webp, gif, heic)',
  request: {
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          // Checked by the handler (not the validator) so a missing file gets its own clear error.
          schema: z.object({
            file: z.any().optional().openapi({ type: 'string', format: 'binary', description: 'The image (required)' }),
          }),
        },
      },
    },
  },
  responses: {
    201: json(UploadResultSchema, 'Stored; processing has started'),
    200: json(UploadResultSchema, 'The caller already had this exact image; the existing item'),
    ...errorResponses(400, 401, 413, 415),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/items',
  tags: ['items'],
  summary: "The caller's items, newest first",
  request: { query: ItemListQuerySchema },
  responses: { 200: json(ItemListSchema, 'A page of items'), ...errorResponses(400, 401) },
});

const facetsRoute = createRoute({
  method: 'get',
  path: '/categories',
  tags: ['items'],
  summary: "Counts of the caller's items by status and by category (filters and their counts)",
  responses: { 200: json(FacetsSchema, 'The counts'), ...errorResponses(401) },
});

const getRoute = createRoute({
  method: 'get',
  path: '/items/{id}',
  tags: ['items'],
  summary: 'One item with its latest analysis',
  request: { params: IdParamSchema },
  responses: { 200: json(ItemDetailSchema, 'The item'), ...errorResponses(401, 404) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/items/{id}',
  tags: ['items'],
  summary: 'Delete an item, its analyses, search row, original and thumbnail',
  request: { params: IdParamSchema },
  responses: { 200: json(DeleteResultSchema, 'Deleted'), ...errorResponses(401, 404) },
});

const analyzeRoute = createRoute({
  method: 'post',
  path: '/items/{id}/analyze',
  tags: ['analyses'],
  summary: 'Analyse (or with force_reanalyze, re-analyse as a new version)',
  request: {
    params: IdParamSchema,
    body: { required: false, content: { 'application/json': { schema: AnalyzeRequestSchema } } },
  },
  responses: {
    200: json(AnalysisSchema, 'The live analysis (not forced)'),
    201: json(AnalysisSchema, 'A new analysis version'),
    ...errorResponses(400, 401, 404, 409, 502),
  },
});

const listAnalysesRoute = createRoute({
  method: 'get',
  path: '/items/{id}/analyses',
  tags: ['analyses'],
  summary: 'Every analysis version of an item, newest first',
  request: { params: IdParamSchema },
  responses: { 200: json(z.object({ analyses: z.array(AnalysisSchema) }), 'Versions'), ...errorResponses(401, 404) },
});

const getAnalysisRoute = createRoute({
  method: 'get',
  path: '/analyses/{id}',
  tags: ['analyses'],
  summary: 'One analysis',
  request: { params: IdParamSchema },
  responses: { 200: json(AnalysisSchema, 'The analysis'), ...errorResponses(401, 404) },
});

const imageRoute = (kind: 'image' | 'thumbnail') =>
  createRoute({
    method: 'get',
    path: `/items/{id}/${kind}`,
    tags: ['items'],
    summary: kind === 'image' ? 'The original image' : 'The 512×512 WebP thumbnail, cropped to the content',
    request: { params: IdParamSchema },
    responses: {
      200: { content: { 'image/*': { schema: z.any().openapi({ type: 'string', format: 'binary' }) } }, description: 'Image bytes' },
      ...errorResponses(401, 404),
    },
  });

/** collections-local served originals at /images/{filename}; its clients still ask there. */
const legacyImageRoute = createRoute({
  method: 'get',
  path: '/images/{filename}',
  tags: ['items'],
  summary: 'The original image by its stored file name (collections-local compatible)',
  description: 'The item’s `filename` (`{id}.{ext}`), as collections-local named its image files. Same bytes as GET /items/{id}/image.',
  request: {
    params: z.object({
      filename: z
        .string()
        .min(1)
        .max(255)
        .openapi({ param: { name: 'filename', in: 'path' }, example: '0b6c…e1.png' }),
    }),
  },
  responses: {
    200: { content: { 'image/*': { schema: z.any().openapi({ type: 'string', format: 'binary' }) } }, description: 'Image bytes' },
    ...errorResponses(401, 404),
  },
});

const similarRoute = createRoute({
  method: 'get',
  path: '/items/{id}/similar',
  tags: ['items'],
  summary: 'Items nearest in meaning (vector neighbours), most similar first',
  request: { params: IdParamSchema, query: SimilarQuerySchema },
  responses: { 200: json(SimilarItemsSchema, 'Similar items (none when the item has no embedding yet)'), ...errorResponses(400, 401, 404) },
});

const nearDuplicatesRoute = createRoute({
  method: 'get',
  path: '/items/{id}/near-duplicates',
  tags: ['items'],
  summary: 'Items that look like this one (perceptual hash), closest first',
  request: { params: IdParamSchema },
  responses: {
    200: json(z.object({ near_duplicates: z.array(NearDuplicateSchema) }), 'Near duplicates (none until the image is processed)'),
    ...errorResponses(401, 404),
  },
});

const retryRoute = createRoute({
  method: 'post',
  path: '/items/{id}/retry',
  tags: ['items'],
  summary: 'Resume a failed item from the step that failed',
  request: { params: IdParamSchema },
  responses: { 202: json(ItemSchema, 'Back in the pipeline'), ...errorResponses(401, 404, 409) },
});

/** An item and its live analysis on the wire (GET /items/{id}, uploads). */
const detailToWire = ({ item, analysis }: ItemDetail) => ({ ...itemToWire(item), analysis: analysis ? analysisToWire(analysis) : null });

/** A near duplicate on the wire: a thumbnail URL instead of the key's presence. */
const nearToWire = (d: NearDuplicate) => ({
  id: d.id,
  distance: d.distance,
  headline: d.headline,
  thumbnail_url: d.has_thumbnail ? `/items/${d.id}/thumbnail` : null,
});

/** An object's bytes as an image response (originals and thumbnails alike). */
const imageResponse = (c: Context, { bytes, contentType }: { bytes: Buffer; contentType: string }) =>
  c.body(new Uint8Array(bytes), 200, {
    'Content-Type': contentType,
    'Cache-Control': 'private, max-age=86400, immutable',
    'X-Content-Type-Options': 'nosniff',
  });

/** HTTP in and out of the item use cases (services/items). */
export function registerItemRoutes(app: OpenAPIHono<AppEnv>, services: Services) {
  const { items, config } = services;
  const tooLarge = () => `Uploads are limited to ${Math.round(config.limits.maxUploadBytes / 1048576)} MB.`;

  app.use(
    '/items',
    bodyLimit({
      maxSize: config.limits.maxUploadBytes + 64 * 1024, // room for multipart framing
      onError: (c) => c.json(errorBody('payload_too_large', tooLarge()), 413),
    }),
  );

  app.openapi(uploadRoute, async (c) => {
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      throw new AppError(400, 'invalid_multipart', 'Send the image as multipart/form-data with a "file" field.');
    }
    const file = form['file'];
    if (!(file instanceof File)) {
      throw new AppError(400, 'missing_file', 'Send the image as multipart/form-data with a "file" field.');
    }
    if (file.size > config.limits.maxUploadBytes) throw new AppError(413, 'payload_too_large', tooLarge());
    const bytes = Buffer.from(await file.arrayBuffer());
    const { duplicate, nearDuplicates, ...detail } = await items.upload(c.get('caller').userId, { bytes, name: file.name });
    return c.json({ ...detailToWire(detail), duplicate, near_duplicates: nearDuplicates.map(nearToWire) }, duplicate ? 200 : 201);
  });

  app.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await items.list(c.get('caller').userId, q);
    return c.json({ items: page.items.map(itemToWire), total: page.total, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(facetsRoute, async (c) => c.json(await items.facets(c.get('caller').userId), 200));

  app.openapi(getRoute, async (c) => c.json(detailToWire(await items.detail(c.get('caller').userId, c.req.valid('param').id)), 200));

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    await items.delete(c.get('caller').userId, id);
    return c.json({ deleted: true as const, id }, 200);
  });

  app.openapi(analyzeRoute, async (c) => {
    // The body is optional; when sent as JSON it has been validated against AnalyzeRequestSchema.
    const body = (c.req.valid('json') as zod.infer<typeof AnalyzeRequestSchema> | undefined) ?? { force_reanalyze: false };
    const { analysis, created } = await items.analyze(c.get('caller').userId, c.req.valid('param').id, body);
    return c.json(analysisToWire(analysis), created ? 201 : 200);
  });

  app.openapi(listAnalysesRoute, async (c) => {
    const versions = await items.analysesOf(c.get('caller').userId, c.req.valid('param').id);
    return c.json({ analyses: versions.map(analysisToWire) }, 200);
  });

  app.openapi(getAnalysisRoute, async (c) =>
    c.json(analysisToWire(await items.analysis(c.get('caller').userId, c.req.valid('param').id)), 200),
  );

  for (const kind of ['image', 'thumbnail'] as const) {
    app.openapi(
      imageRoute(kind),
      async (c) => imageResponse(c, await items.image(c.get('caller').userId, c.req.valid('param').id, kind)) as never,
    );
  }

  app.openapi(
    legacyImageRoute,
    async (c) => imageResponse(c, await items.imageByFilename(c.get('caller').userId, c.req.valid('param').filename)) as never,
  );

  app.openapi(similarRoute, async (c) => {
    const similar = await items.similar(c.get('caller').userId, c.req.valid('param').id, c.req.valid('query').limit);
    return c.json({ items: similar.map((i) => ({ ...itemToWire(i), similarity: Math.round(i.similarity * 10_000) / 10_000 })) }, 200);
  });

  app.openapi(nearDuplicatesRoute, async (c) => {
    const near = await items.nearDuplicates(c.get('caller').userId, c.req.valid('param').id);
    return c.json({ near_duplicates: near.map(nearToWire) }, 200);
  });

  app.openapi(retryRoute, async (c) => c.json(itemToWire(await items.retry(c.get('caller').userId, c.req.valid('param').id)), 202));
}
