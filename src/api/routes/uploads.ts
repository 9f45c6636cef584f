import { randomUUID } from 'node:crypto';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from '../zod.js';
import { AppError } from '../../domain/errors.js';
import { SUPPORTED_MIME_TYPES, cleanFilename, objectKeys, type SupportedMimeType } from '../../domain/item.js';
import { ItemsRepository } from '../../repositories/items.js';
import { pendingSha256 } from '../../aws/pending-upload.js';
import type { Services } from '../../app/services.js';
import type { AppEnv } from '../context.js';
import { itemToWire } from '../serialize.js';
import { ItemSchema, errorResponses } from '../schemas.js';

const SUPPORTED = Object.keys(SUPPORTED_MIME_TYPES) as SupportedMimeType[];
const isSupported = (t: string): t is SupportedMimeType => (SUPPORTED as string[]).includes(t);

const UploadRequestSchema = z
  .object({
    filename: z.string().min(1).max(1024).openapi({ example: 'IMG_0042.png', description: 'Shown back to the user; paths are stripped' }),
    content_type: z.string().min(1).max(255).openapi({ example: 'image/png', description: SUPPORTED.join(', ') }),
    size: z.number().int().positive().openapi({ example: 482113, description: 'Bytes; at most MAX_UPLOAD_BYTES' }),
  })
  .strict()
  .openapi('UploadRequest');

const UploadTicketSchema = z
  .object({
    item: ItemSchema,
    upload: z.object({
      method: z.literal('POST'),
      url: z.string(),
      fields: z.record(z.string(), z.string()).openapi({ description: 'Send every one as a form field, before the file' }),
      file_field: z.literal('file'),
      expires_at: z.string(),
      max_bytes: z.number().int(),
    }),
  })
  .openapi('UploadTicket');

const route = createRoute({
  method: 'post',
  path: '/items/uploads',
  tags: ['items'],
  summary: 'Start a direct upload to S3 (AWS; on a laptop use POST /items)',
  description:
    'Creates the item (status `uploaded`) and returns a presigned S3 form POST for exactly this key, ' +
    'content type and at most MAX_UPLOAD_BYTES. Processing starts when S3 has the object. The ' +
    'duplicate check needs the bytes, so it happens then: a duplicate ends `failed` naming the item ' +
    'that already holds the image.',
  request: { body: { required: true, content: { 'application/json': { schema: UploadRequestSchema } } } },
  responses: {
    201: { content: { 'application/json': { schema: UploadTicketSchema } }, description: 'Item created; upload with the form' },
    ...errorResponses(400, 401, 503),
  },
});

export function registerUploadRoutes(app: OpenAPIHono<AppEnv>, services: Services) {
  const items = new ItemsRepository(services.db);
  const maxBytes = services.config.limits.maxUploadBytes;

  app.openapi(route, async (c) => {
    const { userId } = c.get('caller');
    if (!services.uploads) {
      throw new AppError(503, 'direct_uploads_unavailable', 'Direct uploads need the S3 object store; send the file to POST /items instead.');
    }
    const body = c.req.valid('json');
    const contentType = body.content_type.trim().toLowerCase();
    if (!isSupported(contentType)) {
      throw new AppError(400, 'unsupported_media_type', `Supported image types are ${SUPPORTED.join(', ')}.`);
    }
    if (body.size > maxBytes) {
      throw new AppError(400, 'file_too_large', `Uploads are limited to ${Math.round(maxBytes / 1048576)} MB.`);
    }

    const id = randomUUID();
    const ext = SUPPORTED_MIME_TYPES[contentType];
    const key = objectKeys.original(userId, id, ext);
    // Sign first: if signing fails, no row is left behind waiting for bytes that cannot come.
    const ticket = await services.uploads.presign({ key, contentType, maxBytes });
    // The row exists before the object, so the processor always finds it by key. Its hash is a
    // placeholder until the processor has read the bytes (src/aws/pending-upload.ts).
    const { item } = await items.insertOrGetDuplicate({
      id,
      user_id: userId,
      filename: `${id}.${ext}`,
      original_filename: cleanFilename(body.filename) || `${id}.${ext}`,
      mime_type: contentType,
      file_size: body.size,
      sha256: pendingSha256(id),
      original_key: key,
    });
    return c.json(
      {
        item: itemToWire(item),
        upload: {
          method: 'POST' as const,
          url: ticket.url,
          fields: ticket.fields,
          file_field: 'file' as const,
          expires_at: ticket.expiresAt.toISOString(),
          max_bytes: maxBytes,
        },
      },
      201,
    );
  });
}
