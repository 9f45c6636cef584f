import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../src/aws/contract.js';
import { loadEnvironmentConfig } from '../../infra/lib/config.js';
import { AppFunction, ESM_REQUIRE_BANNER, NATIVE_MODULES, REPO_ROOT, RUNTIME_FILES, runtimeFileHooks } from '../../infra/lib/functions.js';
import { cdkContext, removeOutdirs, synthesize } from './helpers.js';

/**
 * The synth tests use placeholder code; these prove the real thing: esbuild bundles a function
 * offline into an ESM file that Node loads, and the after-bundling hooks copy what the code
 * reads at run time.
 */

const temp: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'collections-bundle-'));
  temp.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temp.splice(0)) rmSync(dir, { recursive: true, force: true });
  removeOutdirs();
});

describe('esbuild bundling (offline)', () => {
  it('bundles the cleanup function into a minified ESM file with a source map that Node can load', async () => {
    const outdir = tempDir();
    const app = new App({ outdir, context: cdkContext() });
    const stack = new Stack(app, 'BundleTest');
    const config = loadEnvironmentConfig({ tryGetContext: (k) => ({ ...cdkContext(), env: 'dev' })[k] }, {});
    const fn = new AppFunction(stack, 'Cleanup', { name: 'cleanup', config, bundling: 'esbuild', environment: {}, description: 'bundle test' });
    const template = Template.fromStack(stack).toJSON();
    const code = template.Resources[stack.getLogicalId(fn.function.node.defaultChild as never)].Properties.Code;
    const assetDir = path.join(outdir, `asset.${String(code.S3Key).replace(/\.zip$/, '')}`);

    const files = readdirSync(assetDir).sort();
    expect(files).toEqual(['index.mjs', 'index.mjs.map']);
    const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
    expect(bundle.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(1000); // minified: long lines
    expect(statSync(path.join(assetDir, 'index.mjs')).size).toBeGreaterThan(100_000); // the AWS SDK is inside
    const map = JSON.parse(readFileSync(path.join(assetDir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith(LAMBDA_FUNCTIONS.cleanup.entry))).toBe(true);

    const module = (await import(pathToFileURL(path.join(assetDir, 'index.mjs')).href)) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
  }, 60_000);
});

describe('after-bundling hooks', () => {
  const run = (commands: string[]) => spawnSync('bash', ['-c', commands.join(' && ')], { encoding: 'utf8' });

  it('copy the migrations and sharp into bundles that use them, and nothing into others', () => {
    const native = tempDir();
    mkdirSync(path.join(native, NATIVE_MODULES[0], 'lib'), { recursive: true });
    writeFileSync(path.join(native, NATIVE_MODULES[0], 'package.json'), '{}');
    const hooks = runtimeFileHooks(native);

    const user = tempDir();
    writeFileSync(path.join(user, 'index.mjs'), 'import s from"sharp";await q("SELECT 1 FROM schema_migrations");');
    expect(run(hooks.afterBundling(REPO_ROOT, user)).status).toBe(0);
    const migrations = RUNTIME_FILES.find((f) => f.to === 'migrations')!;
    expect(readdirSync(path.join(user, 'migrations')).sort()).toEqual(readdirSync(path.join(REPO_ROOT, migrations.from)).sort());
    expect(existsSync(path.join(user, 'node_modules', 'sharp', 'package.json'))).toBe(true);
    expect(existsSync(path.join(user, 'word-vectors.bin'))).toBe(false);

    const plain = tempDir();
    writeFileSync(path.join(plain, 'index.mjs'), 'export const handler=async()=>1;');
    expect(run(hooks.afterBundling(REPO_ROOT, plain)).status).toBe(0);
    expect(readdirSync(plain)).toEqual(['index.mjs']);
  });

  it('stop with a clear message when sharp for linux-arm64 has not been fetched', () => {
    const out = tempDir();
    writeFileSync(path.join(out, 'index.mjs'), 'import s from"sharp";');
    const result = run(runtimeFileHooks(path.join(tempDir(), 'missing')).afterBundling(REPO_ROOT, out));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('npm ci --prefix infra/native');
  });
});

describe('the real app', () => {
  const missing = Object.values(LAMBDA_FUNCTIONS)
    .map((f) => f.entry)
    .filter((entry) => !existsSync(path.join(REPO_ROOT, entry)));

  // Runs once every handler of the contract exists (they are written alongside this stack).
  it.skipIf(missing.length > 0)(`points every function at its LAMBDA_FUNCTIONS entry (skipped while missing: ${missing.join(', ') || 'none'})`, () => {
    // esbuild mode with bundling skipped (what `cdk list` does): entries are resolved and checked.
    const { json } = synthesize('dev', { context: { 'collections:bundling': 'esbuild', 'aws:cdk:bundling-stacks': [] } });
    const handlers = Object.values(json.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.FunctionName ?? '').startsWith('collections-dev-'))
      .map((r) => r.Properties.Handler);
    expect(handlers).toEqual(Object.keys(LAMBDA_FUNCTIONS).map(() => 'index.handler'));
  });
});

