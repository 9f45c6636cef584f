/**
 * npm run bench:web — the web app's numbers:
 *
 * - initial JS: the scripts index.html loads before anything renders (entry + modulepreloads),
 *   raw and gzip (level 9), and the CSS;
 * - time to first grid paint with 500 items: the real local server (`startServer`, PGlite on disk,
 *   files on disk) with 500 ready items and thumbnails, measured in Chromium from navigation start
 *   to the `collections:grid-painted` mark (set in the frame after the first grid render), over
 *   BENCH_RUNS cold page loads (fresh browser context: empty cache) after one warm-up: p50/p95.
 *   Also: until every thumbnail in the first viewport has loaded.
 *
 * BENCH_ITEMS (500), BENCH_RUNS (15), CHROMIUM_PATH (/usr/bin/chromium).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/shared/config.js';
import { startServer } from '../src/app/server.js';
import { AnalysisSchema } from '../src/domain/analysis.js';
import { objectKeys } from '../src/domain/item.js';
import { DIST_DIR, ensureWebBuilt } from '../web/scripts/ensure-built.js';
import { insertReadyItems } from './lib/seed-items.js';
import { round, summarise } from './lib/stats.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Sizes of what index.html loads up front. */
async function bundleSizes() {
  const html = await readFile(path.join(DIST_DIR, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g), ...html.matchAll(/<link rel="modulepreload"[^>]+href="([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  const styles = [...html.matchAll(/<link rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => m[1]!);
  const measure = async (files: string[]) => {
    let raw = 0;
    let gzip = 0;
    for (const f of files) {
      const bytes = await readFile(path.join(DIST_DIR, f));
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    return { files: files.length, raw_kb: round(raw / 1024), gzip_kb: round(gzip / 1024) };
  };
  return { js: await measure(scripts), css: await measure(styles) };
}

/** 500 ready items with one analysis each, and a thumbnail per item on disk. */
async function seed(server: Awaited<ReturnType<typeof startServer>>) {
  const { db, store, config } = server.services;
  const userId = config.auth.localUserId;
  const thumbs = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      sharp({ create: { width: 512, height: 910, channels: 3, background: { r: 40 + i * 17, g: 120, b: 200 - i * 9 } } })
        .webp({ quality: 70 })
        .toBuffer(),
    ),
  );
  for (let start = 0; start < ITEMS; start += 250) {
    const rows = Array.from({ length: Math.min(250, ITEMS - start) }, (_, k) => {
      const i = start + k;
      return {
        id: randomUUID(),
        n: i,
        raw: AnalysisSchema.parse({
          category: ['Travel', 'Food', 'Technology', 'Beauty', 'Shopping', 'Design'][i % 6],
          subcategories: ['bench'],
          headline: `Item ${i}: a saved screenshot`,
          summary: `Benchmark item number ${i}.`,
        }),
      };
    });
    await insertReadyItems(
      db,
      userId,
      rows.map((r) => ({ id: r.id, n: r.n, analysis: r.raw })),
      { width: 1170, height: 2080 },
    );
    await Promise.all(rows.map((r) => store.put(objectKeys.thumbnail(userId, r.id), thumbs[r.n % thumbs.length]!, 'image/webp')));
  }
}

async function main() {
  const build = await ensureWebBuilt({ quiet: true });
  const sizes = await bundleSizes();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collections-bench-web-'));
  const server = await startServer(
    loadConfig({ ...process.env, COLLECTIONS_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', AUTH_MODE: 'local' }),
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    await seed(server);
    const paint: number[] = [];
    const thumbs: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(server.url);
      // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
      const t = await page.evaluate<{ paint: number; thumbs: number }>(`new Promise((resolve, reject) => {
        const started = performance.now();
        const tick = () => {
          const mark = performance.getEntriesByName('collections:grid-painted')[0];
          const visible = [...document.querySelectorAll('.grid img')].filter((i) => i.getBoundingClientRect().top < innerHeight);
          if (mark && visible.length > 0 && visible.every((i) => i.complete && i.naturalWidth > 0)) {
            resolve({ paint: mark.startTime, thumbs: performance.now() });
          } else if (performance.now() - started > 30000) reject(new Error('the grid never painted'));
          else requestAnimationFrame(tick);
        };
        tick();
      })`);
      const total = await page.evaluate(() => document.querySelector('.counts')?.textContent ?? '');
      if (!total.startsWith(ITEMS.toLocaleString('en-US'))) throw new Error(`unexpected count: ${total}`);
      if (run > 0) {
        paint.push(t.paint);
        thumbs.push(t.thumbs);
      }
      await context.close();
    }
    const report = {
      build: build.built ? `built now (${build.ms} ms)` : 'web/dist up to date',
      initial_js: sizes.js,
      initial_css: sizes.css,
      items: ITEMS,
      runs: RUNS,
      first_grid_paint_ms: summarise(paint),
      first_viewport_thumbnails_loaded_ms: summarise(thumbs),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      `initial JS ${sizes.js.gzip_kb} kB gzip (${sizes.js.raw_kb} kB raw, ${sizes.js.files} files); first grid paint with ${ITEMS} items: ` +
        `p50 ${report.first_grid_paint_ms.p50} ms, p95 ${report.first_grid_paint_ms.p95} ms (${RUNS} cold loads)\n`,
    );
  } finally {
    await browser.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
