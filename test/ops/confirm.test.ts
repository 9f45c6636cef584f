import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOps } from '../../scripts/ops/main.js';
import { LineReader, confirm, confirmTyped } from '../../scripts/ops/lib/prompt.js';
import { Capture, runtime, tempRoot, withFakeAwsCredentials, withoutAwsCredentials } from './helpers/workspace.js';

/**
 * A stand-in for the CDK CLI (OPS_CDK): records its arguments and environment, prints a diff,
 * and for `deploy --outputs-file F` writes outputs as the real CLI does.
 */
const FAKE_CDK = `
import { appendFileSync, writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
appendFileSync(process.env.FAKE_CDK_LOG, JSON.stringify({ args, cwd: process.cwd(), CDK_ENV: process.env.CDK_ENV, AWS_REGION: process.env.AWS_REGION }) + '\\n');
if (args[0] === 'diff') console.log('Stack collections-dev\\n[~] AWS::Lambda::Function Api');
if (args[0] === 'deploy') {
  const i = args.indexOf('--outputs-file');
  writeFileSync(args[i + 1], JSON.stringify({ 'collections-dev': { ApiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/', UserPoolId: 'us-east-1_Abc' } }));
  console.log('deployed');
}
process.exit(Number(process.env.FAKE_CDK_EXIT ?? 0));
`;

/** A stand-in for `npm run build` (OPS_WEB_BUILD): records that it ran, exits FAKE_BUILD_EXIT. */
const FAKE_BUILD = `
import { appendFileSync } from 'node:fs';
appendFileSync(process.env.FAKE_BUILD_LOG, 'built ' + process.cwd() + '\\n');
process.exit(Number(process.env.FAKE_BUILD_EXIT ?? 0));
`;

