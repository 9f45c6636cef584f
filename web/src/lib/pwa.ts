/**
 * The service worker (web/public/sw.js: the app shell offline, the Web Share Target) is
 * registered a few seconds after the page has loaded, when the browser is idle: installing it
 * fetches every file of the build, and on a first visit that competed with the library's first
 * page and thumbnails (bench:web: +9 ms of main-thread work and the network shared before the
 * first grid paint). Not in development (Vite serves no sw-precache.js) nor where browsers have
 * no service workers (an insecure origin, an old browser).
 */
const REGISTER_AFTER_MS = 3000;

export function registerServiceWorker(options: { enabled: boolean }) {
  if (!options.enabled || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch((err: unknown) => {
      console.warn('Collections: the service worker could not be registered', err);
    });
  };
  const whenIdle = () =>
    setTimeout(
      () => ('requestIdleCallback' in window ? window.requestIdleCallback(register, { timeout: 3000 }) : register()),
      REGISTER_AFTER_MS,
    );
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
}
