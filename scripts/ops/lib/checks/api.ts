/** Checks of what clients reach over HTTPS: the API's routing and the web app on CloudFront. */
import { apiCall } from '../api-client.js';
import { OUTPUT_KEYS } from '../stack.js';
import { fail, output, pass, skip, type InfraCheck } from './shared.js';

export const apiRoutingCheck: InfraCheck = {
  id: 'api-routing',
  title: 'API routing: /health open, others 401 without a token, 200 with',
  async run(state) {
    const url = output(state, OUTPUT_KEYS.apiUrl);
    if (!url) return skip(`no ${OUTPUT_KEYS.apiUrl} output`);
    const health = await apiCall<{ database?: string }>(url, 'GET', '/health');
    const anonymous = await apiCall(url, 'GET', '/items');
    const rows = [
      `GET /health → ${health.status} (database ${health.body?.database ?? '?'})`,
      `GET /items without a token → ${anonymous.status}`,
    ];
    const problems: string[] = [];
    if (health.status !== 200) problems.push(`/health ${health.status}`);
    if (anonymous.status !== 401) problems.push(`/items without a token ${anonymous.status}`);
    if (state.user) {
      const signedIn = await apiCall(url, 'GET', '/items', { token: state.user.idToken });
      rows.push(`GET /items with the test user's id token → ${signedIn.status}`);
      if (signedIn.status !== 200) problems.push(`/items with a token ${signedIn.status}: ${JSON.stringify(signedIn.body).slice(0, 200)}`);
      const garbage = await apiCall(url, 'GET', '/items', { token: 'not.a.token' });
      rows.push(`GET /items with a malformed token → ${garbage.status}`);
      if (garbage.status !== 401) problems.push(`/items with a malformed token ${garbage.status}`);
    } else {
      rows.push('(no test user: the signed-in request was not tried)');
    }
    return problems.length ? fail(problems.join('; '), rows) : pass(rows.join('; '));
  },
};

export const webAppCheck: InfraCheck = {
  id: 'web-app',
  title: 'Web app: CloudFront serves the app, its app-config.json names this API and user pool, deep links fall back to the app',
  async run(state) {
    const web = output(state, OUTPUT_KEYS.webUrl);
    if (!web) return skip(`no ${OUTPUT_KEYS.webUrl} output`);
    const get = async (p: string) => {
      const res = await fetch(new URL(p, web), { redirect: 'manual' });
      return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
    };
    const [index, config, deep] = await Promise.all([get('/'), get('/app-config.json'), get('/items/some-deep-link')]);
    const rows = [
      `GET / → ${index.status} ${index.type}`,
      `GET /app-config.json → ${config.status}`,
      `GET /items/some-deep-link → ${deep.status} ${deep.type}`,
    ];
    const problems: string[] = [];
    if (index.status !== 200 || !index.type.includes('text/html')) problems.push(`/ answered ${index.status} ${index.type}`);
    if (deep.status !== 200 || !deep.type.includes('text/html'))
      problems.push(`a deep link answered ${deep.status} (the SPA fallback is missing)`);
    let parsed: { apiBaseUrl?: string; auth?: { mode?: string; userPoolId?: string } } = {};
    try {
      parsed = JSON.parse(config.text) as typeof parsed;
    } catch {
      problems.push('app-config.json is not JSON');
    }
    const api = output(state, OUTPUT_KEYS.apiUrl);
    if (api && parsed.apiBaseUrl?.replace(/\/+$/, '') !== api.replace(/\/+$/, ''))
      problems.push(`app-config.json names API ${parsed.apiBaseUrl}, the stack's is ${api}`);
    const pool = output(state, OUTPUT_KEYS.userPoolId);
    if (pool && (parsed.auth?.mode !== 'cognito' || parsed.auth.userPoolId !== pool))
      problems.push(`app-config.json names user pool ${parsed.auth?.userPoolId}, the stack's is ${pool}`);
    return problems.length ? fail(problems.join('; '), rows) : pass(rows.join('; '));
  },
};
