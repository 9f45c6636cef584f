import { execFileSync } from 'node:child_process';
import type { Config } from './config.js';
// Imported, not read from disk: a Lambda bundle has no package.json beside it (esbuild inlines this).
import pkg from '../../package.json' with { type: 'json' };
const startedAt = new Date().toISOString();

function git(args: string[]): string | null {
  try {
    return (
      execFileSync('git', args, { stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

let cached: ReturnType<typeof compute> | undefined;
function compute(config: Config) {
  // A deployment sets GIT_SHA/GIT_TAG/BUILD_TIME at build time; a checkout asks git once.
  return {
    version: pkg.version,
    gitSha: config.build.gitSha ?? git(['rev-parse', 'HEAD']) ?? 'unknown',
    gitTag: config.build.gitTag ?? git(['describe', '--tags', '--exact-match']) ?? null,
    buildTime: config.build.buildTime ?? startedAt,
    environment: config.env,
  };
}

export function buildInfo(config: Config) {
  cached ??= compute(config);
  return cached;
}
