import { isToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedChatModel, type ScriptedTurn } from '../helpers/scripted-chat-model.js';
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
 * The web app as a person uses it, in Chromium against the real local server (API, pipeline,
 * PGlite, files on disk, local embedder); only the paid models are scripted. The tests run in
 * order and build on each other: upload three screenshots, watch them become ready, open one,
 * search, chat, delete. Every page is checked for console errors and with axe-core, and
 * screenshotted into test-output/browser/.
 */

let browser: Browser;
let server: AppServer;
const chatModel = new ScriptedChatModel();
const opened: WatchedPage[] = [];
let desktop: WatchedPage;

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchChromium(),
    startAppServer({
      vision: new VisionBySize({ [WIDTHS.ramen]: ANALYSES.ramen, [WIDTHS.onsen]: ANALYSES.onsen, [WIDTHS.cursor]: ANALYSES.cursor }),
      chatModel,
    }),
  ]);
  desktop = await openPage(browser);
  opened.push(desktop);
});
afterAll(async () => {
  for (const p of opened) await p.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

const api = async (path: string) => {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: (await res.json()) as any };
};

describe('web app end to end (Chromium)', () => {
  it('starts empty, uploads three images (and refuses a text file), and shows them become ready', async () => {
    const { page } = desktop;
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();
    await page.getByText('Your collection is empty').waitFor();
    await expectAccessible(page, 'empty library');
    await screenshot(page, 'library-empty');

    const images = await Promise.all(
      (['ramen', 'onsen', 'cursor'] as const).map(async (name) => ({
        name: `${name}.png`,
        mimeType: 'image/png',
        buffer: await textImage([ANALYSES[name].headline, ...ANALYSES[name].image_details.extracted_text], WIDTHS[name]),
      })),
    );
    await page
      .locator('header input[type=file]')
      .setInputFiles([...images, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') }]);

    const tray = page.getByRole('region', { name: 'Uploads' });
    await expect.poll(() => tray.locator('[data-upload-status="rejected"]').textContent()).toContain('Not a supported image type');
    await tray.locator('[data-upload-status="done"]').nth(2).waitFor();
    // The grid shows them at once, then each one's status follows the pipeline by itself.
    await page.locator('.grid .card').nth(2).waitFor();
    await page.locator('.grid .card[data-status="ready"]').nth(2).waitFor({ timeout: 45_000 });
    expect(await page.locator('.grid .card').count()).toBe(3);
    await expect.poll(() => page.locator('.counts').textContent()).toMatch(/3 items · 3 ready/);
    await page.locator('.grid .card[data-status="ready"] img').nth(2).waitFor();
    await waitFor(
      () =>
        page.evaluate(() => [...document.querySelectorAll<HTMLImageElement>('.grid img')].every((i) => i.complete && i.naturalWidth > 0)),
      {
        message: 'thumbnails loaded',
      },
    );

    // Newest first: the last upload of the batch is not necessarily last done, but all are here.
    // Each card is titled by its analysis's headline, with the category beside the date.
    const titles = await page.locator('.grid .card-title').allTextContents();
    expect(titles.sort()).toEqual(['Cursor: an AI code editor', 'Ichiran Ramen in Fukuoka', 'Kurokawa Onsen hot spring village']);
    const categories = await page.locator('.grid .card-category').allTextContents();
    expect(categories.sort()).toEqual(['Food', 'Technology', 'Travel']);
    await expectAccessible(page, 'library');
    await screenshot(page, 'library');

    // Filter by category: a chip per category with its count (GET /categories).
    const chips = page.getByRole('navigation', { name: 'Filter by category' }).getByRole('link');
    await expect.poll(() => chips.allInnerTexts()).toEqual(['All', 'Food\n1', 'Technology\n1', 'Travel\n1']);
    await page
      .getByRole('navigation', { name: 'Filter by category' })
      .getByRole('link', { name: /Travel/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Travel' }).waitFor();
    await expect.poll(() => page.locator('.grid .card').count()).toBe(1);
    await page.getByRole('navigation', { name: 'Filter by category' }).getByRole('link', { name: 'All' }).click();
    await expect.poll(() => page.locator('.grid .card').count()).toBe(3);
    desktop.expectNoErrors();
  });

  it('opens an item: image, headline, summary, text, places, hashtags, versions; re-analyzes', async () => {
    const { page } = desktop;
    await page.locator('.grid .card', { hasText: 'Food' }).getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: 'Ichiran Ramen in Fukuoka' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/item\/[0-9a-f-]{36}$/);
    const details = page.locator('.item-details');
    for (const text of ['A tonkotsu ramen shop', 'Tonkotsu ramen', 'Open 24 hours', 'Fukuoka, Japan', '#ramen', 'cozy', 'ramen', 'Food']) {
      await expect.poll(() => details.textContent()).toContain(text);
    }
    await waitFor(
      () =>
        page.evaluate(() => {
          const img = document.querySelector<HTMLImageElement>('.item-image');
          return !!img && img.complete && img.naturalWidth === 600;
        }),
      { message: 'the original image is shown' },
    );
    await page.getByRole('button', { name: /^v1 / }).waitFor();

    await page.getByRole('button', { name: 'Re-analyze' }).click();
    await page.getByRole('button', { name: /^v2 / }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: /^v2 / }).getAttribute('aria-pressed')).toBe('true');
    await expectAccessible(page, 'item page');
    await screenshot(page, 'item');

    // Back to the library keeps the list.
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();
    await expect.poll(() => page.locator('.grid .card').count()).toBe(3);
    desktop.expectNoErrors();
  });

  it('searches (hybrid by default, bm25 by the switch) and says so honestly when nothing matches', async () => {
    const { page } = desktop;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
    const box = page.getByRole('searchbox', { name: 'Search your collection' });
    await box.fill('Kurokawa onsen');
    await box.press('Enter');
    const results = page.locator('.results .result');
    await results.first().waitFor();
    expect(await results.first().locator('.result-headline').textContent()).toBe('Kurokawa Onsen hot spring village');
    await expect.poll(() => results.first().textContent()).toContain('Travel');
    // A 0–1 relevance shown as a percentage, never a raw RRF number.
    expect(await results.first().locator('.score').textContent()).toMatch(/^match \d{1,3}%$/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('Kurokawa onsen');
    await expect.poll(() => page.locator('.results-title').textContent()).toContain('hybrid');
    await expectAccessible(page, 'search results');

    // With a chat model: an answer whose [Item n] citations open the items.
    chatModel.reply({ text: 'Kurokawa Onsen is a hot spring village with outdoor baths [Item 1].' });
    await page.getByRole('checkbox', { name: 'Answer with citations' }).check();
    await box.press('Enter');
    const answer = page.getByRole('region', { name: 'Answer' });
    await answer.getByText('Kurokawa Onsen is a hot spring village with outdoor baths').waitFor();
    expect(new URL(page.url()).searchParams.get('answer')).toBe('1');
    await expectAccessible(page, 'search answer');
    await screenshot(page, 'search');
    await answer.getByRole('link', { name: /Source 1: Kurokawa Onsen/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Kurokawa Onsen hot spring village' }).waitFor();
    await page.goBack();
    await answer.waitFor();
    await page.getByRole('checkbox', { name: 'Answer with citations' }).uncheck();

    await page.getByRole('radio', { name: 'Keywords' }).check();
    await box.fill('zanzibar xylophone');
    await box.press('Enter');
    await page.getByText('Nothing in your collection matches “zanzibar xylophone”').waitFor();
    expect(new URL(page.url()).searchParams.get('type')).toBe('bm25');
    await expectAccessible(page, 'empty search');
    await screenshot(page, 'search-empty');

    // By meaning there are always nearest items: shown as the closest, said to be so.
    await page.getByRole('radio', { name: 'Meaning' }).check();
    await box.press('Enter');
    await page.getByText('No close match — closest items').waitFor();
    expect(await page.locator('.results .result').first().getAttribute('data-match')).toBe('weak');
    await expectAccessible(page, 'weak search');
    await page.getByRole('radio', { name: 'Keywords' }).check();

    // A result opens its item.
    await box.fill('AI code editor');
    await page.getByRole('radio', { name: 'Hybrid' }).check();
    await box.press('Enter');
    const cursor = page.locator('.results .result', { hasText: 'Cursor: an AI code editor' });
    await cursor.getByRole('link', { name: /^Cursor: an AI code editor/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Cursor: an AI code editor' }).waitFor();
    // Anywhere on the card opens it too (the headline's link covers the card)…
    await page.goBack();
    await cursor.locator('.score').click({ force: true });
    await page.getByRole('heading', { level: 1, name: 'Cursor: an AI code editor' }).waitFor();
    // …but its category pill is a link of its own: the same search, in that category only.
    await page.goBack();
    await cursor.getByRole('link', { name: 'Technology' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('category')).toBe('Technology');
    expect(new URL(page.url()).searchParams.get('q')).toBe('AI code editor');
    const pills = async () => new Set(await page.locator('.results .result .category-pill').allTextContents());
    await expect.poll(pills).toEqual(new Set(['Technology']));
    desktop.expectNoErrors();
  });

  it('chats: streams a turn that searches the collection and shows the cited item as a card', async () => {
    const { page } = desktop;
    const cite = (messages: BaseMessage[]): ScriptedTurn => {
      const tool = messages.find((m) => isToolMessage(m) && /item [0-9a-f-]{36}/.test(String(m.content)));
      const id = tool ? /item ([0-9a-f-]{36}) \(Food\)/.exec(String(tool.content))?.[1] : undefined;
      return { text: id ? `You saved Ichiran Ramen in Fukuoka [Item ${id}]. It is open 24 hours.` : 'I found nothing.' };
    };
    chatModel.reply({ toolCalls: [{ name: 'search_collection', args: { query: 'ramen Fukuoka' } }] }, cite);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat' }).click();
    await page.getByText('Ask about your collection').waitFor();
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('Which ramen places did I save in Fukuoka?');
    await input.press('Enter');

    const answer = page.locator('.bubble.assistant').last();
    await answer.locator('.assistant-text', { hasText: 'You saved Ichiran Ramen in Fukuoka' }).waitFor();
    await expect.poll(() => answer.locator('.activities').textContent()).toContain('Searched your collection for “ramen Fukuoka”');
    const card = answer.locator('.cited-card');
    await card.first().waitFor();
    expect(await card.count()).toBe(1);
    await expect.poll(() => card.first().textContent()).toContain('Ichiran Ramen in Fukuoka');
    expect(chatModel.calls[0]!.tools).toContain('search_collection');
    expect(new URL(page.url()).searchParams.get('session')).toMatch(/^[0-9a-f-]{36}$/);
    const sessions = page.getByRole('complementary', { name: 'Conversations' });
    await sessions.getByRole('link', { name: /Which ramen places/ }).waitFor();
    await expectAccessible(page, 'chat');
    await screenshot(page, 'chat');

    // A reload shows the conversation from its history, citation card included.
    await page.reload();
    await page.locator('.bubble.assistant .cited-card', { hasText: 'Ichiran Ramen in Fukuoka' }).waitFor();

    await page.locator('.bubble.assistant .cited-card').first().getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Ichiran Ramen in Fukuoka' }).waitFor();
    desktop.expectNoErrors();
  });

  it('deletes a chat session and an item after confirming', async () => {
    const { page } = desktop;
    // The item page is open on the ramen item (previous test).
    const id = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this item?' });
    await dialog.waitFor();
    await expectAccessible(page, 'delete dialog');
    await screenshot(page, 'item-delete');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your collection' }).waitFor();
    await page.getByRole('status').getByText('Deleted Ichiran Ramen in Fukuoka').waitFor();
    await expect.poll(() => page.locator('.grid .card').count()).toBe(2);
    expect((await api(`/items/${id}`)).status).toBe(404);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat' }).click();
    const sessions = page.getByRole('complementary', { name: 'Conversations' });
    await sessions
      .getByRole('button', { name: /Delete conversation/ })
      .first()
      .click();
    await page.getByRole('dialog', { name: 'Delete this conversation?' }).getByRole('button', { name: 'Delete' }).click();
    await sessions.getByText('No conversations yet.').waitFor();
    expect((await api('/chat/sessions')).body.sessions).toEqual([]);
    desktop.expectNoErrors();
  });

  it('works with the keyboard alone', async () => {
    const { page } = desktop;
    await page.goto(server.url);
    await page.locator('.grid .card').nth(1).waitFor();
    // The first Tab reaches the skip link, which moves focus to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    // Tab through to the first card, open it with Enter.
    const first = await page.locator('.grid .card').first().getAttribute('data-item-id');
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const onCard = await page.evaluate(() => document.activeElement?.closest('.card')?.getAttribute('data-item-id') ?? null);
      if (onCard) break;
    }
    expect(await page.evaluate(() => document.activeElement?.closest('.card')?.getAttribute('data-item-id'))).toBe(first);
    await page.keyboard.press('Enter');
    await page.locator('.item-page h1').waitFor();
    // Focus moved to the new page's heading.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    // Reach "Delete…", open the dialog, and leave it with Escape.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Delete…') break;
    }
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete this item?' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // Search from the keyboard: the search page focuses its box.
    await page.goto(`${server.url}/search`);
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('search');
    await page.keyboard.type('Cursor');
    await page.keyboard.press('Enter');
    await page.locator('.results .result', { hasText: 'Cursor: an AI code editor' }).waitFor();
    desktop.expectNoErrors();
  });

  it('keeps uploading while the user moves to another page', async () => {
    const { page } = desktop;
    await page.goto(server.url);
    await page.locator('.grid .card').nth(1).waitFor();
    const picture = await textImage(['Blue Bottle Coffee', 'Kiyosumi, Tokyo'], 720);
    await page.locator('header input[type=file]').setInputFiles([{ name: 'coffee.png', mimeType: 'image/png', buffer: picture }]);
    // Straight to another page (in-app navigation: the upload is not interrupted).
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
    const done = page.getByRole('region', { name: 'Uploads' }).locator('[data-upload-status="done"]', { hasText: 'coffee.png' });
    await done.waitFor();
    // The tray links the upload to its item: that id's card must become ready in the grid.
    const href = await done.getByRole('link', { name: 'coffee.png' }).getAttribute('href');
    const id = decodeURIComponent(href!.replace(/^\/item\//, ''));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
    await page.locator(`.grid .card[data-item-id="${id}"][data-status="ready"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator('.grid .card').count()).toBe(3);
    desktop.expectNoErrors();
  });

  it('looks right at 375 px: no sideways scrolling, accessible', async () => {
    const mobile = await openPage(browser, { viewport: { width: 375, height: 812 } });
    opened.push(mobile);
    const { page } = mobile;
    const noOverflow = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

    await page.goto(server.url);
    await page.locator('.grid .card[data-status="ready"]').nth(1).waitFor();
    expect(await noOverflow()).toBe(true);
    const columns = await page.evaluate(() => getComputedStyle(document.querySelector('.grid')!).gridTemplateColumns.split(' ').length);
    expect(columns).toBe(2);
    await expectAccessible(page, 'library (375 px)');
    await screenshot(page, 'mobile-library');

    await page.locator('.grid .card').first().getByRole('link').first().click();
    await page.locator('.item-page h1').waitFor();
    expect(await noOverflow()).toBe(true);
    await screenshot(page, 'mobile-item');

    await page.goto(`${server.url}/search?q=onsen`);
    await page.locator('.results .result').first().waitFor();
    expect(await noOverflow()).toBe(true);
    await expectAccessible(page, 'search (375 px)');
    await screenshot(page, 'mobile-search');

    chatModel.reply({ text: 'Hello! Ask me about what you saved.' });
    await page.goto(`${server.url}/chat`);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('hello');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.bubble.assistant', { hasText: 'Hello! Ask me' }).waitFor();
    expect(await noOverflow()).toBe(true);
    await expectAccessible(page, 'chat (375 px)');
    await screenshot(page, 'mobile-chat');
    mobile.expectNoErrors();
  });

  it('shows a failed item with its reason and a Retry button that brings it to ready', async () => {
    const { page } = desktop;
    await page.goto(server.url);
    await page.locator('.grid .card').first().waitFor();
    const vision = server.vision as unknown as VisionBySize;
    vision.failOnce(760, 'the vision model refused this image');
    const picture = await textImage(['Menu board', 'Matcha latte 650 yen'], 760);
    await page.locator('header input[type=file]').setInputFiles([{ name: 'menu.png', mimeType: 'image/png', buffer: picture }]);
    const done = page.getByRole('region', { name: 'Uploads' }).locator('[data-upload-status="done"]', { hasText: 'menu.png' });
    await done.waitFor();
    const id = decodeURIComponent((await done.getByRole('link', { name: 'menu.png' }).getAttribute('href'))!.replace(/^\/item\//, ''));
    const card = page.locator(`.grid .card[data-item-id="${id}"]`);
    // It fails by itself (the grid polls), says so, and offers a retry.
    await page.locator(`.grid .card[data-item-id="${id}"][data-status="failed"]`).waitFor({ timeout: 30_000 });
    expect(await card.textContent()).toContain('Could not be read');
    expect(await card.locator('.card-error').textContent()).toContain('the vision model refused this image');
    await expectAccessible(page, 'library with a failed item');
    await screenshot(page, 'library-failed');
    await card.getByRole('button', { name: 'Retry menu.png' }).click();
    await page.locator(`.grid .card[data-item-id="${id}"][data-status="ready"]`).waitFor({ timeout: 30_000 });
    expect(await api(`/items/${id}`)).toMatchObject({ status: 200, body: { status: 'ready', error: null } });
    desktop.expectNoErrors();
  });
});
