import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  VisionBySize,
  expectAccessible,
  launchChromium,
  openPage,
  screenshot,
  startAppServer,
  textImage,
  waitFor,
  type AppServer,
  type WatchedPage,
} from './helpers/index.js';
import { ANALYSES, WIDTHS } from './helpers/three-screenshots.js';

/**
 * The app's shell in Chromium against the real local server (issue 17): the header's search box
 * (`/`, results as you type, keyboard, weak and empty answers, stale requests cancelled) and the
 * theme (toggle and the device's dark mode, axe-clean in both, 375 px). The three screenshots of
 * app.test.ts are uploaded through the API first. Uploads by paste and drop: shell-uploads.test.ts;
 * the installable app: shell-pwa.test.ts.
 */
let browser: Browser;
let server: AppServer;
const opened: WatchedPage[] = [];
const ids: Record<keyof typeof ANALYSES, string> = { ramen: '', onsen: '', cursor: '' };

async function uploadViaApi(name: string, bytes: Buffer): Promise<{ id: string }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name);
  const res = await fetch(`${server.url}/items`, { method: 'POST', body: form });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchChromium(),
    startAppServer({
      vision: new VisionBySize({ [WIDTHS.ramen]: ANALYSES.ramen, [WIDTHS.onsen]: ANALYSES.onsen, [WIDTHS.cursor]: ANALYSES.cursor }),
    }),
  ]);
  for (const name of ['ramen', 'onsen', 'cursor'] as const) {
    const a = ANALYSES[name];
    ids[name] = (await uploadViaApi(`${name}.png`, await textImage([a.headline, ...a.image_details.extracted_text], WIDTHS[name]))).id;
  }
  await waitFor(
    async () => {
      const list = (await (await fetch(`${server.url}/items?limit=10`)).json()) as { items: { status: string }[] };
      return list.items.length === 3 && list.items.every((i) => i.status === 'ready');
    },
    { timeoutMs: 60_000, message: 'three ready items' },
  );
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

