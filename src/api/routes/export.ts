import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from '../../contracts/zod.js';
import { AppError } from '../../domain/errors.js';
import { exportCollection } from '../../services/items/collection-export.js';
import type { Services } from '../../services/services.js';
import type { AppEnv } from '../context.js';
import { errorResponses } from '../schemas.js';
import { ZIP_MAX_BYTES, ZIP_MAX_ENTRIES, zipStream } from '../zip-stream.js';

const ExportQuerySchema = z.object({
  ids: z
    .string()
    .max(40_000)
    .optional()
    .openapi({ description: 'comma-separated item ids: export only these (default: the whole collection)', example: 'a1b2…,c3d4…' }),
});

const exportRoute = createRoute({
  method: 'get',
  path: '/export',
  tags: ['items'],
  summary: 'Download the collection (or some items) as a zip in collections-local’s export format',
  description:
    '`database.json` ({exported_at, database_path, tables: {items, analyses}}) and `images/` with every original. ' +
    'Unzipped, `collections import --format export --source <folder>/database.json` reads it back.',
  request: { query: ExportQuerySchema },
  responses: {
    200: { content: { 'application/zip': { schema: z.any().openapi({ type: 'string', format: 'binary' }) } }, description: 'The zip' },
    ...errorResponses(400, 401, 404, 413),
  },
});

export function registerExportRoutes(app: OpenAPIHono<AppEnv>, services: Services) {
  app.openapi(exportRoute, async (c) => {
    const raw = c.req.valid('query').ids;
    const ids =
      raw === undefined
        ? undefined
        : [
            ...new Set(
              raw
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            ),
          ];
    if (ids && ids.length === 0) throw new AppError(400, 'invalid_ids', 'ids names no item; leave it out to export everything.');
    const collection = await exportCollection(services, c.get('caller').userId, ids);
    const json = Buffer.from(`${JSON.stringify(collection.database, null, 2)}\n`);
    const total = json.length + collection.images.reduce((sum, i) => sum + i.size + 76 + 2 * (7 + i.name.length), 0);
    if (total > ZIP_MAX_BYTES || collection.images.length + 1 > ZIP_MAX_ENTRIES) {
      throw new AppError(413, 'export_too_large', 'This is too much for one zip; use `collections export --out <folder>` on the server.');
    }
    const day = new Date().toISOString().slice(0, 10);
    const entries = [
      { name: 'database.json', read: async () => json },
      ...collection.images.map((i) => ({ name: `images/${i.name}`, read: i.read })),
    ];
    return c.body(zipStream(entries), 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="collections-export-${day}.zip"`,
      'Cache-Control': 'no-store',
    }) as never;
  });
}
