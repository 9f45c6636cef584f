import sharp from 'sharp';
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

/**
 * Uploads from anywhere in Chromium against the real local server (issue 17): an image pasted
 * from the clipboard (text pasted into a field stays text), files dropped on any page (the
 * overlay while dragging), the one Upload button in the header, an exact duplicate linked to
 * the item it is, and a near duplicate (the same picture re-encoded: perceptual hash) warned of
 * with links to its look-alikes, axe-clean in light and dark.
 */
let browser: Browser;
let server: AppServer;
const opened: WatchedPage[] = [];
const PHOTO_WIDTH = 660;
let photoId = '';

/**
 * A photo-like picture: a 9×8 grid of grey levels, so its difference hash has plenty of bits
 * set and clear (white screenshots with a few words are too plain to be compared).
 */
function photo(): Promise<Buffer> {
  const width = PHOTO_WIDTH;
  const height = 900;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cell = Math.floor((x * 9) / width) + 9 * Math.floor((y * 8) / height);
      const grey = (cell * 97 + 31) % 256;
      pixels.fill(grey, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchChromium(),
    startAppServer({
      vision: new VisionBySize({ [PHOTO_WIDTH]: { category: 'Travel', headline: 'Mosaic wall in Lisbon', summary: 'Tiles.' } }),
    }),
  ]);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await photo())], { type: 'image/png' }), 'mosaic.png');
  const res = await fetch(`${server.url}/items`, { method: 'POST', body: form });
  expect(res.status).toBe(201);
  photoId = ((await res.json()) as { id: string }).id;
  await waitFor(async () => ((await (await fetch(`${server.url}/items/${photoId}`)).json()) as { status: string }).status === 'ready', {
    timeoutMs: 60_000,
    message: 'the mosaic is ready',
  });
});
afterAll(async () => {
  for (const p of opened) await p.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

async function open() {
  const watched = await openPage(browser);
  opened.push(watched);
  return watched;
}

const rootBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

/** Dispatches a paste carrying these PNG bytes (as image.png, like a screenshot) and/or text on `selector`. */
const paste = (page: Page, png: Buffer | null, text: string | null, selector = 'body') =>
  page.evaluate(
    ([b64, text, selector]) => {
      const data = new DataTransfer();
      if (b64) data.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'image.png', { type: 'image/png' }));
      if (text) data.setData('text/plain', text);
      const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      document.querySelector(selector)!.dispatchEvent(event);
      return event.defaultPrevented;
    },
    [png?.toString('base64') ?? null, text, selector] as const,
  );

/** Drags a PNG over `selector` and drops it there. */
const drop = (page: Page, png: Buffer, name: string, selector: string) =>
  page.evaluate(
    ([b64, name, selector]) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type: 'image/png' }));
      const target = document.querySelector(selector)!;
      const fire = (type: string) => target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      fire('dragenter');
      fire('dragover');
      // The overlay shows while files are over the window (React renders it a frame or more later).
      return new Promise<{ overlay: boolean; handled: boolean }>((resolve) => {
        const started = performance.now();
        const check = () => {
          const overlay = !!document.querySelector('.drop-overlay');
          if (overlay || performance.now() - started > 3000) resolve({ overlay, handled: !fire('drop') });
          else requestAnimationFrame(check);
        };
        check();
      });
    },
    [png.toString('base64'), name, selector] as const,
  );

