import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Env, Hono, MiddlewareHandler } from 'hono';
import type { Services } from '../services/services.js';
import { negotiated } from './compressed.js';
import { pageSecurityHeaders } from './security-headers.js';

/**
 * The web app (web/, built by `npm run build` into web/dist) served by the same Hono app as the
 * API, in front of authentication (its files are public; the API still needs a caller):
 *
 * - `/app-config.json`: the SPA's runtime configuration, from this server's settings
 *   (AUTH_MODE=local → `auth.mode: "none"`; jwt with COGNITO_USER_POOL_ID/CLIENT_ID → "cognito").
 * - Files of web/dist: `/assets/*` (content-hashed names) cached for a year, `index.html`, the
 *   service worker (`/sw.js`) and its build manifest (`/sw-precache.js`) never (browsers must see
 *   a new build at once), `/manifest.webmanifest` as application/manifest+json.
 * - `POST /share-target` (the installed app's Web Share Target) is the service worker's; one that
 *   reaches the server (no service worker yet) answers 303 to `/?shared=unavailable`, and the app
 *   tells the user to open it once before sharing.
 * - Any other GET that asks for HTML and is no API route (`/search`, `/chat`, `/item/…`): index.html,
 *   so the app's own paths survive a reload. API routes answer exactly as before.
 * - Without web/dist, `/` (and those paths) answer a short page saying to run `npm run build`.
 */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface WebOptions {
  /** The built app (default: web/dist of this checkout). */
  distDir?: string;
}

/** What GET /app-config.json answers (web/src/config.ts reads it). */
export function appConfig(services: Pick<Services, 'config' | 'uploads'>) {
  const { auth, vision, limits } = services.config;
  const cognito = auth.mode === 'jwt' && auth.cognitoUserPoolId && auth.cognitoClientId;
  const visionProviders = [
    vision.provider,
    'local',
    vision.anthropicApiKey ? 'anthropic' : null,
    vision.openaiApiKey ? 'openai' : null,
  ].filter((p, i, all): p is string => !!p && all.indexOf(p) === i);
  return {
    apiBaseUrl: '',
    auth: cognito
      ? {
          mode: 'cognito' as const,
          region: auth.cognitoUserPoolId!.split('_')[0]!,
          userPoolId: auth.cognitoUserPoolId!,
          clientId: auth.cognitoClientId!,
          ...(auth.cognitoEndpoint ? { endpoint: auth.cognitoEndpoint } : {}),
        }
      : { mode: 'none' as const },
    uploads: services.uploads ? ('direct' as const) : ('api' as const),
    visionProviders,
    maxUploadBytes: limits.maxUploadBytes,
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Files a browser must revalidate on every use: the service worker and the list it precaches. */
const NEVER_CACHED = new Set(['/sw.js', '/sw-precache.js']);

const MISSING_BUILD = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Collections</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Collections</h1>
<p>The API is running, but the web app has not been built yet. Run <code>npm run build</code>
(or <code>npm start</code>, which builds it first) and reload.</p>
<p>API documentation: <a href="/docs">/docs</a></p>
</body></html>`;

/** Hono route paths (`/items/:id/image`) as matchers. */
function routeMatcher(pattern: string): RegExp {
  const body = pattern
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}/?$`);
}

/** `cognito`: the origin the browser signs in at (its region's Cognito, or COGNITO_ENDPOINT). */
const securityHeaders = (cognito: string | null) =>
  pageSecurityHeaders({ img: ['blob:', 'data:'], connect: cognito ? [new URL(cognito).origin] : [] });

export function registerWebApp<E extends Env>(app: Hono<E>, services: Pick<Services, 'config' | 'uploads'>, options: WebOptions = {}) {
  const distDir = path.resolve(options.distDir ?? DEFAULT_WEB_DIST);
  const config = appConfig(services);
  const configBody = JSON.stringify(config);
  const headers = securityHeaders(
    config.auth.mode === 'cognito' ? (config.auth.endpoint ?? `https://cognito-idp.${config.auth.region}.amazonaws.com`) : null,
  );
  let apiGetRoutes: RegExp[] | null = null;
  const isApiGet = (p: string) => {
    // Read once, at the first request: every route is registered by then.
    apiGetRoutes ??= app.routes
      .filter((r) => (r.method === 'GET' || r.method === 'HEAD') && r.path !== '*' && r.path !== '/*')
      .map((r) => routeMatcher(r.path));
    return apiGetRoutes.some((re) => re.test(p));
  };

  const file = async (c: Context, relative: string) => {
    const full = path.resolve(distDir, `.${relative}`);
    if (!full.startsWith(distDir + path.sep)) return null; // no way out of web/dist
    const info = await stat(full).catch(() => null);
    if (!info?.isFile()) return null;
    const ext = path.extname(full).toLowerCase();
    const isIndex = path.basename(full) === 'index.html';
    const cache =
      isIndex || NEVER_CACHED.has(relative)
        ? 'no-cache'
        : relative.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=3600';
    const type = TYPES[ext] ?? 'application/octet-stream';
    const sent = await negotiated(full, new Uint8Array(await readFile(full)), type, c.req.header('accept-encoding'));
    return c.body(sent.body, 200, {
      'Content-Type': type,
      'Content-Length': String(sent.body.length),
      'Cache-Control': cache,
      ...(isIndex ? headers : { 'X-Content-Type-Options': 'nosniff' }),
      ...sent.headers,
    });
  };

  const index = async (c: Context) => {
    if (existsSync(path.join(distDir, 'index.html'))) {
      const res = await file(c, '/index.html');
      if (res) return res;
    }
    return c.html(MISSING_BUILD, 200, { 'Cache-Control': 'no-cache' });
  };

  const middleware: MiddlewareHandler<E> = async (c, next) => {
    // A share that the service worker did not take (it is not installed yet): nothing is kept.
    if (c.req.method === 'POST' && c.req.path === '/share-target') {
      return c.body(null, 303, { Location: '/?shared=unavailable', 'Cache-Control': 'no-store' });
    }
    // HEAD is routed like GET (Hono drops the body).
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const p = c.req.path;
    if (p === '/app-config.json') {
      return c.body(configBody, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
    }
    if (p === '/' || p === '/index.html') return index(c);
    if (isApiGet(p)) return next();
    if (p.includes('.') && !p.includes('..')) {
      const res = await file(c, p);
      if (res) return res;
      if (p.startsWith('/assets/')) return next(); // a stale hashed name: 404, not the page
    }
    // The app's own paths (/search, /chat, /item/…) when a browser asks for a page.
    if ((c.req.header('accept') ?? '').includes('text/html')) return index(c);
    return next();
  };
  app.use('*', middleware);
}
