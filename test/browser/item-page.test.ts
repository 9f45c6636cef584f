import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  VisionBySize,
  launchChromium,
  openPage,
  screenshot,
  startAppServer,
  textImage,
  type AppServer,
  type WatchedPage,
} from './helpers/index.js';
import { expectAccessibleLightAndDark, listIds, uploadImage, waitAllReady } from './helpers/seed.js';
import { insertReadyItems } from '../../bench/lib/seed-items.js';
import { AnalysisSchema } from '../../src/domain/analysis.js';
import { objectKeys } from '../../src/domain/item.js';
import { ANALYSES, WIDTHS } from './helpers/three-screenshots.js';

/**
 * The item page (issue 17) in Chromium against the real server: its category, places, hashtags
 * and subcategories as links, the original in a full-screen zoom dialog (keyboard and mouse),
 * previous/next through the library list it was opened from (buttons, ← and →), and the items
 * most like it.
 */
const NAGI = {
  category: 'Food',
  subcategories: ['ramen', 'noodles'],
  headline: 'Ramen Nagi in Shinjuku',
  summary: 'A small ramen shop in Tokyo known for its niboshi ramen.',
  media_metadata: { location_tags: ['Tokyo, Japan'], hashtags: ['#ramen', '#tokyo'] },
  image_details: { extracted_text: ['Ramen Nagi', 'Niboshi ramen'], themes: ['food'], vibes: ['busy'] },
};
const NAGI_WIDTH = 720;

let browser: Browser;
let server: AppServer;
let desktop: WatchedPage;
const ids: Record<'ramen' | 'onsen' | 'cursor' | 'nagi', string> = { ramen: '', onsen: '', cursor: '', nagi: '' };

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchChromium(),
    startAppServer({
      vision: new VisionBySize({
        [WIDTHS.ramen]: ANALYSES.ramen,
        [WIDTHS.onsen]: ANALYSES.onsen,
        [WIDTHS.cursor]: ANALYSES.cursor,
        [NAGI_WIDTH]: NAGI,
      }),
    }),
  ]);
  for (const name of ['ramen', 'onsen', 'cursor'] as const) {
    const a = ANALYSES[name];
    ids[name] = await uploadImage(server, `${name}.png`, await textImage([a.headline, ...a.image_details.extracted_text], WIDTHS[name]));
  }
  ids.nagi = await uploadImage(server, 'nagi.png', await textImage([NAGI.headline, ...NAGI.image_details.extracted_text], NAGI_WIDTH));
  await waitAllReady(server, 4);
  desktop = await openPage(browser);
}, 180_000);
afterAll(async () => {
  await desktop?.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

const path = (page: Page) => new URL(page.url()).pathname;
const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name }).waitFor();

/** The library (with `query`), then the card of `id`. */
async function openFromLibrary(page: Page, id: string, query = '') {
  await page.goto(`${server.url}/${query}`);
  await page.locator(`.grid .card[data-item-id="${id}"]`).locator('.card-link').click();
  await page.locator('.item-page h1').waitFor();
  await expect.poll(() => path(page)).toBe(`/item/${id}`);
}

