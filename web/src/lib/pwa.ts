/**
 * The service worker (web/public/sw.js: the app shell offline, the Web Share Target) is
 * registered once the page has loaded and the browser is idle, so it never competes with the
 * first grid paint. Not in development (Vite serves no sw-precache.js) nor where browsers have
 * no service workers (an insecure origin, an old browser).
 */
export function registerServiceWorker(options: { enabled: boolean }) {
  if (!options.enabled || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch((err: unknown) => {
      console.warn('Collections: the service worker could not be registered', err);
    });
  };
  const whenIdle = () =>
    'requestIdleCallback' in window ? window.requestIdleCallback(register, { timeout: 3000 }) : setTimeout(register, 500);
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
}
