import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisInput } from '../../src/domain/analysis.js';
import type { VisionInput, VisionResult } from '../../src/ports/vision.js';
import { solidImage } from '../helpers/images.js';
import { VisionBySize, launchChromium, openPage, screenshot, startAppServer, type AppServer, type WatchedPage } from './helpers/index.js';
import { expectAccessibleLightAndDark, listIds, uploadImage, waitAllReady } from './helpers/seed.js';

/**
 * The library (issue 17) in Chromium against the real server: the order kept on delete, titles on
 * two lines, category chips in one scrolling row at 375 px, selection (checkboxes, Shift ranges,
 * select all, Escape) with bulk delete, re-analyze and export, export of the whole collection, and
 * the date filter. 53 items: more than the grid's first page of 48, so a delete brings one in.
 */
const CATEGORIES = ['Food', 'Travel', 'Technology', 'Shopping', 'Entertainment', 'Education', 'Health', 'Finance'];
const COUNT = 52;
const widthOf = (n: number) => 300 + n * 2;
const LONG_WIDTH = 420;
const LONG_HEADLINE = 'A very long headline about a tonkotsu ramen shop in Fukuoka that stays open all night and serves the best broth';

/** VisionBySize that can be slowed down (to see the progress of a bulk re-analysis). */
class SlowVision extends VisionBySize {
  delayMs = 0;
  override async analyze(input: VisionInput): Promise<VisionResult> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    return super.analyze(input);
  }
}

const analyses: Record<number, Partial<AnalysisInput>> = { [LONG_WIDTH]: { category: 'Food', headline: LONG_HEADLINE } };
for (let n = 0; n < COUNT; n++) {
  analyses[widthOf(n)] = { category: CATEGORIES[n % CATEGORIES.length]!, headline: `Saved note ${String(n).padStart(2, '0')}` };
}
const vision = new SlowVision(analyses);

let browser: Browser;
let server: AppServer;
let desktop: WatchedPage;
const opened: WatchedPage[] = [];
/** The three oldest items, moved to March 2024 for the date filter. */
let march: string[] = [];
let longId: string;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startAppServer({ vision })]);
  for (let n = 0; n < COUNT; n++) {
    await uploadImage(server, `note-${n}.png`, await solidImage('png', n * 37 + 11, { width: widthOf(n), height: 160 }));
  }
  longId = await uploadImage(server, 'long.png', await solidImage('png', 4000, { width: LONG_WIDTH, height: 160 }));
  await waitAllReady(server, COUNT + 1);
  // The first three uploads (the oldest) were "saved" in March 2024.
  march = (await listIds(server)).slice(-3);
  for (const [k, id] of march.entries()) {
    await server.db.query(`UPDATE items SET created_at = $2::timestamptz WHERE id = $1`, [id, `2024-03-1${k}T12:00:00Z`]);
  }
  // A re-analysis the vision model refuses is an error answer, which Chromium logs.
  desktop = await openPage(browser, {
    allowConsoleErrors: (t) => t.includes('Failed to load resource') && /\/items\/[^/]+\/analyze/.test(t),
  });
  opened.push(desktop);
}, 240_000);
afterAll(async () => {
  for (const p of opened) await p.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

const gridIds = (page: Page) => page.locator('.grid .card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-item-id')!));
const card = (page: Page, id: string) => page.locator(`.grid .card[data-item-id="${id}"]`);
const toolbar = (page: Page) => page.getByRole('toolbar');

async function openLibrary(page: Page, path = '/') {
  await page.goto(`${server.url}${path}`);
  await page.locator('.grid .card').first().waitFor();
}

