/*
 * Collections' service worker: the app shell offline, and the Web Share Target.
 *
 * - Install: caches this build's page and script/style chunks, listed in /sw-precache.js
 *   (written by the build; a new build changes it, so browsers install the new worker).
 * - Pages of the app (/, /search, /chat, /item/…): the network first; offline, the cached shell.
 * - /assets/* (content-hashed, never change): the cache first, filled as they are fetched.
 * - /favicon.svg, /manifest.webmanifest, /icons/*: the cache first.
 * - Anything else (the API, /app-config.json, images of items, /docs) is never touched: it goes
 *   to the network as if there were no service worker, and nothing of it is cached.
 * - POST /share-target (a share from the OS share sheet to the installed app): the files are
 *   kept in the "inbox" cache and the app is opened at /?shared=1, where it uploads them through
 *   its normal upload queue (web/src/uploads/ShareIntake.tsx).
 */
const PREFIX = 'collections-';
const INBOX = 'collections-share-inbox';

let precache = { version: 'unversioned', files: ['/'] };
try {
  importScripts('/sw-precache.js');
  if (self.COLLECTIONS_PRECACHE) precache = self.COLLECTIONS_PRECACHE;
} catch {
  // no build manifest (development): the shell is cached as pages are visited
}
const SHELL = `${PREFIX}shell-${precache.version}`;
const STATIC = ['/favicon.svg', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png'];

const isAppPage = (path) => path === '/' || path === '/index.html' || /^\/(search|chat)\/?$/.test(path) || /^\/item\/[^/]+\/?$/.test(path);
const isStatic = (path) => STATIC.includes(path) || path.startsWith('/icons/');

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      const urls = [...new Set([...precache.files, ...STATIC])];
      await cache.addAll(urls.map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(`${PREFIX}shell-`) && n !== SHELL).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === '/share-target') {
    event.respondWith(receiveShare(request));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    if (isAppPage(url.pathname)) event.respondWith(page(event));
    return;
  }
  if (url.pathname.startsWith('/assets/') || isStatic(url.pathname)) event.respondWith(cacheFirst(request));
});

/** The network's page; offline, the cached shell (the app then says it is offline). */
async function page(event) {
  try {
    return await fetch(event.request);
  } catch (err) {
    const shell = (await caches.match('/', { cacheName: SHELL, ignoreVary: true })) ?? (await caches.match('/', { ignoreVary: true }));
    if (shell) return shell;
    throw err;
  }
}

async function cacheFirst(request) {
  const hit = await caches.match(request, { ignoreVary: true, ignoreSearch: !new URL(request.url).pathname.startsWith('/assets/') });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    const cache = await caches.open(SHELL);
    await cache.put(request, response.clone());
  }
  return response;
}

async function receiveShare(request) {
  const to = (state) => Response.redirect(new URL(`/?shared=${state}`, self.location.origin).href, 303);
  try {
    const form = await request.formData();
    const files = form.getAll('file').filter((f) => typeof f !== 'string' && f.size > 0);
    if (files.length === 0) return to('empty');
    const inbox = await caches.open(INBOX);
    const stamp = Date.now();
    await Promise.all(
      files.map((file, i) =>
        inbox.put(
          `/share-target/inbox/${stamp}-${i}`,
          new Response(file, {
            headers: {
              'Content-Type': file.type || 'application/octet-stream',
              'X-File-Name': encodeURIComponent(file.name || `shared-${i + 1}`),
            },
          }),
        ),
      ),
    );
    return to('1');
  } catch {
    return to('error');
  }
}
