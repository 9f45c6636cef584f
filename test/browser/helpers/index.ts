/**
 * Helpers for end-to-end tests of the web app in a real browser (Debian's Chromium driven by
 * playwright-core; `npx playwright install` is not used). One Chromium and one app server per
 * test file; the web app is built once per `vitest run` by ./global-setup.ts.
 *
 * Exports:
 * - `CHROMIUM_PATH`: /usr/bin/chromium (override with CHROMIUM_PATH).
 * - `launchChromium()`: headless Chromium with the flags the tests need (no sandbox, no GPU, no
 *   background networking).
 * - `startAppServer({ env?, vision?, chatModel?, overrides?, db? })` → `AppServer`: the real
 *   server (`startServer`: API + pipeline + web app) on 127.0.0.1 and a free port, PGlite in
 *   memory (or the `db` given, shared per file), objects in a temp dir, `ScriptedVision` (or the
 *   vision you pass) instead of a paid model, and the chat model you pass (`null`: none, the API
 *   answers 503 chat_unavailable). `env` is added to the configuration (e.g. AUTH_MODE=jwt,
 *   COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID, COGNITO_ENDPOINT for cognito-local).
 *   `AppServer`: `{ url, services, vision, db, dataDir, close() }`.
 * - `VisionBySize`: a vision double that answers by the image's width, so uploads processed in
 *   any order get the analysis meant for them (`new VisionBySize({ 600: {...}, 640: {...} })`);
 *   `failOnce(width, reason)` makes the next one of that width fail permanently.
 * - `textImage(lines, width)`: a PNG screenshot with that text, `width` × 900 px.
 * - `openPage(browser, { viewport?, allowConsoleErrors? })` → `WatchedPage`: a fresh context and
 *   page whose requests may only reach loopback (anything else is aborted, which shows up as a
 *   console error), collecting console errors and uncaught page errors in `errors`;
 *   `expectNoErrors()` fails the test when there were any; `close()`.
 * - `runAxe(page)`: injects axe-core (`axe.source`) and runs it; returns every
 *   violation, whatever its impact (`[]` when clean). `expectAccessible(page, label)` fails with a readable list.
 * - `screenshot(page, name)`: saves `test-output/browser/{name}.png` (full page) and returns the path.
 * - `waitFor(fn, { timeoutMs, message })`: polls an async predicate.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { loadConfig } from '../../../src/shared/config.js';
import { startServer } from '../../../src/app/server.js';
import type { ServiceOverrides, Services } from '../../../src/app/services.js';
import type { PGliteDatabase } from '../../../src/adapters/database/pglite.js';
import { AnalysisSchema, type AnalysisInput } from '../../../src/domain/analysis.js';
import { PermanentError } from '../../../src/domain/errors.js';
import type { VisionInput, VisionProvider, VisionResult } from '../../../src/ports/vision.js';
import { openTestDatabase } from '../../helpers/db.js';
import { ScriptedVision } from '../../helpers/scripted-vision.js';
import { renderTextImage } from '../../helpers/render-text.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const OUTPUT_DIR = path.join(ROOT, 'test-output', 'browser');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

// ---------------------------------------------------------------- the app server

export interface AppServer {
  url: string;
  services: Services;
  vision: VisionProvider;
  db: PGliteDatabase;
  dataDir: string;
  close(): Promise<void>;
}

export interface AppServerOptions {
  env?: Record<string, string>;
  /** Default: a ScriptedVision with its Ichiran Ramen analysis. */
  vision?: VisionProvider;
  /** A scripted chat model, or null for none (default none). */
  chatModel?: BaseChatModel | null;
  overrides?: ServiceOverrides;
  /** A migrated database to share; default a new in-memory one (closed by `close`). */
  db?: PGliteDatabase;
}

export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collections-browser-'));
  const ownDb = !options.db;
  const db = options.db ?? (await openTestDatabase());
  const vision = options.vision ?? new ScriptedVision();
  const config = loadConfig({
    COLLECTIONS_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    PIPELINE_RETRY_BASE_MS: '5',
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const running = await startServer(config, {
    db,
    vision: () => vision,
    chatModel: options.chatModel ?? null,
    ...options.overrides,
  });
  return {
    url: running.url,
    services: running.services,
    vision,
    db,
    dataDir,
    async close() {
      await running.close();
      if (ownDb) await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Answers with the analysis registered for the image's width (else `fallback`). */
export class VisionBySize implements VisionProvider {
  readonly provider = 'scripted';
  readonly model = 'scripted-by-size-v1';
  readonly calls: VisionInput[] = [];
  /** Widths whose next analysis fails permanently (the item fails at once, with this reason). */
  private readonly failNext = new Map<number, string>();
  constructor(
    private readonly byWidth: Record<number, Partial<AnalysisInput>>,
    private readonly fallback: Partial<AnalysisInput> = {},
  ) {}

  /** The next image of this width fails with `reason`; later ones are analysed as usual. */
  failOnce(width: number, reason: string): void {
    this.failNext.set(width, reason);
  }

  async analyze(input: VisionInput): Promise<VisionResult> {
    this.calls.push(input);
    const failure = this.failNext.get(input.facts.width);
    if (failure !== undefined) {
      this.failNext.delete(input.facts.width);
      throw new PermanentError(failure);
    }
    const entry = this.byWidth[input.facts.width] ?? this.fallback;
    return {
      analysis: AnalysisSchema.parse({
        category: 'Other',
        subcategories: [],
        headline: 'A saved image',
        summary: 'An image.',
        ...entry,
      }),
      provider: this.provider,
      model: this.model,
      traceId: null,
    };
  }
}

/** A screenshot-like PNG, `width` × 900 px, with these lines (the first one big). */
export function textImage(lines: string[], width: number): Promise<Buffer> {
  return renderTextImage({
    width,
    height: 900,
    background: '#fdfbf7',
    lines: lines.map((text, i) => ({ text, y: 120 + i * 70, size: i === 0 ? 48 : 32, bold: i === 0 })),
  });
}

// ---------------------------------------------------------------- pages

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
  /** Requests that tried to leave loopback (aborted). */
  blocked: string[];
  expectNoErrors(): void;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function openPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; allowConsoleErrors?: (text: string) => boolean } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 }, reducedMotion: 'reduce' });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK.has(url.hostname)) return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = `${m.text()}${m.location()?.url ? ` (${m.location().url})` : ''}`;
    if (!options.allowConsoleErrors?.(text)) errors.push(text);
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  return {
    page,
    context,
    errors,
    blocked,
    expectNoErrors() {
      expect(blocked, 'requests that tried to leave loopback').toEqual([]);
      expect(errors, 'console errors').toEqual([]);
    },
    close: () => context.close(),
  };
}

// ---------------------------------------------------------------- accessibility, screenshots

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const injected = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  // Evaluated through the DevTools protocol: a <script> tag would be refused by the app's CSP.
  if (!injected) await page.evaluate(`${axe.source}\n;true`);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: typeof import('axe-core') };
    const result = await w.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
    }));
  });
  return violations; // every impact: minor and moderate count too (issue 17: axe 0 violations)
}

export async function expectAccessible(page: Page, label: string) {
  const violations = await runAxe(page);
  expect(violations, `axe-core violations on ${label}:\n${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

export async function waitFor<T>(
  fn: () => Promise<T | false | null | undefined>,
  opts: { timeoutMs?: number; message?: string; intervalMs?: number } = {},
): Promise<T> {
  const until = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out: ${opts.message ?? 'condition not met'}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
