import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { createApp } from '../../src/api/app.js';
import { DEFAULT_WEB_DIST, appConfig } from '../../src/api/web.js';
import { loadConfig } from '../../src/shared/config.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { startJwtIssuer, type JwtIssuer } from '../helpers/jwt-issuer.js';

/**
 * How the Hono app serves the built web app (src/api/web.ts) next to the API, without a
 * browser: /app-config.json from the settings, caching of index.html and hashed assets, the SPA
 * fallback for the app's own paths, API routes unchanged (also for a browser asking for HTML),
 * the files public while the API needs a token, and the page shown when web/dist is missing.
 */
let db: PGliteDatabase;
let issuer: JwtIssuer;
let h: Harness;

beforeAll(async () => {
  [db, issuer] = await Promise.all([openTestDatabase(), startJwtIssuer()]);
  h = await createHarness(db, { AUTH_MODE: 'jwt', JWT_ISSUER: issuer.issuer, JWT_JWKS_URL: issuer.jwksUrl });
});
afterAll(async () => {
  await h?.close();
  await db?.close();
  await issuer?.close();
});

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const get = (url: string, headers: Record<string, string> = {}, app = h.app) => app.request(url, { headers });

describe('the web app served by the API server', () => {
  it('answers /app-config.json from the configuration: local → no sign-in, Cognito → its pool', () => {
    const local = loadConfig({});
    expect(appConfig({ config: local, uploads: null })).toEqual({
      apiBaseUrl: '',
      auth: { mode: 'none' },
      uploads: 'api',
      visionProviders: ['local'],
      maxUploadBytes: 26214400,
    });
    const cognito = loadConfig({
      AUTH_MODE: 'jwt',
      COGNITO_USER_POOL_ID: 'eu-west-1_AbC',
      COGNITO_CLIENT_ID: 'client123',
      COGNITO_ENDPOINT: 'http://127.0.0.1:9229',
      ANTHROPIC_API_KEY: 'sk-test',
    });
    expect(appConfig({ config: cognito, uploads: {} as never })).toEqual({
      apiBaseUrl: '',
      auth: { mode: 'cognito', region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientId: 'client123', endpoint: 'http://127.0.0.1:9229' },
      uploads: 'direct',
      visionProviders: ['anthropic', 'local'],
      maxUploadBytes: 26214400,
    });
  });

  it('serves index.html (no-cache, CSP) and hashed assets (immutable) without a token', async () => {
    const config = await get('/app-config.json');
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ auth: { mode: 'none' } }); // jwt without Cognito: the API's own tokens

    const index = await get('/', HTML);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();

    const asset = await get(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const files = await readdir(path.join(DEFAULT_WEB_DIST, 'assets'));
    expect(files.some((f) => script!.endsWith(f))).toBe(true);

    expect((await get('/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');
    expect((await h.app.request('/', { method: 'HEAD' })).status).toBe(200);
  });

  it('answers the app’s own paths with index.html, and leaves the API exactly as it was', async () => {
    for (const page of ['/search?q=ramen', '/chat', '/item/0b3f7c3e-1f0a-4a51-9c53-2f1f6a0e7a10']) {
      const res = await get(page, HTML);
      expect(res.status, page).toBe(200);
      expect(await res.text(), page).toContain('<div id="root">');
    }
    // API paths stay API paths even when a browser asks for HTML: a token is needed, JSON answers.
    for (const api of ['/items', '/items/0b3f7c3e-1f0a-4a51-9c53-2f1f6a0e7a10', '/items/x/image', '/chat/sessions']) {
      const res = await get(api, HTML);
      expect(res.status, api).toBe(401);
      expect(res.headers.get('content-type'), api).toContain('application/json');
    }
    const token = { authorization: `Bearer ${await issuer.sign({ sub: 'web-user' })}` };
    const list = await get('/items', { ...HTML, ...token });
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ items: [], total: 0 });
    const missing = await get('/items/0b3f7c3e-1f0a-4a51-9c53-2f1f6a0e7a10/image', { ...HTML, ...token });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    expect((await get('/health', HTML)).headers.get('content-type')).toContain('application/json');
    expect((await get('/openapi.json', HTML)).headers.get('content-type')).toContain('application/json');

    // Not a page request, not a file: the API's 404 (after its 401 for a caller without a token).
    expect((await get('/no-such-thing', { ...token, accept: 'application/json' })).status).toBe(404);
    expect((await get('/assets/index-missing.js', token)).status).toBe(404);
    // No way out of web/dist.
    for (const evil of ['/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json']) {
      const res = await get(evil, { ...token, accept: 'application/json' });
      expect(res.status, evil).toBe(404);
    }
  });

  it('serves the installable app: the service worker never cached, the manifest as a manifest, a share without it redirected', async () => {
    for (const script of ['/sw.js', '/sw-precache.js']) {
      const res = await get(script);
      expect(res.status, script).toBe(200);
      expect(res.headers.get('content-type'), script).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('cache-control'), script).toBe('no-cache');
    }
    expect(await (await get('/sw-precache.js')).text()).toMatch(/^self\.COLLECTIONS_PRECACHE = \{"version":"[0-9a-f]{16}","files":\["\/",/);
    const manifest = await get('/manifest.webmanifest');
    expect(manifest.headers.get('content-type')).toBe('application/manifest+json');
    expect((await manifest.json()).share_target.action).toBe('/share-target');
    expect((await get('/icons/icon-192.png')).headers.get('content-type')).toBe('image/png');
    expect(await (await get('/', HTML)).text()).toContain('<link rel="manifest" href="/manifest.webmanifest" />');

    // The installed app's share reaching the server (its service worker not there yet): no token
    // needed, nothing kept, the app is told (the page's CSP still allows only itself).
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }), 'shared.png');
    const share = await h.app.request('/share-target', { method: 'POST', body: form });
    expect(share.status).toBe(303);
    expect(share.headers.get('location')).toBe('/?shared=unavailable');
    // A real photo is far past the JSON body limit: still the redirect, not a 413.
    const photo = new FormData();
    photo.append('file', new Blob([new Uint8Array(300_000)], { type: 'image/jpeg' }), 'photo.jpg');
    const big = await h.app.request('/share-target', { method: 'POST', body: photo });
    expect([big.status, big.headers.get('location')]).toEqual([303, '/?shared=unavailable']);
    expect((await h.app.request('/share-target', { method: 'GET', headers: { accept: 'application/json' } })).status).toBe(401);
    expect((await get('/', HTML)).headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('says to run `npm run build` when web/dist is missing', async () => {
    const app = createApp(h.services, { web: { distDir: path.join(h.dataDir, 'no-dist') } });
    for (const page of ['/', '/search']) {
      const res = await get(page, HTML, app);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('npm run build');
    }
    const bare = createApp(h.services, { web: false });
    expect((await get('/', HTML, bare)).status).toBe(401);
  });
});
