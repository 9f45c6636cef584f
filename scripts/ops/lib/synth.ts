import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NATIVE_MODULES_OVERRIDE } from '../../../infra/lib/bundle.js';
import { webBuildIsStale } from '../../../web/scripts/ensure-built.js';
import { buildWebApp, runCdk } from './cdk.js';
import { line, OpsError, type OpsContext } from './context.js';

/**
 * What a synth needs besides `npm ci`, done by the command itself so that a fresh clone can
 * synthesize (and deploy) without knowing the steps:
 * - infra/native/node_modules: sharp and its linux-arm64 binaries, which the bundler copies into
 *   every function that imports sharp. `npm ci --prefix infra/native` installs them for the
 *   Lambda platform whatever machine runs it (infra/native/.npmrc), and is redone when the
 *   installed sharp is not the version infra/native/package.json pins.
 * - web/dist: the stack uploads the built web app, so a missing or stale build is rebuilt.
 * `OPS_NPM` replaces the npm command (tests use a stand-in).
 */

export const NATIVE_DIR = (root: string) => path.join(root, 'infra', 'native');

/** Why infra/native needs installing, or null when its sharp is the pinned linux-arm64 build. */
export function nativeModulesProblem(root: string): string | null {
  const dir = NATIVE_DIR(root);
  const pinned = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies
    .sharp;
  const installed = path.join(dir, 'node_modules', 'sharp', 'package.json');
  if (!existsSync(installed)) return 'sharp for linux-arm64 is not installed';
  const version = (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version;
  if (version !== pinned) return `installed sharp ${version} is not the pinned ${pinned}`;
  if (!existsSync(path.join(dir, 'node_modules', '@img', 'sharp-linux-arm64'))) return 'the linux-arm64 binary of sharp is missing';
  return null;
}

export async function ensureNativeModules(ctx: OpsContext): Promise<void> {
  // The bundler takes sharp from elsewhere (the artifact tests' host build): nothing to fetch.
  if (ctx.vars[NATIVE_MODULES_OVERRIDE]) return;
  const problem = nativeModulesProblem(ctx.root);
  if (!problem) return;
  line(ctx.io.stderr, `infra/native: ${problem}; installing it.`);
  const custom = ctx.vars.OPS_NPM?.trim();
  const [cmd, ...pre] = custom ? custom.split(/\s+/) : ['npm'];
  const code = await run(ctx, cmd!, [...pre, 'ci', '--prefix', NATIVE_DIR(ctx.root), '--no-audit', '--no-fund']);
  if (code !== 0) throw new OpsError(`npm ci --prefix infra/native failed (exit ${code}): the Lambda bundles need sharp for linux-arm64.`);
  const still = nativeModulesProblem(ctx.root);
  if (still) throw new OpsError(`infra/native after npm ci: ${still}.`);
}

export async function ensureWebApp(ctx: OpsContext): Promise<void> {
  if (!webBuildIsStale()) return;
  const code = await buildWebApp(ctx);
  if (code !== 0) throw new OpsError(`The web app did not build (exit ${code}); the stack uploads web/dist.`);
}

/** Everything a real synth needs, then `cdk synth` of the environment into `outDir`. */
export async function synthesizeEnvironment(ctx: OpsContext, outDir: string, extraArgs: readonly string[] = []): Promise<number> {
  await ensureNativeModules(ctx);
  await ensureWebApp(ctx);
  // --quiet: the template goes to outDir, not to the terminal.
  const synth = await runCdk(ctx, ['synth', '--quiet', '--output', path.resolve(ctx.root, outDir), ...extraArgs]);
  if (synth.code === 0) line(ctx.io.stderr, `Synthesized ${ctx.env} into ${outDir}`);
  return synth.code;
}

function run(ctx: OpsContext, cmd: string, argv: string[]): Promise<number> {
  ctx.io.stderr.write(`$ ${[cmd, ...argv].join(' ')}\n`);
  return new Promise<number>((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: ctx.root, env: ctx.vars, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => ctx.io.stderr.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => ctx.io.stderr.write(chunk));
    child.on('error', (err) => reject(new OpsError(`Could not run ${cmd}: ${err.message}`)));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