let ws: Awaited<ReturnType<typeof tempRoot>>;
let restore: () => void;
let vars: NodeJS.ProcessEnv;
const log = () => path.join(ws.root, 'cdk-calls.jsonl');
const calls = async () =>
  (await readFile(log(), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { args: string[]; cwd: string; CDK_ENV: string; AWS_REGION?: string });

beforeEach(async () => {
  ws = await tempRoot();
  await writeFile(path.join(ws.root, 'fake-cdk.mjs'), FAKE_CDK);
  await writeFile(path.join(ws.root, 'fake-build.mjs'), FAKE_BUILD);
  restore = withFakeAwsCredentials(ws.root);
  vars = {
    OPS_CDK: `${process.execPath} ${path.join(ws.root, 'fake-cdk.mjs')}`,
    FAKE_CDK_LOG: log(),
    OPS_WEB_BUILD: `${process.execPath} ${path.join(ws.root, 'fake-build.mjs')}`,
    FAKE_BUILD_LOG: path.join(ws.root, 'build-calls.txt'),
    PATH: process.env.PATH,
  };
});
afterEach(async () => {
  restore();
  await ws.cleanup();
});

describe('prompts', () => {
  it('LineReader reads line by line, across chunks, then null at the end of input', async () => {
    const input = new PassThrough();
    const reader = new LineReader(input);
    input.write('fir');
    input.write('st\r\nsecond\nthi');
    input.end('rd');
    expect(await reader.readLine()).toBe('first');
    expect(await reader.readLine()).toBe('second');
    expect(await reader.readLine()).toBe('third');
    expect(await reader.readLine()).toBeNull();
  });

  it('confirm: only y / yes say yes; empty, anything else and end of input say no', async () => {
    const io = (text: string) => ({ stdin: Readable.from(text ? [text] : []), stdout: new Capture(), stderr: new Capture() });
    for (const yes of ['y\n', 'Y\n', 'yes\n', ' YES \n']) expect(await confirm(io(yes), 'Go?')).toBe(true);
    for (const no of ['\n', 'n\n', 'no\n', 'yep\n', '']) expect(await confirm(io(no), 'Go?')).toBe(false);
    const shown = io('n\n');
    await confirm(shown, 'Deploy?');
    expect(shown.stderr.text).toBe('Deploy? [y/N] ');
  });

  it('confirmTyped needs the exact word', async () => {
    const io = (text: string) => ({ stdin: Readable.from([text]), stdout: new Capture(), stderr: new Capture() });
    expect(await confirmTyped(io('prod\n'), 'Destroy?', 'prod')).toBe(true);
    expect(await confirmTyped(io('  prod  \n'), 'Destroy?', 'prod')).toBe(true);
    expect(await confirmTyped(io('PROD\n'), 'Destroy?', 'prod')).toBe(false);
    expect(await confirmTyped(io('y\n'), 'Destroy?', 'prod')).toBe(false);
  });
});

describe('ops deploy', () => {
  it('shows the diff, asks, and deploys nothing when the answer is no', async () => {
    const rt = runtime(ws.root, vars, 'n\n');
    expect(await runOps(['deploy', '--env', 'dev', '--region', 'us-east-1'], rt)).toBe(1);
    expect(rt.out.text).toContain('[~] AWS::Lambda::Function Api');
    expect(rt.err.text).toContain('Deploy these changes to dev (us-east-1)? [y/N]');
    expect(rt.err.text).toContain('Not deployed');
    const c = await calls();
    expect(c.map((x) => x.args[0])).toEqual(['diff']);
    expect(c[0]!.args).toEqual(['diff', '--all', '--context', 'env=dev']);
    expect(c[0]!.cwd).toBe(path.join(ws.root, 'infra'));
    expect(c[0]!.CDK_ENV).toBe('dev');
  });

  it('builds the web app (which the stack uploads) before the diff, and deploys nothing when it fails', async () => {
    const ok = runtime(ws.root, vars, 'n\n');
    await runOps(['deploy', '--env', 'dev', '--region', 'us-east-1'], ok);
    expect(await readFile(path.join(ws.root, 'build-calls.txt'), 'utf8')).toBe(`built ${ws.root}\n`);

    const failed = runtime(ws.root, { ...vars, FAKE_BUILD_EXIT: '2' }, 'y\n');
    expect(await runOps(['deploy', '--env', 'dev', '--yes', '--region', 'us-east-1'], failed)).toBe(2);
    expect(failed.err.text).toContain('The web app did not build (exit 2); nothing was deployed.');
    expect((await calls()).map((x) => x.args[0])).toEqual(['diff']); // only the first run's diff
  });

  it('refuses to deploy an environment whose alarms would notify nobody, unless told who or told to go on', async () => {
    // The repository's real settings: test has alarms and no alarmEmail.
    const repo = path.resolve(import.meta.dirname, '../..');
    await writeFile(path.join(ws.root, 'infra', 'cdk.json'), await readFile(path.join(repo, 'infra', 'cdk.json')));
    await writeFile(path.join(ws.root, 'infra', 'cdk.context.json'), await readFile(path.join(repo, 'infra', 'cdk.context.json')));

    const refused = runtime(ws.root, vars, 'y\n');
    expect(await runOps(['deploy', '--env', 'test', '--region', 'us-east-1'], refused)).toBe(1);
    expect(refused.err.text).toMatch(/test has alarms but nobody receives them.*--alarm-email.*Nothing was deployed/s);
    expect(await calls()).toEqual([]);

    const told = runtime(ws.root, vars, 'n\n');
    await runOps(['deploy', '--env', 'test', '--alarm-email', 'ops@example.com', '--region', 'us-east-1'], told);
    expect((await calls())[0]!.args).toEqual(['diff', '--all', '--context', 'alarmEmail=ops@example.com', '--context', 'env=test']);

    const anyway = runtime(ws.root, vars, 'n\n');
    await runOps(['deploy', '--env', 'test', '--without-alarm-email', '--region', 'us-east-1'], anyway);
    expect((await calls()).map((c) => c.args[0])).toEqual(['diff', 'diff']);
    // dev has no alarms: nothing to refuse.
    await runOps(['deploy', '--env', 'dev', '--region', 'us-east-1'], runtime(ws.root, vars, 'n\n'));
    expect(await calls()).toHaveLength(3);
  });

  it('treats the end of input (no terminal, no answer) as no', async () => {
    const rt = runtime(ws.root, vars, '');
    expect(await runOps(['deploy', '--region', 'us-east-1'], rt)).toBe(1);
    expect((await calls()).map((x) => x.args[0])).toEqual(['diff']);
  });

  it('deploys after "y", without a second question from the CLI, and writes .aws-outputs-{env}.json', async () => {
    // --profile: the SDK and cdk both use the named profile (here from a credentials file).
    await writeFile(
      process.env.AWS_SHARED_CREDENTIALS_FILE!,
      '[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = work-secret\n',
    );
    const rt = runtime(ws.root, vars, 'y\n');
    expect(await runOps(['deploy', '--env', 'dev', '--profile', 'work', '--region', 'us-east-1'], rt), rt.err.text).toBe(0);
    const [diff, deploy] = await calls();
    expect(diff!.args).toEqual(['diff', '--all', '--context', 'env=dev', '--profile', 'work']);
    expect(deploy!.args.slice(0, 4)).toEqual(['deploy', '--all', '--require-approval', 'never']);
    expect(deploy!.args).toContain('--outputs-file');
    expect(deploy!.args.slice(-4)).toEqual(['--context', 'env=dev', '--profile', 'work']);
    expect(deploy!.AWS_REGION).toBe('us-east-1');
    const written = JSON.parse(await readFile(path.join(ws.root, '.aws-outputs-dev.json'), 'utf8'));
    expect(written).toMatchObject({
      env: 'dev',
      region: 'us-east-1',
      source: 'cdk-deploy',
      outputs: { ApiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/', UserPoolId: 'us-east-1_Abc' },
    });
  });

  it('--yes deploys without asking; extra arguments after -- reach cdk deploy', async () => {
    const rt = runtime(ws.root, vars, '');
    expect(await runOps(['deploy', '--env', 'test', '--yes', '--region', 'us-east-1', '--', '--hotswap'], rt), rt.err.text).toBe(0);
    expect(rt.err.text).not.toContain('[y/N]');
    const deploy = (await calls())[1]!;
    expect(deploy.args).toContain('--hotswap');
    expect(deploy.args).toContain('env=test');
  });

  it('stops when cdk diff fails, and reports a failed deploy', async () => {
    const rt = runtime(ws.root, { ...vars, FAKE_CDK_EXIT: '3' }, 'y\n');
    expect(await runOps(['deploy', '--yes', '--region', 'us-east-1'], rt)).toBe(3);
    expect(rt.err.text).toContain('cdk diff failed (exit 3); nothing was deployed');
    expect((await calls()).map((x) => x.args[0])).toEqual(['diff']);
  });

  it('fails fast without AWS credentials, before running cdk', async () => {
    restore();
    restore = withoutAwsCredentials(ws.root);
    const rt = runtime(ws.root, vars, 'y\n');
    const t0 = Date.now();
    expect(await runOps(['deploy', '--region', 'us-east-1'], rt)).toBe(1);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(rt.err.text).toMatch(/No AWS credentials/);
    expect(rt.err.text).toMatch(/aws configure/);
    expect(await calls()).toEqual([]);
  });
});

describe('ops destroy', () => {
  it('destroys nothing unless the environment name is typed', async () => {
    for (const answer of ['y\n', 'yes\n', 'dev\n', '']) {
      const rt = runtime(ws.root, vars, answer);
      expect(await runOps(['destroy', '--env', 'prod', '--region', 'us-east-1'], rt)).toBe(1);
      expect(rt.err.text).toContain('Type "prod" to continue:');
      expect(rt.err.text).toContain('Not destroyed');
    }
    expect(await calls()).toEqual([]);
  });

  it('runs cdk destroy --all --force after the name is typed, and removes the outputs file', async () => {
    await writeFile(path.join(ws.root, '.aws-outputs-test.json'), '{}');
    const rt = runtime(ws.root, vars, 'test\n');
    expect(await runOps(['destroy', '--env', 'test', '--region', 'us-east-1'], rt), rt.err.text).toBe(0);
    expect((await calls())[0]!.args).toEqual(['destroy', '--all', '--force', '--context', 'env=test']);
    await expect(readFile(path.join(ws.root, '.aws-outputs-test.json'))).rejects.toThrow();
  });

  it('names what prod keeps before asking', async () => {
    const rt = runtime(ws.root, vars, 'no\n');
    await runOps(['destroy', '--env', 'prod', '--region', 'us-east-1'], rt);
    expect(rt.err.text).toMatch(/Kept \(RETAIN\)/);
  });
});