describe('library (Chromium)', () => {
  it('keeps the order when an item is deleted from its page', async () => {
    const { page } = desktop;
    await openLibrary(page);
    await expect.poll(() => page.locator('.grid .card').count()).toBe(48);
    const before = await gridIds(page);
    expect(before).toEqual((await listIds(server)).slice(0, 48));

    const victim = before[2]!;
    await card(page, victim).locator('.card-link').click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete this item?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();

    // The list is the one before, less the deleted item, and the next one from the server joins at the end.
    const expected = (await listIds(server)).slice(0, 48);
    expect(expected).toEqual([...before.filter((id) => id !== victim), expected[47]]);
    await expect.poll(() => gridIds(page)).toEqual(expected);
    desktop.expectNoErrors();
  });

  it('shows titles on up to two lines', async () => {
    const { page } = desktop;
    const title = card(page, longId).locator('.card-title');
    await expect.poll(() => title.textContent()).toBe(LONG_HEADLINE);
    const lines = await title.evaluate((el) => {
      const style = getComputedStyle(el);
      const lineHeight = Number.parseFloat(style.lineHeight);
      return {
        clamp: style.getPropertyValue('-webkit-line-clamp'),
        lines: Math.round(el.getBoundingClientRect().height / lineHeight),
        cut: el.scrollHeight > el.clientHeight + 1,
      };
    });
    expect(lines).toEqual({ clamp: '2', lines: 2, cut: true });
    // A short title stays on one line.
    const short = await page
      .locator('.grid .card-title', { hasText: 'Saved note' })
      .first()
      .evaluate((el) => Math.round(el.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(el).lineHeight)));
    expect(short).toBe(1);
    await expectAccessibleLightAndDark(page, 'library');
    await screenshot(page, 'library-two-line-titles');
  });

  it('keeps the category chips on one row that scrolls at 375 px, and the page does not scroll sideways', async () => {
    const mobile = await openPage(browser, { viewport: { width: 375, height: 812 } });
    opened.push(mobile);
    const { page } = mobile;
    await openLibrary(page);
    const chips = page.getByRole('navigation', { name: 'Filter by category' });
    await chips.getByRole('link', { name: /^Finance/ }).waitFor();
    const layout = await chips.evaluate((nav) => {
      const tops = new Set([...nav.querySelectorAll('a')].map((a) => Math.round(a.getBoundingClientRect().top)));
      return { rows: tops.size, scrolls: nav.scrollWidth > nav.clientWidth, overflowX: getComputedStyle(nav).overflowX };
    });
    expect(layout).toEqual({ rows: 1, scrolls: true, overflowX: 'auto' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // The last chip scrolls into view when focused, still without the page scrolling sideways.
    await chips.getByRole('link').last().focus();
    expect(await page.evaluate(() => window.scrollX)).toBe(0);
    await expectAccessibleLightAndDark(page, 'library (375 px)');
    await screenshot(page, 'library-chips-375');
    mobile.expectNoErrors();
  });

  it('selects with the checkboxes, Shift+click for a range, select all, and Escape to clear', async () => {
    const { page } = desktop;
    await openLibrary(page);
    const ids = await gridIds(page);
    const box = (n: number) => card(page, ids[n]!).getByRole('checkbox');
    const opacity = (n: number) =>
      card(page, ids[n]!)
        .locator('.card-select')
        .evaluate((el) => getComputedStyle(el).opacity);

    // Hidden until the card is hovered or focused.
    await page.mouse.move(1, 1);
    await expect.poll(() => opacity(0)).toBe('0');
    await card(page, ids[0]!).hover();
    await expect.poll(() => opacity(0)).toBe('1');
    await box(0).click();
    await expect.poll(() => toolbar(page).getByRole('status').textContent()).toBe('1 selected');
    expect(await toolbar(page).getAttribute('aria-labelledby')).toBeTruthy();
    // Once anything is selected, every checkbox shows.
    await page.mouse.move(1, 1);
    await expect.poll(() => opacity(6)).toBe('1');

    await box(4).click({ modifiers: ['Shift'] });
    await expect.poll(() => toolbar(page).getByRole('status').textContent()).toBe('5 selected');
    for (let n = 0; n < 6; n++) expect(await box(n).isChecked()).toBe(n < 5);
    // Shift+click again unselects a range.
    await box(1).click();
    await box(3).click({ modifiers: ['Shift'] });
    await expect.poll(() => toolbar(page).getByRole('status').textContent()).toBe('2 selected');
    expect(await Promise.all([0, 1, 2, 3, 4].map((n) => box(n).isChecked()))).toEqual([true, false, false, false, true]);

    await toolbar(page)
      .getByRole('button', { name: `Select all ${ids.length}` })
      .click();
    await expect.poll(() => toolbar(page).getByRole('status').textContent()).toBe(`${ids.length} selected`);
    await expectAccessibleLightAndDark(page, 'library with a selection');
    await screenshot(page, 'library-selection');

    await page.keyboard.press('Escape');
    await toolbar(page).waitFor({ state: 'hidden' });
    expect(await page.locator('.grid input[type=checkbox]:checked').count()).toBe(0);

    // "Clear" does the same.
    await box(2).check();
    await toolbar(page).getByRole('button', { name: 'Clear' }).click();
    await toolbar(page).waitFor({ state: 'hidden' });

    // "Select…" (no hover on touch screens) shows the checkboxes and the bar, focus in it.
    await page.getByRole('button', { name: 'Select…' }).click();
    await expect.poll(() => toolbar(page).getByRole('status').textContent()).toBe('0 selected');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(`Select all ${ids.length}`);
    await page.mouse.move(1, 1);
    await expect.poll(() => opacity(3)).toBe('1');
    await page.keyboard.press('Enter');
    await expect.poll(() => toolbar(page).getByRole('status').textContent()).toBe(`${ids.length} selected`);
    await toolbar(page).getByRole('button', { name: 'Clear' }).click();
    await toolbar(page).waitFor({ state: 'hidden' });
    desktop.expectNoErrors();
  });

  it('deletes the selected items one by one, and the grid keeps its order', async () => {
    const { page } = desktop;
    await openLibrary(page);
    const before = await gridIds(page);
    const chosen = before.slice(5, 8);
    await card(page, chosen[0]!).getByRole('checkbox').check();
    await card(page, chosen[2]!)
      .getByRole('checkbox')
      .click({ modifiers: ['Shift'] });
    await expect.poll(() => toolbar(page).getByRole('status').textContent()).toBe('3 selected');
    await toolbar(page).getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 3 items?' });
    await expectAccessibleLightAndDark(page, 'bulk delete dialog');
    await dialog.getByRole('button', { name: 'Delete 3 items' }).click();
    await toolbar(page).getByText('Deleted 3 items.').waitFor();
    expect(await gridIds(page)).toEqual(before.filter((id) => !chosen.includes(id)));
    for (const id of chosen) expect((await fetch(`${server.url}/items/${id}`)).status).toBe(404);
    await toolbar(page).getByRole('button', { name: 'Done' }).click();
    await toolbar(page).waitFor({ state: 'hidden' });
    desktop.expectNoErrors();
  });

  it('re-analyzes the selected items one at a time, with progress and the reason of each failure', async () => {
    const { page } = desktop;
    await openLibrary(page);
    const ids = await gridIds(page);
    const chosen = ids.slice(0, 3);
    const widths = await Promise.all(
      chosen.map(async (id) => ((await (await fetch(`${server.url}/items/${id}`)).json()) as { width: number }).width),
    );
    const calls = vision.calls.length;
    vision.failOnce(widths[1]!, 'the vision model refused this image');
    vision.delayMs = 300;
    try {
      await card(page, chosen[0]!).getByRole('checkbox').check();
      await card(page, chosen[2]!)
        .getByRole('checkbox')
        .click({ modifiers: ['Shift'] });
      await toolbar(page).getByRole('button', { name: 'Re-analyze' }).click();
      await toolbar(page)
        .getByText(/Re-analyzing [0-2] of 3/)
        .first()
        .waitFor();
      await toolbar(page).getByText('Re-analyzed 2 items.').waitFor({ timeout: 20_000 });
    } finally {
      vision.delayMs = 0;
    }
    expect(vision.calls.length - calls).toBe(3);
    const failure = page.getByRole('alert').filter({ hasText: 'could not be re-analyzed' });
    await expect.poll(() => failure.textContent()).toContain('the vision model refused this image');
    expect(await failure.locator(`[data-item-id="${chosen[1]}"]`).count()).toBe(1);
    const versions = async (id: string) =>
      ((await (await fetch(`${server.url}/items/${id}/analyses`)).json()) as { analyses: unknown[] }).analyses.length;
    expect(await Promise.all(chosen.map(versions))).toEqual([2, 1, 2]);
    // Same order; the grid may have loaded its next page meanwhile (the failure alert moves the end of the list into view).
    expect((await gridIds(page)).slice(0, ids.length)).toEqual(ids);
    await expectAccessibleLightAndDark(page, 'bulk re-analysis with a failure');
    await page.keyboard.press('Escape');
    await toolbar(page).waitFor({ state: 'hidden' });
    desktop.expectNoErrors();
  });

  it('exports the selected items and the whole collection as zip files', async () => {
    const { page } = desktop;
    await openLibrary(page);
    const ids = await gridIds(page);
    const zipOf = async (start: () => Promise<void>) => {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), start()]);
      const bytes = await readFile((await download.path())!);
      return { name: download.suggestedFilename(), magic: bytes.subarray(0, 2).toString('latin1') };
    };

    await card(page, ids[0]!).getByRole('checkbox').check();
    await card(page, ids[1]!).getByRole('checkbox').check();
    const selected = await zipOf(() => toolbar(page).getByRole('button', { name: 'Export' }).click());
    expect(selected.magic).toBe('PK');
    expect(selected.name).toMatch(/\.zip$/);
    await page.keyboard.press('Escape');

    const all = await zipOf(() => page.getByRole('button', { name: 'Export all' }).click());
    expect(all.magic).toBe('PK');
    desktop.expectNoErrors();
  });

  it('filters by the day items were saved (from/to in the URL), with the category', async () => {
    const { page } = desktop;
    await openLibrary(page);
    const dates = page.getByRole('group', { name: 'Date saved' });
    await dates.getByLabel('From').fill('2024-03-01');
    await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('2024-03-01');
    await dates.getByLabel('To').fill('2024-03-11');
    await expect.poll(() => new URL(page.url()).searchParams.get('to')).toBe('2024-03-11');
    // Inclusive: the 10th and the 11th, not the 12th.
    await expect.poll(async () => (await gridIds(page)).sort()).toEqual(march.slice(0, 2).sort());
    await expect.poll(() => page.locator('.counts').textContent()).toBe('2 items');
    await expectAccessibleLightAndDark(page, 'library filtered by date');
    await screenshot(page, 'library-date-filter');

    // The category chips keep the dates; a reload keeps both.
    const detail = (await (await fetch(`${server.url}/items/${march[0]}`)).json()) as { analysis: { category: string } };
    const category = detail.analysis.category;
    await page
      .getByRole('navigation', { name: 'Filter by category' })
      .getByRole('link', { name: new RegExp(`^${category}`) })
      .click();
    await page.getByRole('heading', { level: 1, name: category }).waitFor();
    const url = new URL(page.url());
    expect([url.searchParams.get('category'), url.searchParams.get('from'), url.searchParams.get('to')]).toEqual([
      category,
      '2024-03-01',
      '2024-03-11',
    ]);
    await page.reload();
    await expect.poll(() => gridIds(page)).toEqual([march[0]]);
    expect(await page.getByRole('group', { name: 'Date saved' }).getByLabel('From').inputValue()).toBe('2024-03-01');

    await page.getByRole('button', { name: 'Any date' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.has('from')).toBe(false);
    await expect.poll(async () => (await gridIds(page)).length).toBeGreaterThan(1);
    desktop.expectNoErrors();
  });
});