describe('uploads from anywhere (Chromium)', () => {
  it('uploads a pasted screenshot, leaves pasted text alone, and links an exact duplicate to what is saved', async () => {
    const { page, expectNoErrors } = await open();
    await page.goto(server.url);
    await page.locator('.grid .card').first().waitFor();
    // The header's Upload is the only one (the empty library points to it).
    expect(await page.locator('input[type=file]').count()).toBe(1);
    const tray = page.getByRole('region', { name: 'Uploads' });

    // Text pasted into the search box is text.
    expect(await paste(page, null, 'just words', '.header-search-input')).toBe(false);
    expect(await tray.count()).toBe(0);

    const coffee = await textImage(['Blue Bottle Coffee', 'Kiyosumi, Tokyo'], 720);
    expect(await paste(page, coffee, null)).toBe(true);
    const done = tray.locator('[data-upload-status="done"]', { hasText: /^Pasted image \d{4}-\d\d-\d\d/ });
    await done.waitFor();
    const href = await done.getByRole('link').first().getAttribute('href');
    await page.locator(`.grid .card[data-item-id="${href!.split('/').pop()}"]`).waitFor();

    // The same bytes again: already saved, with a link to the item they are.
    expect(await paste(page, coffee, null)).toBe(true);
    const duplicate = tray.locator('[data-upload-status="duplicate"]');
    await duplicate.waitFor();
    await expect.poll(() => duplicate.textContent()).toContain('Already in your collection:');
    expect(await duplicate.locator('.upload-related').getByRole('link').getAttribute('href')).toBe(href);
    expect(await page.locator('.grid .card').count()).toBe(2);
    await expectAccessible(page, 'upload tray with a duplicate');
    expectNoErrors();
  });

  it('warns of a near duplicate with links to the look-alikes, in light and dark', async () => {
    const { page, expectNoErrors } = await open();
    await page.goto(server.url);
    await page.locator('.grid .card').first().waitFor();
    // The mosaic again, re-encoded as JPEG: other bytes, the same picture (perceptual hash).
    const again = await sharp(await photo())
      .jpeg({ quality: 80 })
      .toBuffer();
    await page.locator('header input[type=file]').setInputFiles([{ name: 'mosaic-again.jpg', mimeType: 'image/jpeg', buffer: again }]);
    const entry = page.getByRole('region', { name: 'Uploads' }).locator('[data-upload-status="done"]', { hasText: 'mosaic-again.jpg' });
    await entry.getByText('Looks like something you already have').waitFor();
    const link = entry.locator('.upload-similar').getByRole('link', { name: 'Mosaic wall in Lisbon' });
    expect(await link.getAttribute('href')).toBe(`/item/${photoId}`);
    await expectAccessible(page, 'near-duplicate warning');
    await page.getByRole('radio', { name: 'Dark' }).check();
    // Under reduced motion every change is a 0.01 ms transition: axe runs once the palette is in.
    await expect.poll(() => rootBackground(page)).toBe('rgb(17, 22, 20)');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await expectAccessible(page, 'near-duplicate warning, dark');
    await screenshot(page, 'shell-near-duplicate-dark');
    // It stays until read (uploads that went fine leave the tray after a few seconds).
    await page.waitForTimeout(6500);
    expect(await entry.count()).toBe(1);
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Mosaic wall in Lisbon' }).waitFor();
    expectNoErrors();
  });

  it('takes files dropped on any page (item page, search box), with the overlay while dragging', async () => {
    const { page, expectNoErrors } = await open();
    await page.goto(`${server.url}/item/${photoId}`);
    await page.getByRole('heading', { level: 1, name: 'Mosaic wall in Lisbon' }).waitFor();
    const tray = page.getByRole('region', { name: 'Uploads' });
    expect(await drop(page, await textImage(['Dropped on an item page'], 730), 'dropped-item.png', 'main h1')).toEqual({
      overlay: true,
      handled: true,
    });
    await tray.locator('[data-upload-status="done"]', { hasText: 'dropped-item.png' }).waitFor();
    await page.locator('.drop-overlay').waitFor({ state: 'detached' });

    // On the search page's text box: the file is uploaded, nothing lands in the box.
    await page.goto(`${server.url}/search`);
    const box = page.getByRole('searchbox', { name: 'Search your collection' });
    await box.waitFor();
    expect(
      await drop(page, await textImage(['Dropped on the search box'], 740), 'dropped-search.png', 'main input[type=search]'),
    ).toMatchObject({
      handled: true,
    });
    await tray.locator('[data-upload-status="done"]', { hasText: 'dropped-search.png' }).waitFor();
    expect(await box.inputValue()).toBe('');
    expectNoErrors();
  });
});
