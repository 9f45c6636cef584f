/**
 * Helpers for browser tests that need a collection before the browser opens it:
 *
 * - `uploadImage(server, name, bytes)` → the new item's id (POST /items, as the app does).
 * - `waitAllReady(server, n)`: until the collection has `n` items, all ready.
 * - `listIds(server, query?)`: the ids of GET /items (newest first), `limit` 100 unless given.
 * - `expectAccessibleLightAndDark(page, label)`: axe-core with the light palette, then with the
 *   dark one (prefers-color-scheme: dark), back to light afterwards.
 */
import type { Page } from 'playwright-core';
import { expectAccessible, waitFor, type AppServer } from './index.js';

export async function uploadImage(server: AppServer, name: string, bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name);
  const res = await fetch(`${server.url}/items`, { method: 'POST', body: form });
  const body = (await res.json()) as { id?: string; error?: unknown };
  if (!res.ok || !body.id) throw new Error(`upload of ${name} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

export async function listIds(server: AppServer, query: Record<string, string | number> = {}): Promise<string[]> {
  const params = new URLSearchParams(Object.entries({ limit: 100, ...query }).map(([k, v]) => [k, String(v)]));
  const res = await fetch(`${server.url}/items?${params}`);
  if (!res.ok) throw new Error(`GET /items?${params}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id);
}

export async function waitAllReady(server: AppServer, n: number, timeoutMs = 90_000): Promise<void> {
  await waitFor(
    async () => {
      const res = await fetch(`${server.url}/categories`);
      const facets = (await res.json()) as { by_status: Record<string, number> };
      return (facets.by_status.ready ?? 0) >= n;
    },
    { timeoutMs, intervalMs: 250, message: `${n} items ready` },
  );
}

/** Switches the colour scheme and waits until no transition is still running from the old palette. */
async function colourScheme(page: Page, scheme: 'light' | 'dark') {
  await page.emulateMedia({ colorScheme: scheme });
  await page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await Promise.all(document.getAnimations().map((a) => (a instanceof CSSTransition ? a.finished.catch(() => {}) : null)));
  });
}

export async function expectAccessibleLightAndDark(page: Page, label: string): Promise<void> {
  await colourScheme(page, 'light');
  await expectAccessible(page, `${label} (light)`);
  await colourScheme(page, 'dark');
  try {
    await expectAccessible(page, `${label} (dark)`);
  } finally {
    await colourScheme(page, 'light');
  }
}
