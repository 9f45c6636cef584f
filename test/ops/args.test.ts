import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS, buildProgram, runOps } from '../../scripts/ops/main.js';
import { cdkArgs, cdkCommand, cdkEnv } from '../../scripts/ops/lib/cdk.js';
import { resolveEnv, fileTimestamp } from '../../scripts/ops/lib/context.js';
import { contextFrom } from '../../scripts/ops/lib/program.js';
import { parseDuration } from '../../scripts/ops/commands/logs.js';
import { generatePassword } from '../../scripts/ops/lib/password.js';
import { runtime, tempRoot, withoutAwsCredentials } from './helpers/workspace.js';

const EXPECTED = [
  'bootstrap',
  'synth',
  'diff',
  'deploy',
  'destroy',
  'status',
  'outputs',
  'secrets-populate',
  'secrets-export',
  'db-connect',
  'db-migrate',
  'db-seed-golden',
  'users-create',
  'lambda-deploy',
  'logs',
  'test-infra',
  'test-api',
];

let ws: Awaited<ReturnType<typeof tempRoot>>;
let restore: () => void;
beforeEach(async () => {
  ws = await tempRoot();
  restore = withoutAwsCredentials(ws.root);
});
afterEach(async () => {
  restore();
  await ws.cleanup();
});

describe('ops arguments', () => {
  it('has one subcommand per operation, each with --env, --profile and --region', () => {
    const program = buildProgram(runtime(ws.root), { code: 0 });
    expect(program.commands.map((c) => c.name())).toEqual(EXPECTED);
    expect(COMMANDS).toHaveLength(EXPECTED.length);
    for (const command of program.commands) {
      const flags = command.options.map((o) => o.long);
      expect(flags, command.name()).toEqual(expect.arrayContaining(['--env', '--profile', '--region']));
    }
  });

  it('--help lists the commands on stdout and exits 0', async () => {
    const rt = runtime(ws.root);
    expect(await runOps(['--help'], rt)).toBe(0);
    for (const name of EXPECTED) expect(rt.out.text).toContain(name);
  });

  it('refuses an unknown environment, command or option with a non-zero exit', async () => {
    let rt = runtime(ws.root);
    expect(await runOps(['status', '--env', 'staging'], rt)).not.toBe(0);
    expect(rt.err.text).toMatch(/Allowed choices are dev, test, prod/);
    rt = runtime(ws.root);
    expect(await runOps(['launch'], rt)).not.toBe(0);
    rt = runtime(ws.root);
    expect(await runOps(['status', '--colour'], rt)).not.toBe(0);
    expect(rt.err.text).toMatch(/unknown option/);
    rt = runtime(ws.root);
    expect(await runOps(['users-create'], rt)).not.toBe(0);
    expect(rt.err.text).toMatch(/--email/);
  });

  it('takes the environment from --env, else CDK_ENV, else dev', () => {
    expect(resolveEnv('prod', { CDK_ENV: 'test' })).toBe('prod');
    expect(resolveEnv(undefined, { CDK_ENV: 'test' })).toBe('test');
    expect(resolveEnv(undefined, { CDK_ENV: ' ' })).toBe('dev');
    expect(resolveEnv(undefined, {})).toBe('dev');
    expect(() => resolveEnv(undefined, { CDK_ENV: 'qa' })).toThrow(/CDK_ENV must be one of dev, test, prod \(got "qa"\)/);
  });

  it('an invalid CDK_ENV stops a command with a clear message', async () => {
    const rt = runtime(ws.root, { CDK_ENV: 'staging' });
    expect(await runOps(['status'], rt)).toBe(1);
    expect(rt.err.text).toContain('ops: CDK_ENV must be one of dev, test, prod (got "staging")');
  });

  it('passes --profile and --region through (region also from AWS_REGION / AWS_DEFAULT_REGION)', () => {
    const rt = runtime(ws.root);
    expect(contextFrom({ env: 'test', profile: 'p', region: 'eu-west-1' }, rt)).toMatchObject({
      env: 'test',
      profile: 'p',
      region: 'eu-west-1',
    });
    expect(contextFrom({}, runtime(ws.root, { AWS_DEFAULT_REGION: 'ap-south-1' })).region).toBe('ap-south-1');
    expect(contextFrom({ region: 'us-west-2' }, runtime(ws.root, { AWS_REGION: 'ap-south-1' })).region).toBe('us-west-2');
    expect(contextFrom({}, rt).region).toBeUndefined();
  });

  it('builds cdk command lines for infra/ with the environment context and the profile', () => {
    const ctx = { env: 'prod' as const, profile: 'ops', region: 'eu-central-1', root: ws.root, vars: { PATH: '/bin' } };
    expect(cdkArgs(ctx, ['deploy', '--all'])).toEqual(['deploy', '--all', '--context', 'env=prod', '--profile', 'ops']);
    expect(cdkArgs({ env: 'dev' }, ['diff'])).toEqual(['diff', '--context', 'env=dev']);
    expect(cdkEnv(ctx)).toMatchObject({ CDK_ENV: 'prod', AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'eu-central-1', PATH: '/bin' });
    expect(cdkCommand({ root: ws.root, vars: { OPS_CDK: 'cdk --no-color' } })).toEqual(['cdk', '--no-color']);
    expect(cdkCommand({ root: ws.root, vars: {} })).toEqual(['npx', 'cdk']);
    const repo = path.resolve(import.meta.dirname, '../..');
    expect(cdkCommand({ root: repo, vars: {} })).toEqual([path.join(repo, 'node_modules', '.bin', 'cdk')]);
  });

  it('commands that need AWS fail fast and clearly without credentials', async () => {
    for (const argv of [['status'], ['outputs'], ['bootstrap'], ['diff'], ['secrets-export']]) {
      const rt = runtime(ws.root);
      const t0 = Date.now();
      expect(await runOps([...argv, '--region', 'us-east-1'], rt), argv.join(' ')).toBe(1);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(rt.err.text, argv.join(' ')).toMatch(/No AWS credentials/);
    }
  });

  it('commands that need the outputs file say how to make it', async () => {
    const rt = runtime(ws.root);
    expect(await runOps(['users-create', '--email', 'a@example.com', '--env', 'test'], rt)).toBe(1);
    expect(rt.err.text).toContain('.aws-outputs-test.json not found: run `npm run ops -- outputs --env test`');
  });

  it('logs takes a function of the contract and a duration', async () => {
    const rt = runtime(ws.root);
    expect(await runOps(['logs', 'web'], rt)).toBe(1);
    expect(rt.err.text).toMatch(/Unknown function "web": one of api, image-processor, analyzer, embedder, cleanup, migrate/);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(() => parseDuration('yesterday')).toThrow(/--since takes a duration/);
  });

  it('makes passwords that satisfy Cognito’s default policy', () => {
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p).toHaveLength(20);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[!#%+\-=?@^_]/);
    }
    expect(new Set(Array.from({ length: 20 }, () => generatePassword())).size).toBe(20);
  });

  it('timestamps file names without colons', () => {
    expect(fileTimestamp(new Date('2026-05-01T12:30:05.123Z'))).toBe('2026-05-01T12-30-05Z');
  });
});
