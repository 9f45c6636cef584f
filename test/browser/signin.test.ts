import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminCreateUserCommand, CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../infra/lib/web-hosting.js';
import { startCognitoLocal, type CognitoLocal, type CognitoUser } from '../aws/helpers/cognito-local.js';
import {
  expectAccessible as expectAccessibleInPage,
  launchChromium,
  openPage,
  screenshot,
  startAppServer,
  textImage,
  waitFor,
  type AppServer,
  type WatchedPage,
} from './helpers/index.js';

/**
 * Signing in to the web app in Chromium, against the local server in jwt mode and cognito-local
 * (the Cognito API on loopback): the server's /app-config.json names the pool, the app's
 * CognitoAuth (web/src/auth/cognito.ts) talks to cognito-local straight from the page, and the
 * API accepts the id token. A wrong password, a good one (the grid, with a thumbnail fetched with
 * the token), staying signed in across a reload, signing out (the refresh token is revoked), an
 * administrator-created user's new-password challenge, and the app under the CSP CloudFront
 * sends (infra/lib/web-hosting.ts). Console errors, axe-core and screenshots on every screen.
 *
 * CORS: the page (the app server's origin) calls cognito-local on another port. cognito-local
 * answers every origin (`cors({ origin: '*' })`, preflight included), as Cognito itself does for
 * its public operations, so no proxy is needed.
 */
const PASSWORD = 'Correct-horse-1!'; // startCognitoLocal's createUser sets it

let cognito: CognitoLocal;
let sdk: CognitoIdentityProviderClient;
let browser: Browser;
let server: AppServer;
let ana: CognitoUser;
let storageKey: string;
const opened: WatchedPage[] = [];

