import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedChatModel } from '../helpers/scripted-chat-model.js';
import {
  expectAccessible,
  launchChromium,
  openPage,
  screenshot,
  startAppServer,
  type AppServer,
  type WatchedPage,
} from './helpers/index.js';

/**
 * Pages that need no collection: chat without a model, and the API docs under their CSP. (The
 * end-to-end journey over a collection is app.test.ts.)
 */
let browser: Browser;
let server: AppServer;
const opened: WatchedPage[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startAppServer({ chatModel: new ScriptedChatModel() })]);
});
afterAll(async () => {
  for (const p of opened) await p.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

describe('web app pages (Chromium)', () => {
  it('says clearly when no chat model is configured', async () => {
    const noChat = await startAppServer({ db: server.db, chatModel: null });
    try {
      const watched = await openPage(browser);
      opened.push(watched);
      await watched.page.goto(`${noChat.url}/chat`);
      await watched.page.getByRole('heading', { name: 'No chat model is configured' }).waitFor();
      expect(await watched.page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
      await expectAccessible(watched.page, 'chat unavailable');
      await screenshot(watched.page, 'chat-unavailable');
      // The API agrees: a turn is 503 chat_unavailable.
      const res = await fetch(`${noChat.url}/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'hi' }),
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as any).error.code).toBe('chat_unavailable');
      watched.expectNoErrors();
    } finally {
      await noChat.close();
    }
  });

  it('shows the API docs under their content security policy, with no violation', async () => {
    const watched = await openPage(browser);
    opened.push(watched);
    const res = await watched.page.goto(`${server.url}/docs`);
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await watched.page.locator('.swagger-ui .info .title').filter({ hasText: 'Collections API' }).waitFor();
    // The operations rendered from /openapi.json (a CSP blocking fetch or scripts stops this).
    await watched.page.locator('.opblock-summary-path', { hasText: '/search' }).first().waitFor();
    await screenshot(watched.page, 'api-docs');
    watched.expectNoErrors(); // a CSP violation is a console error
  });
});
