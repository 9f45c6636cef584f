import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import type { AppEnv } from './context.js';
import { errorBody } from './errors.js';

/**
 * How much a JSON request body may weigh, by path. The limit is enforced while the body is
 * read (Content-Length first, then the stream itself), before any parsing: a 200 MB body to
 * /search used to be parsed whole and grew the server by 600 MB before it was refused.
 * A chat message is at most 10,000 characters (contracts/chat.ts MAX_MESSAGE_CHARS), a query 1,000: both limits
 * leave room for escaping and the other fields. POST /items (multipart uploads) has its own
 * limit, MAX_UPLOAD_BYTES (routes/items.ts).
 */
export const JSON_BODY_LIMITS: { path: RegExp; bytes: number }[] = [
  { path: /^\/chat(\/stream)?$/, bytes: 256 * 1024 },
  { path: /^\/search$/, bytes: 64 * 1024 },
];
/** Every other JSON body (uploads tickets, analyse, reindex): small objects. */
export const DEFAULT_JSON_BODY_LIMIT = 64 * 1024;

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// POST /share-target (a phone sharing into the app before its service worker is installed) is
// answered with a redirect and its body never read (src/api/web.ts): no JSON limit applies.
const isUpload = (method: string, path: string) => method === 'POST' && (path === '/items' || path === '/share-target');

/** 413 with the error shape for bodies over their path's limit. */
export function limitBodies(app: OpenAPIHono<AppEnv>) {
  const limiters = new Map<number, ReturnType<typeof bodyLimit>>();
  const limiterFor = (bytes: number) => {
    let limiter = limiters.get(bytes);
    if (!limiter) {
      limiter = bodyLimit({
        maxSize: bytes,
        onError: (c) => c.json(errorBody('payload_too_large', `This request's body is limited to ${bytes / 1024} kB.`), 413),
      });
      limiters.set(bytes, limiter);
    }
    return limiter;
  };
  app.use('*', async (c, next) => {
    if (!WITH_BODY.has(c.req.method) || isUpload(c.req.method, c.req.path)) return next();
    const bytes = JSON_BODY_LIMITS.find((l) => l.path.test(c.req.path))?.bytes ?? DEFAULT_JSON_BODY_LIMIT;
    return limiterFor(bytes)(c, next);
  });
}

/**
 * A known path asked with a method it does not have answers 405 with Allow (PUT /items used to
 * be a 404, as if the path did not exist). Unknown paths stay 404.
 */
export function answerWrongMethods(app: OpenAPIHono<AppEnv>) {
  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        c.json(errorBody('method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${methods.join(', ')}.`), 405, {
          Allow: methods.join(', '),
        }),
    }),
  );
}
