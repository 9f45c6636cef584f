import { randomUUID } from 'node:crypto';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z, type zod } from '../zod.js';
import { bodyLimit } from 'hono/body-limit';
import { AppError, PermanentError, errorMessage, notFound } from '../../domain/errors.js';
import { ITEM_STATUSES, cleanFilename, objectKeys, type Item } from '../../domain/item.js';
import { ItemsRepository } from '../../repositories/items.js';
import { AnalysesRepository } from '../../repositories/analyses.js';
import { inspectUpload } from '../../pipeline/image/inspect.js';
import { sha256Hex } from '../../pipeline/image/process.js';
import { analyzeStep } from '../../pipeline/steps.js';
import { retryFailed } from '../../pipeline/pipeline.js';
import type { Services } from '../../app/services.js';
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
    params: z.object({ filename: z.string().min(1).max(255).openapi({ param: { name: 'filename', in: 'path' }, example: '0b6c…e1.png' }) }),
  },
  responses: {
    200: { content: { 'image/*': { schema: z.any().openapi({ type: 'string', format: 'binary' }) } }, description: 'Image bytes' },
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

export function registerItemRoutes(app: OpenAPIHono<AppEnv>, services: Services) {
  const items = new ItemsRepository(services.db);
  const analyses = new AnalysesRepository(services.db);
  const { store, bus, config } = services;

  /** An item as GET /items/{id} shows it: with its live analysis, and the category and headline from it. */
  const itemDetail = async (userId: string, item: Item) => {
    const latest = await analyses.latest(userId, item.id);
    return {
      ...itemToWire({ ...item, category: latest?.category ?? null, headline: latest?.headline ?? null }),
      analysis: latest ? analysisToWire(latest) : null,
    };
  };

  /** An object's bytes as an image response (originals and thumbnails alike). */
  const sendImage = async (c: Context, key: string, contentType: string, what: string) => {
    const bytes = await store.get(key);
    if (!bytes) throw notFound(what);
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': contentType,
      'Cache-Control': 'private, max-age=86400, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  };

  app.use(
    '/items',
    bodyLimit({
      maxSize: config.limits.maxUploadBytes + 64 * 1024, // room for multipart framing
      onError: (c) =>
        c.json(
          errorBody('payload_too_large', `Uploads are limited to ${Math.round(config.limits.maxUploadBytes / 1048576)} MB.`),
          413,
        ),
    }),
  );

  app.openapi(uploadRoute, async (c) => {
    const { userId } = c.get('caller');
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
    if (file.size > config.limits.maxUploadBytes) {
      throw new AppError(413, 'payload_too_large', `Uploads are limited to ${Math.round(config.limits.maxUploadBytes / 1048576)} MB.`);
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const inspected = await inspectUpload(bytes, { maxPixels: config.limits.maxImagePixels });
    const sha256 = sha256Hex(bytes);

    const existing = await items.findBySha256(userId, sha256);
    if (existing) return c.json({ ...(await itemDetail(userId, existing)), duplicate: true }, 200);

    // Stored before anything else happens to it: a crash after this point loses nothing.
    const id = randomUUID();
    const originalKey = objectKeys.original(userId, id, inspected.ext);
    await store.put(originalKey, bytes, inspected.mimeType);
    const { item, created } = await items.insertOrGetDuplicate({
      id,
      user_id: userId,
      filename: `${id}.${inspected.ext}`,
      original_filename: cleanFilename(file.name) || `${id}.${inspected.ext}`,
      mime_type: inspected.mimeType,
      file_size: bytes.length,
      sha256,
      original_key: originalKey,
      width: inspected.width,
      height: inspected.height,
    });
    if (!created) {
      await store.delete(originalKey); // lost a race with the same bytes: keep one copy
      return c.json({ ...(await itemDetail(userId, item)), duplicate: true }, 200);
    }
    await bus.publish({ type: 'ImageUploaded', detail: { item_id: id, user_id: userId, original_key: originalKey } });
    return c.json({ ...itemToWire(item), analysis: null, duplicate: false }, 201);
  });

  app.openapi(listRoute, async (c) => {
    const { userId } = c.get('caller');
    const q = c.req.valid('query');
    const page = await items.list(userId, q);
    return c.json({ items: page.items.map(itemToWire), total: page.total, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(facetsRoute, async (c) => {
    const { userId } = c.get('caller');
    const [byStatus, categories] = await Promise.all([items.countByStatus(userId), items.categoryCounts(userId)]);
    const by_status = Object.fromEntries(ITEM_STATUSES.map((s) => [s, byStatus[s] ?? 0])) as Record<(typeof ITEM_STATUSES)[number], number>;
    return c.json({ total: Object.values(by_status).reduce((a, b) => a + b, 0), by_status, categories }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const { userId } = c.get('caller');
    const item = await items.get(userId, c.req.valid('param').id);
    if (!item) throw notFound('Item');
    return c.json(await itemDetail(userId, item), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { userId } = c.get('caller');
    const { id } = c.req.valid('param');
    const item = await items.get(userId, id);
    if (!item) throw notFound('Item');
    // Row first (analyses and search row cascade), then the objects: a failure in between
    // leaves orphaned bytes, never a row that points at nothing. The thumbnail's key is the
    // one process_image writes, whether or not the row knew of it yet (a step mid-way); a step
    // that writes it after this finds no row and removes it itself (pipeline/steps.ts).
    await items.delete(userId, id);
    await Promise.all([store.delete(item.original_key), store.delete(objectKeys.thumbnail(userId, id))]);
    return c.json({ deleted: true as const, id }, 200);
  });

  app.openapi(analyzeRoute, async (c) => {
    const { userId } = c.get('caller');
    const { id } = c.req.valid('param');
    // The body is optional; when sent as JSON it has been validated against AnalyzeRequestSchema.
    const body = (c.req.valid('json') as zod.infer<typeof AnalyzeRequestSchema> | undefined) ?? { force_reanalyze: false };
    const item = await items.get(userId, id);
    if (!item) throw notFound('Item');
    const live = await analyses.latest(userId, id);
    if (live && !body.force_reanalyze) return c.json(analysisToWire(live), 200);
    if (!item.thumbnail_key || item.status === 'uploaded') {
      throw new AppError(409, 'item_not_processed', 'The image is still being processed; try again when its status is analyzed or ready.');
    }
    try {
      const record = await analyzeStep(services.steps, { item_id: id, user_id: userId }, {
        force: true,
        provider: body.provider,
        model: body.model,
      });
      if (!record) throw notFound('Item');
      return c.json(analysisToWire(record), 201);
    } catch (err) {
      if (err instanceof AppError) throw err;
      // The previous analysis stays live; nothing about the item changed.
      throw new AppError(502, err instanceof PermanentError ? 'invalid_model_reply' : 'provider_error', errorMessage(err));
    }
  });

  app.openapi(listAnalysesRoute, async (c) => {
    const { userId } = c.get('caller');
    const { id } = c.req.valid('param');
    if (!(await items.get(userId, id))) throw notFound('Item');
    return c.json({ analyses: (await analyses.listForItem(userId, id)).map(analysisToWire) }, 200);
  });

  app.openapi(getAnalysisRoute, async (c) => {
    const a = await analyses.get(c.get('caller').userId, c.req.valid('param').id);
    if (!a) throw notFound('Analysis');
    return c.json(analysisToWire(a), 200);
  });

  for (const kind of ['image', 'thumbnail'] as const) {
    app.openapi(imageRoute(kind), async (c) => {
      const item = await items.get(c.get('caller').userId, c.req.valid('param').id);
      const key = kind === 'image' ? item?.original_key : item?.thumbnail_key;
      const what = kind === 'image' ? 'Image' : 'Thumbnail';
      if (!item || !key) throw notFound(what);
      return (await sendImage(c, key, kind === 'image' ? item.mime_type : 'image/webp', what)) as never;
    });
  }

  app.openapi(legacyImageRoute, async (c) => {
    const item = await items.findByFilename(c.get('caller').userId, c.req.valid('param').filename);
    if (!item) throw notFound('Image');
    return (await sendImage(c, item.original_key, item.mime_type, 'Image')) as never;
  });

  app.openapi(retryRoute, async (c) => {
    const { userId } = c.get('caller');
    const { id } = c.req.valid('param');
    const item = await items.get(userId, id);
    if (!item) throw notFound('Item');
    if (item.status !== 'failed') {
      throw new AppError(409, 'not_failed', `Only failed items can be retried; this one is ${item.status}.`);
    }
    await retryFailed(services.steps, { item_id: id, user_id: userId });
    const after = await items.get(userId, id);
    return c.json(itemToWire(after ?? item), 202);
  });
}
