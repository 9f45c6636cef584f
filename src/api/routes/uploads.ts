import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from '../../contracts/zod.js';
import { SUPPORTED_MIME_TYPES, type SupportedMimeType } from '../../domain/item.js';
import type { Services } from '../../services/services.js';
import type { AppEnv } from '../context.js';
import { itemToWire } from '../serialize.js';
import { ItemSchema, errorResponses } from '../schemas.js';

const SUPPORTED = Object.keys(SUPPORTED_MIME_TYPES) as SupportedMimeType[];

const UploadRequestSchema = z
  .object({
    filename: z.string().min(1).max(1024).openapi({ example: 'IMG_0042.png', description: 'Shown back to the user; paths are stripped' }),
    content_type: z
      .string()
      .min(1)
      .max(255)
      .openapi({ example: 'image/png', description: SUPPORTED.join(', ') }),
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
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    const { item, ticket, maxBytes } = await services.items.startDirectUpload(c.get('caller').userId, {
      filename: body.filename,
      contentType: body.content_type,
      size: body.size,
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
