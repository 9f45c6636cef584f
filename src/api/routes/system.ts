import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Services } from '../../services/services.js';
import { itemCountIfHealthy } from '../../services/system/health.js';
import type { AppEnv } from '../context.js';
import { HealthSchema, VersionSchema } from '../schemas.js';
import { buildInfo } from '../../shared/build-info.js';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Liveness, database kind and the caller’s item count (no sign-in needed)',
  responses: { 200: { content: { 'application/json': { schema: HealthSchema } }, description: 'Healthy' } },
});

const versionRoute = createRoute({
  method: 'get',
  path: '/version',
  tags: ['system'],
  summary: 'What build is running (no sign-in needed)',
  responses: { 200: { content: { 'application/json': { schema: VersionSchema } }, description: 'Build info' } },
});

export function registerSystemRoutes(app: OpenAPIHono<AppEnv>, services: Services) {
  app.openapi(healthRoute, async (c) => {
    // Health needs no sign-in; the count is included only when the caller can be identified.
    const caller = await services.identity.authenticate(c.req.header('authorization')).catch(() => null);
    const count = await itemCountIfHealthy(services.db, caller?.userId ?? null);
    const info = buildInfo(services.config);
    return c.json({ status: 'ok' as const, version: info.version, database: services.db.kind, item_count: count }, 200);
  });
  app.openapi(versionRoute, (c) => {
    const info = buildInfo(services.config);
    return c.json(
      { version: info.version, git_sha: info.gitSha, git_tag: info.gitTag, build_time: info.buildTime, environment: info.environment },
      200,
    );
  });
}
