import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../src/contracts/aws.js';
import { loadEnvironmentConfig } from '../../infra/lib/config.js';
import { AppFunction, REPO_ROOT } from '../../infra/lib/functions.js';
import { bundleFunction, ESM_REQUIRE_BANNER, LEFT_OUT, NATIVE_MODULES, RUNTIME_FILES } from '../../infra/lib/bundle.js';
import { cdkContext, removeOutdirs, synthesize } from './helpers.js';

/**
 * The synth tests use placeholder code; these prove the real thing: esbuild bundles a function
 * offline into ESM chunks that Node loads, with the files the code reads at run time beside it.
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
  it('bundles a function through the stack into minified ESM chunks that Node loads', async () => {
    const outdir = tempDir();
    const app = new App({ outdir, context: cdkContext() });
    const stack = new Stack(app, 'BundleTest');
    const config = loadEnvironmentConfig({ tryGetContext: (k) => ({ ...cdkContext(), env: 'dev' })[k] }, {});
    const fn = new AppFunction(stack, 'Cleanup', {
      name: 'cleanup',
      config,
      bundling: 'esbuild',
      environment: {},
      description: 'bundle test',
    });
    const template = Template.fromStack(stack).toJSON();
    const resource = template.Resources[stack.getLogicalId(fn.function.node.defaultChild as never)].Properties;
    expect(resource.Handler).toBe('index.handler');
    const assetDir = path.join(outdir, `asset.${String(resource.Code.S3Key).replace(/\.zip$/, '')}`);

    const files = readdirSync(assetDir).sort();
    expect(files).toEqual(['chunks', 'index.mjs']); // code split; no source maps shipped
    const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
    expect(bundle.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(1000); // minified: long lines
    expect(bundle).not.toContain('sourceMappingURL');
    const module = (await import(pathToFileURL(path.join(assetDir, 'index.mjs')).href)) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
  }, 120_000);

  it('copies the migrations into the function that runs them, and sharp into the one that imports it', () => {
    const native = tempDir();
    mkdirSync(path.join(native, NATIVE_MODULES[0], 'lib'), { recursive: true });
    writeFileSync(path.join(native, NATIVE_MODULES[0], 'package.json'), '{}');

    const migrate = bundleFunction(REPO_ROOT, LAMBDA_FUNCTIONS.migrate.entry, path.join(tempDir(), 'task'), { dir: native });
    expect(migrate.runtimeFiles).toEqual(['migrations']);
    expect(migrate.natives).toEqual([]);
    const migrations = RUNTIME_FILES.find((f) => f.to === 'migrations')!;
    expect(readdirSync(path.join(migrate.outdir, 'migrations')).sort()).toEqual(readdirSync(path.join(REPO_ROOT, migrations.from)).sort());
    expect(existsSync(path.join(migrate.outdir, 'node_modules'))).toBe(false);

    const processor = bundleFunction(REPO_ROOT, LAMBDA_FUNCTIONS['image-processor'].entry, path.join(tempDir(), 'task'), { dir: native });
    expect(processor.natives).toEqual(['sharp']);
    expect(existsSync(path.join(processor.outdir, 'node_modules', 'sharp', 'package.json'))).toBe(true);
    expect(existsSync(path.join(processor.outdir, 'swagger-ui'))).toBe(false);
  }, 120_000);

  it('keeps the API cold start small: heavy modules are chunks loaded on demand, PGlite and the OCR engines are left out', async () => {
    const api = bundleFunction(REPO_ROOT, LAMBDA_FUNCTIONS.api.entry, path.join(tempDir(), 'task'), {
      dir: path.join(REPO_ROOT, 'node_modules'),
      link: true,
    });
    expect(api.initBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(api.totalBytes).toBeGreaterThan(api.initBytes * 2); // LangChain, provider SDKs, HEIC decoder: on demand
    const initPackages = api.initByPackage.map(([p]) => p);
    for (const lazy of [
      '@langchain/core',
      '@langchain/langgraph',
      '@anthropic-ai/sdk',
      'openai',
      'libheif-js',
      'swagger-ui-dist',
      'exifr',
    ]) {
      expect(initPackages).not.toContain(lazy);
    }
    const code = readdirSync(path.join(api.outdir, 'chunks'))
      .map((f) => readFileSync(path.join(api.outdir, 'chunks', f), 'utf8'))
      .concat(readFileSync(path.join(api.outdir, 'index.mjs'), 'utf8'))
      .join('\n');
    for (const left of LEFT_OUT) expect(code).toContain(`"${left}"`); // an import of the package, not its code
    expect(code).not.toContain('pglite.wasm');
    expect(readdirSync(path.join(api.outdir, 'swagger-ui')).sort()).toEqual([
      'favicon-32x32.png',
      'swagger-ui-bundle.js',
      'swagger-ui-standalone-preset.js',
      'swagger-ui.css',
    ]);
  }, 120_000);

  it('stops with a clear message when sharp for linux-arm64 has not been fetched', () => {
    expect(() =>
      bundleFunction(REPO_ROOT, LAMBDA_FUNCTIONS['image-processor'].entry, path.join(tempDir(), 'task'), {
        dir: path.join(tempDir(), 'missing'),
      }),
    ).toThrow(/npm ci --prefix infra\/native/);
  }, 120_000);
});

describe('the real app', () => {
  const missing = Object.values(LAMBDA_FUNCTIONS)
    .map((f) => f.entry)
    .filter((entry) => !existsSync(path.join(REPO_ROOT, entry)));

  // Runs once every handler of the contract exists (they are written alongside this stack).
  it.skipIf(missing.length > 0)(
    `points every function at its LAMBDA_FUNCTIONS entry (skipped while missing: ${missing.join(', ') || 'none'})`,
    () => {
      // esbuild mode with bundling skipped (what `cdk list` does): entries are resolved and checked.
      const { json } = synthesize('dev', { context: { 'collections:bundling': 'esbuild', 'aws:cdk:bundling-stacks': [] } });
      const handlers = Object.values(json.Resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.FunctionName ?? '').startsWith('collections-dev-'))
        .map((r) => r.Properties.Handler);
      expect(handlers).toEqual(Object.keys(LAMBDA_FUNCTIONS).map(() => 'index.handler'));
    },
  );
});
