import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env, Hono } from 'hono';
import { negotiated } from './compressed.js';
import { pageSecurityHeaders } from './security-headers.js';

/**
 * Interactive API docs at /docs with Swagger UI's assets served by the app itself, so the page
 * works offline (the hosted middlewares load them from a CDN).
 */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Collections API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
  <link rel="icon" href="/docs/assets/favicon-32x32.png" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/**
 * Where Swagger UI's files are: `./swagger-ui` beside a Lambda bundle (copied there by
 * infra/lib/bundle.ts, whose marker is the preset's file name), else the installed package.
 * The package is never imported: its index pulls the 1.8 MB browser bundle into the server's code.
 */
function assetsRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.join(here, 'swagger-ui');
  if (existsSync(path.join(beside, 'swagger-ui-standalone-preset.js'))) return beside;
  return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

/**
 * The docs page's policy: its own scripts only (init.js is a file, not inline), inline styles
 * (Swagger UI sets style attributes), images from itself and data: URLs (its icons), requests
 * to this server alone ("Try it out"), never framed.
 */
const DOCS_HEADERS = {
  ...pageSecurityHeaders({ style: ["'unsafe-inline'"], img: ['data:'] }),
  'X-Frame-Options': 'DENY',
};

export function registerDocs<E extends Env>(app: Hono<E>) {
  let root: string | null = null;
  app.get('/docs', (c) => c.html(PAGE, 200, { ...DOCS_HEADERS, 'Cache-Control': 'no-cache' }));
  app.get('/docs/init.js', (c) =>
    c.body(INIT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    }),
  );
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    if (!type) return c.json({ error: { code: 'not_found', message: 'No such asset' } }, 404);
    const full = path.join((root ??= assetsRoot()), file);
    const sent = await negotiated(full, new Uint8Array(await readFile(full)), type, c.req.header('accept-encoding'));
    return c.body(sent.body, 200, {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      ...sent.headers,
    });
  });
}
