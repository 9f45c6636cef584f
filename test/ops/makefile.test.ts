import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logGroupOf } from '../../scripts/ops/commands/logs.js';
import { buildProgram } from '../../scripts/ops/main.js';
import { outputsFromDescribeStacks } from '../../scripts/ops/lib/outputs.js';
import { LAMBDA_FUNCTIONS, type LambdaName } from '../../src/contracts/aws.js';
import { runtime } from './helpers/workspace.js';

/**
 * The Makefile is a thin layer over the ops commands: `make -n` (print, run nothing) shows the
 * one command line each target would run. ENV is removed from the inherited environment so a
 * shell's own ENV (POSIX sh's startup file) cannot leak into the test.
 */
const REPO = path.resolve(import.meta.dirname, '../..');

function make(...args: string[]) {
  const env = { ...process.env };
  for (const key of ['ENV', 'ARGS', 'OUT', 'GOLDEN', 'LOCAL_PORT', 'FUNCTION', 'SINCE', 'MAKEFLAGS', 'MFLAGS']) delete env[key];
  const run = spawnSync('make', ['--no-print-directory', '-C', REPO, ...args], { env, encoding: 'utf8' });
  const lines = run.stdout
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return { status: run.status, lines, stderr: run.stderr };
}

const OPS = 'npm run ops --';
const EXPECTED: Record<string, string[]> = {
  'infra-bootstrap': [`${OPS} bootstrap --env test`],
  'infra-synth': [`${OPS} synth --env test --out infra/cdk.out.test`],
  'infra-deploy': [`${OPS} deploy --env test`],
  'infra-diff': [`${OPS} diff --env test`],
  'infra-destroy': [`${OPS} destroy --env test`],
  'infra-status': [`${OPS} status --env test`],
  'test-infra': [`${OPS} test-infra --env test`],
  'test-api': [`${OPS} test-api --env test`],
  'test-all': [`${OPS} test-infra --env test`, `${OPS} test-api --env test`],
  'db-connect': [`${OPS} db-connect --env test --port 15432`],
  'db-migrate': [`${OPS} db-migrate --env test`],
  'db-seed-golden': [`${OPS} db-seed-golden --env test --golden ../shared/data/golden/analyses.json`],
  'secrets-populate': [`${OPS} secrets-populate --env test`],
  'secrets-export': [`${OPS} secrets-export --env test`],
  'lambda-deploy-api': [`${OPS} lambda-deploy --env test --function api`],
  'lambda-logs': [`${OPS} logs api --env test --since 10m`],
};

describe('Makefile', () => {
  it.each(Object.entries(EXPECTED))('make -n %s ENV=test runs the ops command', (target, lines) => {
    const run = make('-n', target, 'ENV=test');
    expect(run.status, run.stderr).toBe(0);
    expect(run.lines).toEqual(lines);
  });

  it('defaults to dev and passes variables and ARGS through', () => {
    expect(make('-n', 'infra-status').lines).toEqual([`${OPS} status --env dev`]);
    expect(make('-n', 'infra-deploy', 'ENV=prod', 'ARGS=--yes --profile p').lines).toEqual([`${OPS} deploy --env prod --yes --profile p`]);
    expect(make('-n', 'lambda-logs', 'FUNCTION=image-processor', 'SINCE=1h', 'ARGS=--follow').lines).toEqual([
      `${OPS} logs image-processor --env dev --since 1h --follow`,
    ]);
    expect(make('-n', 'db-seed-golden', 'GOLDEN=/data/g').lines).toEqual([
      `${OPS} db-seed-golden --env dev --golden /data/g/analyses.json`,
    ]);
    expect(make('-n', 'db-connect', 'LOCAL_PORT=5433').lines).toEqual([`${OPS} db-connect --env dev --port 5433`]);
  });

  it('refuses an unknown ENV with a clear message, before running anything', () => {
    for (const bad of ['staging', 'Dev', 'dev test']) {
      const run = make('-n', 'infra-deploy', `ENV=${bad}`);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/ENV must be (one word: )?dev, test or prod/);
      expect(run.lines).toEqual([]);
    }
  });

  it('lists every target with a description in make help (also the default goal)', () => {
    const help = make('help');
    expect(help.status).toBe(0);
    expect(make().lines).toEqual(help.lines);
    for (const target of Object.keys(EXPECTED)) {
      expect(
        help.lines.some((l) => new RegExp(`^${target} \\S`).test(l)),
        target,
      ).toBe(true);
    }
  });
});

describe('the ops commands behind the targets', () => {
  it('exist, every one', () => {
    const names = buildProgram(runtime('/nonexistent'), { code: 0 }).commands.map((c) => c.name());
    const used = Object.values(EXPECTED)
      .flat()
      .map((l) => l.split(' ')[4]!);
    for (const name of new Set(used)) expect(names, name).toContain(name);
  });

  it('lambda-logs: every function of the contract has its log group (the stack output name wins)', () => {
    const outputs = outputsFromDescribeStacks('dev', [
      { Stacks: [{ StackName: 'Collections-dev', Outputs: [{ OutputKey: 'ChatStreamFunctionName', OutputValue: 'cs-fn' }] }] },
    ]);
    for (const name of Object.keys(LAMBDA_FUNCTIONS) as LambdaName[]) {
      expect(logGroupOf(undefined, 'dev', name)).toBe(`/aws/lambda/collections-dev-${name}`);
    }
    if ('chat-stream' in LAMBDA_FUNCTIONS) expect(logGroupOf(outputs, 'dev', 'chat-stream' as LambdaName)).toBe('/aws/lambda/cs-fn');
  });
});
