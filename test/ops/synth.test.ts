import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NATIVE_MODULES_OVERRIDE } from '../../infra/lib/bundle.js';
import { contextFrom } from '../../scripts/ops/lib/program.js';
import { ensureNativeModules, nativeModulesProblem } from '../../scripts/ops/lib/synth.js';
import { runtime, tempRoot } from './helpers/workspace.js';

/**
 * What `ops synth` does before the CDK runs, so a fresh clone synthesizes right after `npm ci`:
 * infra/native's linux-arm64 sharp is installed when missing or not the pinned version (with
 * `npm ci --prefix infra/native`, here a stand-in given as OPS_NPM that lays out what npm would).
 * The synth itself, through the real CDK CLI, is test/infra/artifacts.test.ts.
 */

/** A stand-in for npm: `ci --prefix DIR` writes sharp@FAKE_SHARP_VERSION and its arm64 binary package. */
const FAKE_NPM = `
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
const args = process.argv.slice(2);
appendFileSync(process.env.FAKE_NPM_LOG, JSON.stringify(args) + '\\n');
if (process.env.FAKE_NPM_EXIT) process.exit(Number(process.env.FAKE_NPM_EXIT));
const dir = args[args.indexOf('--prefix') + 1];
mkdirSync(path.join(dir, 'node_modules', 'sharp'), { recursive: true });
mkdirSync(path.join(dir, 'node_modules', '@img', 'sharp-linux-arm64'), { recursive: true });
writeFileSync(path.join(dir, 'node_modules', 'sharp', 'package.json'), JSON.stringify({ version: process.env.FAKE_SHARP_VERSION }));
`;

let ws: Awaited<ReturnType<typeof tempRoot>>;
let vars: NodeJS.ProcessEnv;
const npmCalls = async () =>
  (await readFile(path.join(ws.root, 'npm.jsonl'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as string[]);
const native = () => path.join(ws.root, 'infra', 'native');

beforeEach(async () => {
  ws = await tempRoot();
  await mkdir(native(), { recursive: true });
  await writeFile(path.join(native(), 'package.json'), JSON.stringify({ dependencies: { sharp: '0.35.5' } }));
  await writeFile(path.join(ws.root, 'fake-npm.mjs'), FAKE_NPM);
  vars = {
    OPS_NPM: `${process.execPath} ${path.join(ws.root, 'fake-npm.mjs')}`,
    FAKE_NPM_LOG: path.join(ws.root, 'npm.jsonl'),
    FAKE_SHARP_VERSION: '0.35.5',
    PATH: process.env.PATH,
  };
});
afterEach(async () => ws.cleanup());

const ctx = (extra: NodeJS.ProcessEnv = {}) => {
  const rt = runtime(ws.root, { ...vars, ...extra });
  return { rt, ctx: contextFrom({ env: 'dev' }, rt) };
};

describe('ops synth: the linux-arm64 sharp the bundles need', () => {
  it('is installed with npm ci --prefix infra/native when missing, then left alone', async () => {
    expect(nativeModulesProblem(ws.root)).toMatch(/not installed/);
    await ensureNativeModules(ctx().ctx);
    expect(await npmCalls()).toEqual([['ci', '--prefix', native(), '--no-audit', '--no-fund']]);
    expect(nativeModulesProblem(ws.root)).toBeNull();
    await ensureNativeModules(ctx().ctx);
    expect(await npmCalls()).toHaveLength(1);
  });

  it('is reinstalled when the installed sharp is not the pinned version', async () => {
    await expect(ensureNativeModules(ctx({ FAKE_SHARP_VERSION: '0.34.0' }).ctx)).rejects.toThrow(/0\.34\.0 is not the pinned/);
    expect(nativeModulesProblem(ws.root)).toMatch(/0\.34\.0 is not the pinned 0\.35\.5/);
    await ensureNativeModules(ctx().ctx);
    expect(nativeModulesProblem(ws.root)).toBeNull();
    expect(await npmCalls()).toHaveLength(2);
  });

  it('stops with the reason when npm fails or installs the wrong thing', async () => {
    await expect(ensureNativeModules(ctx({ FAKE_NPM_EXIT: '1' }).ctx)).rejects.toThrow(/npm ci --prefix infra\/native failed \(exit 1\)/);
    await expect(ensureNativeModules(ctx({ FAKE_SHARP_VERSION: '0.1.0' }).ctx)).rejects.toThrow(/0\.1\.0 is not the pinned/);
  });

  it(`is not fetched when ${NATIVE_MODULES_OVERRIDE} names another build (the artifact tests)`, async () => {
    await ensureNativeModules(ctx({ [NATIVE_MODULES_OVERRIDE]: '/somewhere/node_modules' }).ctx);
    expect(await npmCalls()).toEqual([]);
    expect(existsSync(path.join(native(), 'node_modules'))).toBe(false);
  });
});
