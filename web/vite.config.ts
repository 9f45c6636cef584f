import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The web app: `npm run build` writes web/dist, which the Hono app serves locally
 * (src/api/web.ts) and which deploys as static files on AWS. `npm run dev:web` serves it with
 * hot reload and proxies the API to `npm start` on 127.0.0.1:8787.
 */
const API = process.env.COLLECTIONS_API ?? 'http://127.0.0.1:8787';
const apiPaths = [
  '/items',
  '/analyses',
  '/categories',
  '/export',
  '/images',
  '/search',
  '/chat',
  '/health',
  '/version',
  '/admin',
  '/openapi.json',
  '/app-config.json',
  '/share-target',
];

/**
 * Writes dist/sw-precache.js, which the service worker (public/sw.js) imports: the files of this
 * build it keeps for offline use (the page, every script and style chunk) and a version that
 * changes with them. A new build changes this file, so browsers install the new service worker,
 * which caches the new files and drops the old ones.
 */
function precacheManifest(): Plugin {
  return {
    name: 'collections-precache-manifest',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => f.startsWith('assets/') && /\.(js|css)$/.test(f))
        .sort()
        .map((f) => `/${f}`);
      const html = bundle['index.html'];
      const page = html && html.type === 'asset' ? String(html.source) : '';
      const version = createHash('sha256').update(files.join('\n')).update(page).digest('hex').slice(0, 16);
      this.emitFile({
        type: 'asset',
        fileName: 'sw-precache.js',
        source: `self.COLLECTIONS_PRECACHE = ${JSON.stringify({ version, files: ['/', ...files] })};\n`,
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react(), precacheManifest()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: true,
  },
  server: {
    proxy: Object.fromEntries(
      apiPaths.map((p) => [
        p,
        {
          target: API,
          // Page navigations (/search, /chat, /item/…) stay with the SPA; API calls go to the server.
          bypass: (req: { headers: Record<string, string | string[] | undefined> }) =>
            String(req.headers.accept ?? '').includes('text/html') ? '/index.html' : undefined,
        },
      ]),
    ),
  },
});
