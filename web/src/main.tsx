import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { configureApi } from './api/client';
import type { CognitoAuth } from './auth/cognito';
import { loadConfig, type AppConfig } from './config';
import { registerServiceWorker } from './lib/pwa';
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
  root.render(
    <StrictMode>
      <App config={config} auth={auth} authNotice={() => authNotice} />
    </StrictMode>,
  );
}

void start();
