import { OpenAPIHono } from '@hono/zod-openapi';
import type { Services } from '../services/services.js';
import type { AppEnv } from './context.js';
import { errorBody, handleError } from './errors.js';
import { registerDocs } from './docs.js';
import { answerWrongMethods, limitBodies } from './limits.js';
import { admissionMiddleware, type AdmissionQueue } from './admission.js';
import { registerItemRoutes } from './routes/items.js';
import { registerUploadRoutes } from './routes/uploads.js';
import { registerExportRoutes } from './routes/export.js';
import { registerSystemRoutes } from './routes/system.js';
import { registerSearchRoutes } from './routes/search.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerChatRoutes } from './routes/chat.js';
import { buildInfo } from '../shared/build-info.js';
import { registerWebApp, type WebOptions } from './web.js';

/** Paths anyone may call; everything else needs a caller from the identity port. */
const PUBLIC = new Set(['/health', '/version', '/openapi.json', '/docs', '/docs/init.js']);

/** Validation errors, error bodies and 404s as every route answers them. */
function baseApp() {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        const message = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'Invalid request';
        return c.json(errorBody('invalid_request', message, issues), 400);
      }
    },
  });
  app.onError(handleError);
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  answerWrongMethods(app);
  limitBodies(app);
  return app;
}

/** Every non-public path needs a caller from the identity port (before any route runs). */
function requireCaller(app: OpenAPIHono<AppEnv>, services: Services) {
  app.use('*', async (c, next) => {
    if (PUBLIC.has(c.req.path) || c.req.path.startsWith('/docs/')) return next();
    c.set('caller', await services.identity.authenticate(c.req.header('authorization')));
    return next();
  });
}

/**
 * Only POST /chat/stream, as the chat-stream Lambda serves it through its function URL: the
 * same route, schemas and identity check as the full app, and nothing else reachable there.
 */
export function createChatStreamApp(services: Services) {
  const app = baseApp();
  app.use('*', async (c, next) =>
    c.req.method === 'POST' && c.req.path === '/chat/stream'
      ? next()
      : c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path} here: this URL serves POST /chat/stream only`), 404),
  );
  requireCaller(app, services);
  registerChatRoutes(app, services);
  return app;
}

/**
 * The HTTP API as one Hono app object: @hono/node-server serves it on a laptop, and the same
 * object runs on Lambda behind API Gateway.
 */
export function createApp(services: Services, options: { web?: WebOptions | false; admission?: AdmissionQueue } = {}) {
  const app = baseApp();
  // The web app's files and /app-config.json are public; API routes pass through (src/api/web.ts).
  if (options.web !== false) registerWebApp(app, services, options.web);
  // After the web app's files (never queued), before everything a request costs.
  if (options.admission) app.use('*', admissionMiddleware(options.admission));
  requireCaller(app, services);

  registerSystemRoutes(app, services);
  registerUploadRoutes(app, services);
  registerItemRoutes(app, services);
  registerExportRoutes(app, services);
  registerSearchRoutes(app, services);
  registerAdminRoutes(app, services);
  registerChatRoutes(app, services);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/openapi.json', () => ({
    openapi: '3.1.0',
    info: {
      title: 'Collections API',
      version: buildInfo(services.config).version,
      description: 'Save screenshots and photos, have them read by a vision model, and find them again.',
    },
    security: services.config.auth.mode === 'jwt' ? [{ bearer: [] }] : [],
  }));
  registerDocs(app);
  return app;
}
