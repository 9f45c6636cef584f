import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { configureApi } from './api/client';
import type { CognitoAuth } from './auth/cognito';
import { loadConfig, type AppConfig } from './config';
import { prefetchFirstPage, seedFirstPage } from './lib/library-list';
import { registerServiceWorker } from './lib/pwa';
import { libraryPath, parseRoute } from './router';

/** How long start-up waits for the library's first page before rendering without it. */
const FIRST_PAGE_WAIT_MS = 400;
import { initTheme } from './lib/theme';
import { configureUploads } from './uploads/uploads';
import './styles.css';

// The stored theme before anything renders (no inline script: the page's CSP allows none).
initTheme();
registerServiceWorker({ enabled: import.meta.env.PROD });

/**
 * Start-up: read /app-config.json, sign-in support only when it names Cognito (its code is a
 * separate chunk), configure the API client, render. Offline, the service worker's cached app
 * shell starts but cannot read the configuration: it says so.
 */
async function start() {
  const root = createRoot(document.getElementById('root')!);
  let config: AppConfig;
  try {
    config = await loadConfig();
  } catch (err) {
    root.render(
      <main id="main" className="page">
        <h1>Collections could not start</h1>
        <p className="notice error" role="alert">
          {typeof navigator !== 'undefined' && navigator.onLine === false
            ? 'You are offline. Collections needs a connection to your server; reload when you are back online.'
            : err instanceof Error
              ? err.message
              : String(err)}
        </p>
      </main>,
    );
    return;
  }

  let auth: CognitoAuth | null = null;
  let authNotice: string | null = null;
  if (config.auth.mode === 'cognito') {
    const { CognitoAuth } = await import('./auth/cognito');
    const { region, userPoolId, clientId, endpoint } = config.auth;
    auth = new CognitoAuth({ region, userPoolId, clientId, ...(endpoint ? { endpoint } : {}) });
  }
  const signedIn = auth;
  configureApi({
    baseUrl: config.apiBaseUrl,
    chatStreamUrl: config.chatStreamUrl,
    getToken: signedIn ? () => signedIn.getToken() : null,
    // The API refused the token (expired beyond refresh, or revoked): sign in again.
    onUnauthorized: signedIn
      ? () => {
          if (!signedIn.currentUser()) return;
          authNotice = 'Your session has ended. Sign in again.';
          void signedIn.signOut();
        }
      : undefined,
  });
  configureUploads({ mode: config.uploads, maxBytes: config.maxUploadBytes });
  // The library's first page: asked for now and waited for (briefly), so the first render is
  // the grid itself rather than an empty shell and then the grid (bench:web, first grid paint).
  const route = parseRoute(window.location.pathname, window.location.search);
  if (route.name === 'library' && (!signedIn || signedIn.currentUser())) {
    const filter = { category: route.category, from: route.from, to: route.to };
    const page = prefetchFirstPage(filter).then((p) => seedFirstPage(filter, p, libraryPath(filter)));
    await Promise.race([page, new Promise((resolve) => setTimeout(resolve, FIRST_PAGE_WAIT_MS))]).catch(() => {});
  }
  root.render(
    <StrictMode>
      <App config={config} auth={auth} authNotice={() => authNotice} />
    </StrictMode>,
  );
}

void start();
