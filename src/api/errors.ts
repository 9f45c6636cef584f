import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../domain/errors.js';
import { log } from '../shared/logger.js';

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Every error leaves as `{ "error": { "code", "message" } }`; only real faults are 500s. */
export function handleError(err: Error, c: Context) {
  if (err instanceof AppError) {
    return c.json(errorBody(err.code, err.message, err.details), err.status as ContentfulStatusCode);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return c.json(errorBody(HTTP_CODES[status] ?? 'http_error', err.message || 'Request failed'), status);
  }
  log.error('unhandled error', { path: c.req.path, method: c.req.method, error: err.stack ?? String(err) });
  return c.json(errorBody('internal_error', 'Something went wrong on our side. Nothing you sent was lost.'), 500);
}
