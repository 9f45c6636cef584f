import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The web app: `npm run build` writes web/dist, which the Hono app serves locally
 * (src/api/web.ts) and which deploys as static files on AWS. `npm run dev:web` serves it with
 * hot reload and proxies the API to `npm start` on 127.0.0.1:8787.
 */
const API = process.env.COLLECTIONS_API ?? 'http://127.0.0.1:8787';
const apiPaths = ['/items', '/analyses', '/search', '/chat', '/health', '/version', '/admin', '/openapi.json', '/app-config.json'];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
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
