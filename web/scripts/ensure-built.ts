/**
 * Builds the web app (vite → web/dist) unless web/dist is newer than every source file:
 * `npm start` runs it first (prestart), the test suite once before the browser tests (vitest
 * globalSetup), bench:web before measuring. Up to date it costs a few file stats.
 *
 *   tsx web/scripts/ensure-built.ts [--force]
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = path.join(WEB_DIR, 'dist');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'];

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const e of readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

/** Whether web/dist is missing or older than a source file. */
export function webBuildIsStale(): boolean {
  const built = path.join(DIST_DIR, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((s) => newest(path.join(WEB_DIR, s)) > builtAt);
}

export async function ensureWebBuilt(options: { force?: boolean; quiet?: boolean } = {}): Promise<{ built: boolean; ms: number }> {
  const started = performance.now();
  if (!options.force && !webBuildIsStale()) return { built: false, ms: 0 };
  const { build } = await import('vite');
  // Under vitest NODE_ENV is "test", which would give React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(WEB_DIR, 'vite.config.ts'), mode: 'production', logLevel: options.quiet ? 'warn' : 'info' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return { built: true, ms: Math.round(performance.now() - started) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureWebBuilt({ force: process.argv.includes('--force') }).then(
    (r) => {
      if (!r.built) process.stdout.write('web app is up to date (web/dist)\n');
    },
    (err: unknown) => {
      process.stderr.write(`web build failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
