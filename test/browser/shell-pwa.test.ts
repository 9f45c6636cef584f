import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  launchChromium,
  openPage,
  screenshot,
  startAppServer,
  textImage,
  type AppServer,
  type WatchedPage,
} from './helpers/index.js';

/**
 * The installable app (issue 17) in Chromium against the real local server: the web app
 * manifest (Chromium's own parser and installability check), the service worker (registers,
 * controls the page after a reload, caches the app shell and never an API answer, serves the
 * shell offline) and the Web Share Target (a share taken by the service worker is uploaded;
 * one that reaches the server tells the user what to do). The rest of the shell: shell.test.ts.
 */
let browser: Browser;
let server: AppServer;
const opened: WatchedPage[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startAppServer()]);
});
afterAll(async () => {
  for (const p of opened) await p.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

async function open(options: Parameters<typeof openPage>[1] = {}) {
  const watched = await openPage(browser, options);
  opened.push(watched);
  return watched;
}

interface Manifest {
  name: string;
  short_name: string;
  description: string;
  start_url: string;
  scope: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
  share_target: { action: string; method: string; enctype: string; params: { files: { name: string; accept: string[] }[] } };
}

/** Every URL held in this page's Cache Storage, by cache. */
const cachedUrls = (page: Page) =>
  page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      out[name] = (await cache.keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search);
    }
    return out;
  });

const controlled = (page: Page) => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);

describe('installable app (Chromium)', () => {
  it('serves a valid manifest with icons and a share target, and Chromium finds the app installable', async () => {
    const res = await fetch(`${server.url}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/manifest+json');
    const manifest = (await res.json()) as Manifest;
    expect(manifest).toMatchObject({ name: 'Collections', short_name: 'Collections', start_url: '/', scope: '/', display: 'standalone' });
    expect(manifest.description.length).toBeGreaterThan(10);
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.share_target).toEqual({
      action: '/share-target',
      method: 'POST',
      enctype: 'multipart/form-data',
      params: { files: [{ name: 'file', accept: expect.arrayContaining(['image/*']) }] },
    });
    const sizes = manifest.icons.map((i) => `${i.sizes} ${i.purpose ?? 'any'}`);
    expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    for (const icon of manifest.icons) {
      const png = await fetch(`${server.url}${icon.src}`);
      expect(png.status, icon.src).toBe(200);
      expect(png.headers.get('content-type')).toBe('image/png');
      const meta = await sharp(Buffer.from(await png.arrayBuffer())).metadata();
      expect(`${meta.width}x${meta.height}`, icon.src).toBe(icon.sizes);
    }

    const { page, context, expectNoErrors } = await open();
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();
    const cdp = await context.newCDPSession(page);
    const parsed = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string }[] };
    expect(new URL(parsed.url).pathname).toBe('/manifest.webmanifest');
    expect(parsed.errors).toEqual([]);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    // Its only objection is the test's own browser context, which is incognito.
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
    expectNoErrors();
  });

  it('registers the service worker: it controls the page after a reload, caches the shell, never the API', async () => {
    const { page, context, expectNoErrors } = await open({
      allowConsoleErrors: (t) => /ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(t),
    });
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${server.url}/`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();
    expect(await controlled(page)).toBe(`${server.url}/sw.js`);

    // Pages and API calls while controlled: a search, the item list, the app config.
    await page.getByRole('combobox', { name: 'Quick search' }).fill('ramen');
    await page.locator('.header-search-popup').waitFor();
    await page.goto(`${server.url}/search?q=ramen`);
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
    const precache = await (await fetch(`${server.url}/sw-precache.js`)).text();
    const listed = JSON.parse(precache.replace(/^self\.COLLECTIONS_PRECACHE = /, '').replace(/;\s*$/, '')) as {
      version: string;
      files: string[];
    };
    const caches = await cachedUrls(page);
    const shell = caches[`collections-shell-${listed.version}`];
    expect(shell).toBeDefined();
    expect(shell).toEqual(expect.arrayContaining([...listed.files, '/favicon.svg', '/manifest.webmanifest']));
    const everything = Object.values(caches).flat();
    const api = everything.filter((u) => !/^\/($|assets\/|favicon\.svg|manifest\.webmanifest|icons\/)/.test(u));
    expect(api, 'cached URLs that are not the app shell').toEqual([]);

    // Offline: the shell still opens (any app path), and says why it cannot go further.
    await context.setOffline(true);
    try {
      await page.goto(`${server.url}/chat`);
      await page.getByRole('heading', { level: 1, name: 'Collections could not start' }).waitFor();
      await page.getByText('You are offline.').waitFor();
      await expectAccessible(page, 'offline shell');
      await screenshot(page, 'shell-offline');
    } finally {
      await context.setOffline(false);
    }
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();
    expectNoErrors();
  });

  it('takes a share: the service worker keeps the file, the app uploads it, the item appears in the library', async () => {
    const { page, expectNoErrors } = await open();
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    expect(await controlled(page)).toBe(`${server.url}/sw.js`);
    const before = await page.locator('.grid .card').count();

    const picture = await textImage(['Shared from the share sheet', 'Kyoto station'], 820);
    const answer = await page.evaluate(async (b64) => {
      const form = new FormData();
      form.append('file', new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'shared-kyoto.png', { type: 'image/png' }));
      const res = await fetch('/share-target', { method: 'POST', body: form, redirect: 'manual' });
      return { type: res.type };
    }, picture.toString('base64'));
    // 303 to /?shared=1 (a redirect the page sees as opaque when it asks not to follow it).
    expect(answer.type).toBe('opaqueredirect');
    expect((await cachedUrls(page))['collections-share-inbox']).toHaveLength(1);

    await page.goto(`${server.url}/?shared=1`);
    const done = page.getByRole('region', { name: 'Uploads' }).locator('[data-upload-status="done"]', { hasText: 'shared-kyoto.png' });
    await done.waitFor();
    await expect.poll(() => new URL(page.url()).search).toBe('');
    const id = (await done.getByRole('link', { name: 'shared-kyoto.png' }).getAttribute('href'))!.split('/').pop();
    await page.locator(`.grid .card[data-item-id="${id}"]`).waitFor();
    expect(await page.locator('.grid .card').count()).toBe(before + 1);
    expect((await cachedUrls(page))['collections-share-inbox']).toEqual([]);
    expectNoErrors();
  });

  it('a share that reaches the server (no service worker yet) sends the app a notice to open it once', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await textImage(['x'], 300))], { type: 'image/png' }), 'x.png');
    const res = await fetch(`${server.url}/share-target`, { method: 'POST', body: form, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/?shared=unavailable');

    const { page, expectNoErrors } = await open();
    await page.goto(`${server.url}/?shared=unavailable`);
    const notice = page.getByRole('status').filter({ hasText: 'Sharing to Collections works once the app is installed' });
    await notice.waitFor();
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await expectAccessible(page, 'share unavailable notice');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.getByRole('button').waitFor({ state: 'detached' });
    expectNoErrors();
  });
});