describe('item page (Chromium)', () => {
  it('links the category to the library, and places, hashtags and subcategories to searches', async () => {
    const { page } = desktop;
    await openFromLibrary(page, ids.ramen);
    await heading(page, 'Ichiran Ramen in Fukuoka');
    const details = page.locator('.item-details');
    expect(await details.getByRole('link', { name: 'Food', exact: true }).getAttribute('href')).toBe('/?category=Food');
    const facts = page.locator('.facts');
    expect(await facts.getByRole('link', { name: 'Fukuoka, Japan' }).getAttribute('href')).toBe('/search?q=Fukuoka%2C+Japan');
    expect(await facts.getByRole('link', { name: '#fukuoka' }).getAttribute('href')).toBe('/search?q=%23fukuoka');
    expect(await facts.getByRole('link', { name: 'restaurant' }).getAttribute('href')).toBe('/search?q=restaurant');
    // Themes and vibes stay plain words.
    expect(await facts.getByRole('link', { name: 'cozy' }).count()).toBe(0);
    await expectAccessibleLightAndDark(page, 'item page');
    await screenshot(page, 'item-links');

    await facts.getByRole('link', { name: 'Fukuoka, Japan' }).click();
    await heading(page, 'Search');
    expect(await page.getByRole('searchbox', { name: 'Search your collection' }).inputValue()).toBe('Fukuoka, Japan');
    await page.locator('.results .result').first().waitFor();
    expect(await page.locator('.results .result').first().getAttribute('data-item-id')).toBe(ids.ramen);

    await page.goBack();
    await heading(page, 'Ichiran Ramen in Fukuoka');
    await details.getByRole('link', { name: 'Food', exact: true }).click();
    await heading(page, 'Food');
    await expect.poll(() => page.locator('.grid .card').count()).toBe(2);
    desktop.expectNoErrors();
  });

  it('opens the original full screen and zooms with the keyboard; Escape closes it and focus returns', async () => {
    const { page } = desktop;
    await openFromLibrary(page, ids.ramen);
    const trigger = page.getByRole('button', { name: 'Enlarge image: Ichiran Ramen in Fukuoka' });
    await trigger.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Ichiran Ramen in Fukuoka' });
    await dialog.waitFor();
    const level = dialog.locator('.zoom-level');
    await expect.poll(() => level.textContent()).toBe('100%');
    await expect.poll(() => dialog.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(600);

    await page.keyboard.press('+');
    await expect.poll(() => level.textContent()).toBe('125%');
    await page.keyboard.press('+');
    await expect.poll(() => level.textContent()).toBe('156%');
    await page.keyboard.press('-');
    await expect.poll(() => level.textContent()).toBe('125%');
    // The arrow keys move the image, and do not go to another item while the dialog is open.
    const canvas = dialog.locator('.zoom-canvas');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => canvas.evaluate((el) => el.style.transform)).toMatch(/^translate\(-60px, 0px\)/);
    expect(path(page)).toBe(`/item/${ids.ramen}`);
    await expectAccessibleLightAndDark(page, 'zoom dialog');
    await screenshot(page, 'item-zoom');
    await page.keyboard.press('0');
    await expect.poll(() => level.textContent()).toBe('100%');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('zoom-trigger'))).toBe(true);
    expect(path(page)).toBe(`/item/${ids.ramen}`);
    desktop.expectNoErrors();
  });

  it('zooms with the wheel and the buttons, pans by dragging, and closes with its button', async () => {
    const { page } = desktop;
    await openFromLibrary(page, ids.ramen);
    await page.locator('.zoom-trigger').click();
    const dialog = page.getByRole('dialog', { name: 'Ichiran Ramen in Fukuoka' });
    await dialog.waitFor();
    const canvas = dialog.locator('.zoom-canvas');
    const scale = async () => Number(await canvas.getAttribute('data-scale'));
    const box = (await dialog.locator('.zoom-stage').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await expect.poll(scale).toBeGreaterThan(1.5);

    const shift = () => canvas.evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).m41);
    const before = await shift();
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => Math.round((await shift()) - before)).toBe(80);

    const zoomed = await scale();
    await dialog.getByRole('button', { name: 'Zoom out' }).click();
    await expect.poll(scale).toBeLessThan(zoomed);
    await dialog.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(scale).toBeCloseTo(zoomed, 5);

    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('zoom-trigger'))).toBe(true);
    desktop.expectNoErrors();
  });

  it('goes to the previous and next item of the library list with ← and → (and the buttons), not while typing', async () => {
    const { page } = desktop;
    const order = await listIds(server); // newest first: nagi, cursor, onsen, ramen
    expect(order).toEqual([ids.nagi, ids.cursor, ids.onsen, ids.ramen]);
    await openFromLibrary(page, order[1]!);
    const nav = page.getByRole('navigation', { name: 'Items' });
    await expect.poll(() => nav.textContent()).toContain('2 of 4');

    await page.keyboard.press('ArrowRight');
    await expect.poll(() => path(page)).toBe(`/item/${order[2]}`);
    await heading(page, 'Kurokawa Onsen hot spring village');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => path(page)).toBe(`/item/${order[0]}`);
    await heading(page, 'Ramen Nagi in Shinjuku');
    // The first has no previous one.
    await page.keyboard.press('ArrowLeft');
    expect(path(page)).toBe(`/item/${order[0]}`);
    expect(await nav.getByRole('button', { name: '← Previous' }).isDisabled()).toBe(true);
    await nav.getByRole('link', { name: 'Next: Cursor: an AI code editor' }).click();
    await expect.poll(() => path(page)).toBe(`/item/${order[1]}`);

    // Not while typing in a field.
    const box = page.locator('header').getByRole('combobox');
    await box.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(200);
    expect(path(page)).toBe(`/item/${order[1]}`);
    await box.blur();

    // A filtered list is the list: Food has Nagi then Ichiran.
    await openFromLibrary(page, ids.nagi, '?category=Food');
    await expect.poll(() => nav.textContent()).toContain('1 of 2');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => path(page)).toBe(`/item/${ids.ramen}`);
    await heading(page, 'Ichiran Ramen in Fukuoka');
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(200);
    expect(path(page)).toBe(`/item/${ids.ramen}`);
    // The way back goes to that list.
    await nav.getByRole('link', { name: '← Your collection' }).click();
    await heading(page, 'Food');
    desktop.expectNoErrors();
  });

  it('shows similar items as thumbnails that open them', async () => {
    const { page } = desktop;
    await openFromLibrary(page, ids.ramen);
    const similar = page.getByRole('region', { name: 'Similar items' });
    await similar.getByRole('link').first().waitFor();
    const links = similar.getByRole('link');
    const count = await links.count();
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(8);
    const shown = await similar.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-item-id')));
    expect(shown).not.toContain(ids.ramen);
    expect(shown[0]).toBe(ids.nagi);
    await expectAccessibleLightAndDark(page, 'item page with similar items');
    await screenshot(page, 'item-similar');
    await links.first().click();
    await heading(page, 'Ramen Nagi in Shinjuku');
    desktop.expectNoErrors();
  });

  it('filters a search by category and by the day items were saved, kept in the URL', async () => {
    const { page } = desktop;
    // Ichiran was "saved" in March 2024 (last test: the library's order changes with it).
    await server.db.query('UPDATE items SET created_at = $2::timestamptz WHERE id = $1', [ids.ramen, '2024-03-10T12:00:00Z']);
    await page.goto(`${server.url}/search?q=ramen`);
    const results = () => page.locator('.results .result').evaluateAll((r) => r.map((x) => x.getAttribute('data-item-id')).sort());
    await page.locator('.results .result').first().waitFor();
    expect(await results()).toEqual(expect.arrayContaining([ids.ramen, ids.nagi]));

    await page.getByRole('combobox', { name: 'Category' }).selectOption('Travel');
    await expect.poll(() => new URL(page.url()).searchParams.get('category')).toBe('Travel');
    await expect.poll(() => page.locator('.results .result .category-pill').allTextContents()).toEqual(['Travel']);

    await page.getByRole('combobox', { name: 'Category' }).selectOption('Food');
    const dates = page.getByRole('group', { name: 'Date saved' });
    await dates.getByLabel('From').fill('2024-03-01');
    await dates.getByLabel('To').fill('2024-03-31');
    await expect.poll(() => new URL(page.url()).searchParams.get('to')).toBe('2024-03-31');
    await expect.poll(results).toEqual([ids.ramen]);
    await expectAccessibleLightAndDark(page, 'search with filters');
    await screenshot(page, 'search-filters');

    await page.reload();
    await expect.poll(results).toEqual([ids.ramen]);
    expect(await page.getByRole('combobox', { name: 'Category' }).inputValue()).toBe('Food');
    expect(await page.getByRole('group', { name: 'Date saved' }).getByLabel('From').inputValue()).toBe('2024-03-01');
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'ramen', category: 'Food', from: '2024-03-01', to: '2024-03-31' });
    desktop.expectNoErrors();
  });

  it('steps past the last item the grid had loaded: the next page of the list is fetched', async () => {
    const { page } = desktop;
    // 50 more ready items, older than the three uploads left at the top (last test: it adds them).
    const { store, config } = server.services;
    const userId = config.auth.localUserId;
    const rows = Array.from({ length: 50 }, (_, n) => ({
      id: randomUUID(),
      n: 10_000 + n, // seconds ago: well before the uploads, after Ichiran (moved to 2024 above)
      analysis: AnalysisSchema.parse({ category: 'Design', headline: `Poster ${n + 1}`, summary: 'A saved poster.' }),
    }));
    await insertReadyItems(server.db, userId, rows, { width: 300, height: 400 });
    const image = (format: 'png' | 'webp') =>
      sharp({ create: { width: 300, height: 400, channels: 3, background: '#4a6' } })
        .toFormat(format)
        .toBuffer();
    const [original, thumb] = await Promise.all([image('png'), image('webp')]);
    await Promise.all(
      rows.flatMap((r) => [
        store.put(objectKeys.original(userId, r.id, 'png'), original, 'image/png'),
        store.put(objectKeys.thumbnail(userId, r.id), thumb, 'image/webp'),
      ]),
    );
    const order = await listIds(server);
    expect(order).toHaveLength(54);

    // The grid's first page is 48 items; the 48th is the last one loaded.
    await page.goto(server.url);
    await page.locator('.grid .card').nth(47).waitFor();
    await page.locator(`.grid .card[data-item-id="${order[47]}"]`).locator('.card-link').click();
    const nav = page.getByRole('navigation', { name: 'Items' });
    await expect.poll(() => nav.textContent()).toContain('48 of 54');
    await nav.getByRole('link', { name: /^Next: / }).waitFor();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => path(page)).toBe(`/item/${order[48]}`);
    await expect.poll(() => nav.textContent()).toContain('49 of 54');
    await nav.getByRole('link', { name: 'Previous: Poster 45' }).click();
    await expect.poll(() => path(page)).toBe(`/item/${order[47]}`);
    desktop.expectNoErrors();
  });
});
