import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env, Hono } from 'hono';

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

export function registerDocs<E extends Env>(app: Hono<E>) {
  let root: string | null = null;
  app.get('/docs', (c) => c.html(PAGE));
  app.get('/docs/init.js', (c) => c.body(INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    if (!type) return c.json({ error: { code: 'not_found', message: 'No such asset' } }, 404);
    const body = await readFile(path.join((root ??= assetsRoot()), file));
    return c.body(new Uint8Array(body), 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });
}
