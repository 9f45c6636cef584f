import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z, type zod } from '../../contracts/zod.js';
import type { Services } from '../../services/services.js';
import { AppError } from '../../domain/errors.js';
import type { AppEnv } from '../context.js';
import { errorResponses } from '../schemas.js';
import { ReindexJobs } from '../../services/search/reindex-jobs.js';
import { indexStatus } from '../../services/search/index-status.js';

const ReindexJobSchema = z
  .object({
    id: z.string(),
    state: z.enum(['running', 'done', 'failed']),
    embedding_model: z.string(),
    all: z.boolean(),
    user: z.string().nullable(),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    errors: z.array(z.object({ item_id: z.string(), error: z.string() })),
    error: z.string().nullable(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi('ReindexJob');

const ReindexRequestSchema = z
  .object({
    all: z.boolean().default(false).openapi({ description: 're-embed every row, not only stale ones' }),
    user_id: z.string().min(1).max(128).optional().openapi({ description: 'only this user’s rows' }),
  })
  .strict()
  .openapi('ReindexRequest');

const IndexStatusSchema = z
  .object({
    embedding_model: z.string().openapi({ description: 'the configured embedder; rows made by another need reindexing' }),
    items_by_status: z.record(z.string(), z.number().int()),
    rows_by_embedding_model: z.array(z.object({ embedding_model: z.string().nullable(), rows: z.number().int() })),
    rows_missing_embedding: z.number().int(),
    rows_stale: z.number().int(),
    items_without_search_row: z.number().int(),
    reindex: ReindexJobSchema.nullable(),
  })
  .openapi('IndexStatus');

const reindexRoute = createRoute({
  method: 'post',
  path: '/admin/reindex',
  tags: ['admin'],
  summary: 'Rebuild search rows with the configured embedder, in the background',
  request: { body: { required: false, content: { 'application/json': { schema: ReindexRequestSchema } } } },
  responses: {
    202: { content: { 'application/json': { schema: ReindexJobSchema } }, description: 'Started (or already running)' },
    ...errorResponses(400, 401),
    403: {
      content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } },
      description: 'Not an operator',
    },
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/admin/index/status',
  tags: ['admin'],
  summary: 'Items per status, rows per embedding model, rows missing an embedding, reindex progress',
  responses: {
    200: { content: { 'application/json': { schema: IndexStatusSchema } }, description: 'Index status' },
    ...errorResponses(401),
  },
});

export function registerAdminRoutes(app: OpenAPIHono<AppEnv>, services: Services) {
  const jobs = new ReindexJobs(services.steps);
  const admins = new Set(services.config.auth.adminUserIds);
  app.use('/admin/*', async (c, next) => {
    if (!admins.has(c.get('caller').userId)) {
      throw new AppError(403, 'forbidden', 'Only operators (ADMIN_USER_IDS) may use /admin.');
    }
    return next();
  });

  app.openapi(reindexRoute, async (c) => {
    const body = (c.req.valid('json') as zod.infer<typeof ReindexRequestSchema> | undefined) ?? { all: false };
    const { job } = jobs.start({ all: body.all, user: body.user_id });
    return c.json(job, 202);
  });

  app.openapi(statusRoute, async (c) =>
    c.json({ ...(await indexStatus(services.db, services.embedder.id, services.embedder.revision ?? null)), reindex: jobs.latest() }, 200),
  );
}