const combobox = (page: Page) => page.getByRole('combobox', { name: 'Quick search' });
const listbox = (page: Page) => page.locator('.header-search').getByRole('listbox');
const rootBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
const DARK_BG = 'rgb(17, 22, 20)';
/** Waits for a palette to be in place: under reduced motion every change is a 0.01 ms transition (styles.css), a frame or two late. */
async function palette(page: Page, background: string) {
  await expect.poll(() => rootBackground(page)).toBe(background);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

describe('header search (Chromium)', () => {
  it('focuses with /, shows results as you type (debounced), and opens the highlighted item with Enter', async () => {
    const { page, expectNoErrors } = await open();
    const searches: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/search') searches.push(JSON.parse(r.postData() ?? '{}').query);
    });
    await page.goto(server.url);
    await page.locator('.grid .card[data-status="ready"]').nth(2).waitFor();
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
    const box = combobox(page);
    expect(await box.getAttribute('aria-expanded')).toBe('false');

    await page.keyboard.type('Kurokawa onsen', { delay: 20 });
    const options = listbox(page).getByRole('option');
    await options.first().waitFor();
    expect(await options.first().textContent()).toContain('Kurokawa Onsen hot spring village');
    expect(await options.first().textContent()).toContain('Travel');
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    expect(await box.getAttribute('aria-controls')).toBe(await listbox(page).getAttribute('id'));
    expect(await options.first().locator('img').count()).toBe(1);
    // A request once typing pauses for 200 ms, not one per key (14 keys typed 20 ms apart).
    expect(searches.length).toBeLessThan(7);
    expect(searches.at(-1)).toBe('Kurokawa onsen');

    await page.keyboard.press('ArrowDown');
    const first = await options.first().getAttribute('id');
    expect(await box.getAttribute('aria-activedescendant')).toBe(first);
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    await expectAccessible(page, 'header search results');
    await screenshot(page, 'shell-header-search');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Kurokawa Onsen hot spring village' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/item/${ids.onsen}`);
    expect(await box.inputValue()).toBe('');

    // From the item page: Escape closes the list, Enter with nothing highlighted opens the search page.
    await page.keyboard.press('/');
    await page.keyboard.type('ramen');
    await options.first().waitFor();
    await page.keyboard.press('Escape');
    await listbox(page).waitFor({ state: 'hidden' });
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    expect(await box.inputValue()).toBe('ramen');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('ramen');
    await page.locator('.results .result', { hasText: 'Ichiran Ramen in Fukuoka' }).waitFor();

    // `/` typed into a text field is text, not the shortcut.
    const pageBox = page.getByRole('searchbox', { name: 'Search your collection' });
    await pageBox.fill('');
    await pageBox.focus();
    await page.keyboard.type('a/b');
    expect(await pageBox.inputValue()).toBe('a/b');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).not.toBe('combobox');
    expectNoErrors();
  });

  it('heads loose matches “No close match — closest items”, says “Nothing found”, and cancels stale requests', async () => {
    const { page, expectNoErrors } = await open({ allowConsoleErrors: (t) => /ERR_ABORTED|aborted/i.test(t) });
    // What the server says of a query that touches nothing: the closest items, weak.
    const weak = (await (
      await fetch(`${server.url}/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'zanzibar xylophone', search_type: 'hybrid', top_k: 8 }),
      })
    ).json()) as { match: string; results: unknown[] };
    expect(weak.match).toBe('weak');
    expect(weak.results.length).toBeGreaterThan(0);

    await page.goto(server.url);
    await page.locator('.grid .card').first().waitFor();
    const box = combobox(page);
    await box.fill('zanzibar xylophone');
    const popup = page.locator('.header-search-popup');
    await popup.getByText('No close match — closest items').waitFor();
    expect(await listbox(page).getAttribute('aria-labelledby')).toBe(await popup.locator('.header-search-note').getAttribute('id'));
    expect(await listbox(page).getByRole('option').first().getAttribute('data-match')).toBe('weak');
    await expectAccessible(page, 'header search, weak');
    await screenshot(page, 'shell-header-search-weak');

    // `none` (an empty collection, a filter that excludes everything), and a slow answer that a
    // newer query makes stale: it is aborted, and never replaces the newer one's results.
    const failed: string[] = [];
    page.on('requestfailed', (r) => new URL(r.url()).pathname === '/search' && failed.push(JSON.parse(r.postData() ?? '{}').query));
    await page.route('**/search', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { query: string };
      if (body.query === 'slow query') {
        await new Promise((r) => setTimeout(r, 1500));
        await route
          .fulfill({
            json: { query: body.query, search_type: 'hybrid', match: 'strong', results: [], total_results: 0, retrieval_time_ms: 1 },
          })
          .catch(() => {});
        return;
      }
      if (body.query === 'nothing at all') {
        await route.fulfill({
          json: { query: body.query, search_type: 'hybrid', match: 'none', results: [], total_results: 0, retrieval_time_ms: 1 },
        });
        return;
      }
      await route.continue();
    });
    await box.fill('slow query');
    await page.waitForTimeout(400); // past the debounce: the request is on its way
    await box.fill('nothing at all');
    await popup.getByText('Nothing found').waitFor();
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => failed).toEqual(['slow query']);
    await page.waitForTimeout(1500);
    expect(await popup.getByText('Nothing found').isVisible()).toBe(true);
    await expectAccessible(page, 'header search, nothing found');
    await page.unroute('**/search');
    expectNoErrors();
  });
});

describe('dark mode (Chromium)', () => {
  it('follows the toggle (stored, applied before render) and the device, axe-clean in both palettes', async () => {
    const { page, expectNoErrors } = await open();
    await page.goto(server.url);
    await page.locator('.grid .card[data-status="ready"]').first().waitFor();
    const light = await rootBackground(page);
    expect(light).toBe('rgb(247, 245, 240)');
    const theme = page.getByRole('group', { name: 'Theme' });
    expect(await theme.getByRole('radio', { name: 'System' }).isChecked()).toBe(true);

    await theme.getByRole('radio', { name: 'Dark' }).check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await palette(page, DARK_BG);
    expect(await page.evaluate(() => localStorage.getItem('collections:theme'))).toBe('dark');
    await expectAccessible(page, 'library, dark');
    await screenshot(page, 'shell-library-dark');

    // A reload keeps it, set before React renders (the first paint of #root is already dark).
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.locator('.grid .card').first().waitFor();
    expect(await theme.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);

    // Every page, dark: the item page, the search page, the header search popup, chat.
    await page.locator(`.grid .card[data-item-id="${ids.ramen}"] .card-link`).click();
    await page.getByRole('heading', { level: 1, name: 'Ichiran Ramen in Fukuoka' }).waitFor();
    await expectAccessible(page, 'item, dark');
    await screenshot(page, 'shell-item-dark');
    await page.goto(`${server.url}/search?q=onsen`);
    await page.locator('.results .result').first().waitFor();
    await expectAccessible(page, 'search, dark');
    await combobox(page).fill('zanzibar xylophone');
    await page.locator('.header-search-popup').getByText('No close match — closest items').waitFor();
    await expectAccessible(page, 'header search, dark');
    await page.goto(`${server.url}/chat`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await expectAccessible(page, 'chat, dark');

    // System again: the device decides (emulated dark here), and Light overrides it.
    await page.goto(server.url);
    await page.locator('.grid .card').first().waitFor();
    await theme.getByRole('radio', { name: 'System' }).check();
    expect(await page.evaluate(() => document.documentElement.hasAttribute('data-theme'))).toBe(false);
    expect(await page.evaluate(() => localStorage.getItem('collections:theme'))).toBeNull();
    await palette(page, light);
    await page.emulateMedia({ colorScheme: 'dark' });
    await palette(page, DARK_BG);
    await expectAccessible(page, 'library, device dark');
    await theme.getByRole('radio', { name: 'Light' }).check();
    await palette(page, light);
    await expectAccessible(page, 'library, light over device dark');
    await theme.getByRole('radio', { name: 'System' }).check();
    expectNoErrors();
  });

  it('fits 375 px in the dark: the header wraps, nothing scrolls sideways', async () => {
    const { page, expectNoErrors } = await open({ viewport: { width: 375, height: 812 } });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(server.url);
    await page.locator('.grid .card[data-status="ready"]').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await combobox(page).fill('ramen');
    await listbox(page).getByRole('option').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(page, 'library with header search (375 px, dark)');
    await screenshot(page, 'shell-mobile-dark');
    expectNoErrors();
  });
});