beforeAll(async () => {
  cognito = await startCognitoLocal();
  sdk = new CognitoIdentityProviderClient({
    region: 'local',
    endpoint: cognito.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  storageKey = `collections.auth.v1:${cognito.clientId}`;
  [browser, server, ana] = await Promise.all([
    launchChromium(),
    startAppServer({ env: cognito.env }),
    cognito.createUser('ana@example.com'),
  ]);

  // One item of Ana's, uploaded through the API with her token, so the grid has something to show.
  const form = new FormData();
  form.append(
    'file',
    new File([new Uint8Array(await textImage(['Ichiran Ramen', 'Open 24 hours'], 600))], 'ramen.png', { type: 'image/png' }),
  );
  const auth = { authorization: `Bearer ${ana.idToken}` };
  const created = await fetch(`${server.url}/items`, { method: 'POST', body: form, headers: auth });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await waitFor(
    async () => ((await (await fetch(`${server.url}/items/${id}`, { headers: auth })).json()) as { status: string }).status === 'ready',
    { message: 'the item is ready' },
  );
});
afterAll(async () => {
  for (const p of opened) await p.close().catch(() => {});
  await browser?.close();
  await server?.close();
  sdk?.destroy();
  await cognito?.stop();
});

/** A refused sign-in is an HTTP 400 from cognito-local, which Chromium logs as a console error. */
async function watchedPage() {
  const cognitoOrigin = new URL(cognito.endpoint).origin;
  const watched = await openPage(browser, {
    allowConsoleErrors: (text) => /status of 400/.test(text) && text.includes(cognitoOrigin),
  });
  opened.push(watched);
  return watched;
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The app server's own CSP (script-src 'self') blocks the inline <script> the shared axe helper
 * injects; axe is evaluated through the DevTools protocol instead, which CSP does not govern.
 */
async function expectAccessible(page: Page, label: string) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  await expectAccessibleInPage(page, label);
}

const stored = (page: Page) => page.evaluate((key) => localStorage.getItem(key), storageKey);

describe('sign-in (Chromium, cognito-local)', () => {
  let desktop: WatchedPage;

  it('shows the sign-in screen, and an error for a wrong password', async () => {
    desktop = await watchedPage();
    const { page } = desktop;
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const config = (await (await fetch(`${server.url}/app-config.json`)).json()) as { auth: Record<string, string> };
    expect(config.auth).toMatchObject({
      mode: 'cognito',
      userPoolId: cognito.poolId,
      clientId: cognito.clientId,
      endpoint: cognito.endpoint,
    });
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'signin');

    await signIn(page, 'ana@example.com', 'Wrong-horse-1!');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('Incorrect email address or password.');
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(await stored(page)).toBeNull();
    await expectAccessible(page, 'sign-in with an error');
    await screenshot(page, 'signin-wrong-password');
    desktop.expectNoErrors();
  });

  it('signs in with the right password and shows the grid, thumbnails fetched with the token', async () => {
    const { page } = desktop;
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();
    await page.locator('.grid .card[data-status="ready"]').first().waitFor();
    expect(await page.locator('.grid .card').count()).toBe(1);
    expect(await page.locator('.account-email').textContent()).toBe('ana@example.com');
    await waitFor(
      () =>
        page.evaluate(() => [...document.querySelectorAll<HTMLImageElement>('.grid img')].some((i) => i.complete && i.naturalWidth > 0)),
      { message: 'the thumbnail is shown' },
    );
    const session = JSON.parse((await stored(page))!) as { idToken: string };
    const claims = JSON.parse(Buffer.from(session.idToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: ana.sub, aud: cognito.clientId, token_use: 'id' });
    await expectAccessible(page, 'library after sign-in');
    await screenshot(page, 'signin-library');

    // A reload keeps the session.
    await page.reload();
    await page.locator('.grid .card').first().waitFor();
    expect(await page.getByRole('heading', { level: 1, name: 'Sign in' }).count()).toBe(0);
    desktop.expectNoErrors();
  });

  it('signs out back to the sign-in screen, and revokes the refresh token', async () => {
    const { page } = desktop;
    const { refreshToken } = JSON.parse((await stored(page))!) as { refreshToken: string };
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await stored(page)).toBeNull();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await screenshot(page, 'signin-signed-out');

    const refused = await waitFor(() =>
      sdk
        .send(
          new InitiateAuthCommand({
            ClientId: cognito.clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshToken },
          }),
        )
        .then(
          () => false,
          (e: { name: string }) => e.name,
        ),
    );
    expect(refused).toBe('NotAuthorizedException');
    desktop.expectNoErrors();
  });

  it('takes an administrator-created user through choosing a new password', async () => {
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: cognito.poolId,
        Username: 'ben@example.com',
        TemporaryPassword: 'Temp-pass-123!',
        MessageAction: 'SUPPRESS',
      }),
    );
    const watched = await watchedPage();
    const { page } = watched;
    await page.goto(server.url);
    await signIn(page, 'ben@example.com', 'Temp-pass-123!');
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    await page.getByText('ben@example.com').waitFor();
    await expectAccessible(page, 'new password');
    await screenshot(page, 'signin-new-password');

    await page.getByLabel('New password', { exact: true }).fill('Brand-new-pass-9!');
    await page.getByLabel('Repeat the new password').fill('Brand-new-pass-8!');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The two passwords are not the same.');
    await expectAccessible(page, 'new password with an error');

    await page.getByLabel('Repeat the new password').fill('Brand-new-pass-9!');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();
    await page.getByText('Your collection is empty').waitFor(); // Ben's, not Ana's
    expect(await page.locator('.account-email').textContent()).toBe('ben@example.com');
    await screenshot(page, 'signin-new-password-done');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'ben@example.com', 'Brand-new-pass-9!');
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();
    watched.expectNoErrors();
  });

  it('works under the Content-Security-Policy CloudFront sends (web-hosting.ts)', async () => {
    // The deployed policy, with cognito-local as the sign-in endpoint. upgrade-insecure-requests
    // is left out: this page is plain http on loopback (CloudFront serves only https).
    const csp = contentSecurityPolicy([new URL(cognito.endpoint).origin]).replace(/; upgrade-insecure-requests$/, '');
    expect(csp).not.toContain('upgrade-insecure-requests');
    const proxy = await startHeaderProxy(server.url, { 'content-security-policy': csp });
    try {
      const watched = await watchedPage();
      const { page } = watched;
      await page.addInitScript(() => {
        const w = window as unknown as { cspViolations: string[] };
        w.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      const response = await page.goto(proxy.url);
      expect(response!.headers()['content-security-policy']).toBe(csp);
      await signIn(page, 'ana@example.com', PASSWORD);
      await page.locator('.grid .card[data-status="ready"]').first().waitFor();
      await waitFor(
        () =>
          page.evaluate(() => [...document.querySelectorAll<HTMLImageElement>('.grid img')].some((i) => i.complete && i.naturalWidth > 0)),
        { message: 'the thumbnail is shown (blob: URL, allowed by img-src)' },
      );
      expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
      watched.expectNoErrors();
    } finally {
      await proxy.close();
    }
  });
});

/**
 * The app server behind a loopback proxy that sets `headers` on every response, as CloudFront's
 * response headers policy does. (Rewriting the response inside the browser with page.route
 * would make Chromium treat the page as public and refuse its calls to cognito-local on loopback:
 * Local Network Access.)
 */
async function startHeaderProxy(target: string, headers: Record<string, string>) {
  const upstream = new URL(target);
  const proxy = createServer((req, res) => {
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...headers });
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      }),
  };
}
