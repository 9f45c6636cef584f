import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runOps } from '../../scripts/ops/main.js';
import { INFRA_CHECKS, httpApiEvent, runChecks, type CheckState } from '../../scripts/ops/lib/infra-checks.js';
import { outputsFromDescribeStacks, writeOutputsFile } from '../../scripts/ops/lib/outputs.js';
import { renderReport, verdict, type InfraReport } from '../../scripts/ops/lib/report.js';
import { startSsmServer } from './helpers/ssm-server.js';
import { runtime, tempRoot, withFakeAwsCredentials, withoutAwsCredentials } from './helpers/workspace.js';

const REPO = path.resolve(import.meta.dirname, '../..');

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

async function onlyReport(root: string) {
  const files = await readdir(path.join(root, 'reports'));
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^infra-test-(dev|test|prod)-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.md$/);
  return { name: files[0]!, text: await readFile(path.join(root, 'reports', files[0]!), 'utf8') };
}

describe('ops test-infra without AWS credentials', () => {
  it('skips every check, says so, writes the report, and exits 0 within seconds', async () => {
    const rt = runtime(ws.root);
    const t0 = Date.now();
    expect(await runOps(['test-infra', '--env', 'test'], rt)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(rt.err.text).toContain('skipped: no AWS credentials');
    const report = await onlyReport(ws.root);
    expect(report.name).toMatch(/^infra-test-test-/);
    expect(rt.out.text.trim()).toBe(`reports/${report.name}`);
    expect(report.text).toContain('# Infrastructure test: test');
    expect(report.text).toContain('- result: **skipped** (0 passed, 0 failed, 13 skipped of 13)');
    expect(report.text).toMatch(/- skipped: no AWS credentials/);
    for (const check of INFRA_CHECKS) expect(report.text).toContain(`| ${check.title} | SKIP |`);
  });

  it('does the same through the real entry point (npm run ops -- test-infra), stdin closed', async () => {
    const env = { ...process.env, CDK_ENV: 'dev' };
    const child = spawn(
      process.execPath,
      [
        path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        path.join(REPO, 'scripts/ops/main.ts'),
        'test-infra',
        '--report-dir',
        path.join(ws.root, 'reports'),
      ],
      {
        cwd: ws.root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, out).toBe(0);
    expect(out).toContain('test-infra dev: skipped: no AWS credentials');
    expect(out).not.toContain('NodeVersionSupportWarning');
    expect((await onlyReport(ws.root)).text).toContain('# Infrastructure test: dev');
  }, 30_000);

  it('refuses unknown check ids', async () => {
    const rt = runtime(ws.root);
    expect(await runOps(['test-infra', '--only', 'outputs,moon'], rt)).toBe(2);
    expect(rt.err.text).toMatch(/Unknown check\(s\) moon/);
  });
});

/** `.aws-outputs-dev.json` as `ops outputs` writes it for a deployed stack with these outputs. */
function writeDevOutputs(root: string, outputs: Record<string, string>) {
  return writeOutputsFile(
    root,
    outputsFromDescribeStacks('dev', [
      {
        Stacks: [
          {
            StackName: 'collections-dev',
            StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/collections-dev/x',
            StackStatus: 'CREATE_COMPLETE',
            Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
          },
        ],
      },
    ]),
  );
}

describe('ops test-infra with credentials (loopback stand-ins)', () => {
  let ssm: Awaited<ReturnType<typeof startSsmServer>>;
  let api: http.Server;
  let apiUrl: string;
  let itemsOpen = false;
  let webConfigApi = '';
  beforeAll(async () => {
    ssm = await startSsmServer();
    // An API that answers like the deployed one without a token: /health open, the rest 401.
    api = http.createServer((req, res) => {
      // The same server plays the CloudFront distribution (WebUrl) for the web-app check.
      if (req.url === '/' || req.url === '/items/some-deep-link') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><div id="root"></div>');
        return;
      }
      if (req.url === '/app-config.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            apiBaseUrl: webConfigApi,
            auth: { mode: 'cognito', region: 'us-east-1', userPoolId: 'us-east-1_Abc', clientId: 'c' },
          }),
        );
        return;
      }
      const open = req.url === '/health' || itemsOpen;
      res.writeHead(open ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(open ? { status: 'ok', version: 'x', database: 'postgres', item_count: null } : { message: 'Unauthorized' }));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/`;
    webConfigApi = apiUrl;
  });
  afterAll(async () => {
    await ssm.close();
    await new Promise((resolve) => api.close(resolve));
  });
  beforeEach(async () => {
    restore();
    restore = withFakeAwsCredentials(ws.root, { AWS_ENDPOINT_URL_SSM: ssm.url });
    itemsOpen = false;
    ssm.parameters.set('/collections/dev/ANTHROPIC_API_KEY', {
      Name: '/collections/dev/ANTHROPIC_API_KEY',
      Value: 'sk-SECRET',
      Type: 'SecureString',
      Version: 1,
    });
    await writeDevOutputs(ws.root, { ApiUrl: apiUrl });
  });

  it('runs the chosen checks, writes PASS/FAIL rows and details, and exits 1 when one fails', async () => {
    const rt = runtime(ws.root);
    expect(await runOps(['test-infra', '--only', 'outputs,parameter-store,api-routing'], rt)).toBe(1);
    const { text } = await onlyReport(ws.root);
    expect(text).toContain('- result: **failed** (2 passed, 1 failed, 0 skipped of 3)');
    expect(text).toContain('- region: us-east-1');
    expect(text).toContain('- account: 123456789012');
    expect(text).toMatch(/\| Stack outputs present \| FAIL \| .* missing UserPoolId, UserPoolClientId, BucketName, ChatTableName/);
    expect(text).toMatch(
      /\| Parameter Store readable \(SecureString secrets\) \| PASS \| .* 1 parameters under \/collections\/dev\/, decrypted; secrets set: ANTHROPIC_API_KEY/,
    );
    expect(text).toMatch(/\| API routing: .* \| PASS \| .*GET \/health → 200 \(database postgres\); GET \/items without a token → 401/);
    expect(text).not.toContain('sk-SECRET');
    expect(rt.err.text).not.toContain('sk-SECRET');
  });

  it('fails API routing when a protected route answers without a token', async () => {
    itemsOpen = true;
    const rt = runtime(ws.root);
    expect(await runOps(['test-infra', '--only', 'api-routing'], rt)).toBe(1);
    expect((await onlyReport(ws.root)).text).toMatch(/\| API routing: .* \| FAIL \| .*\/items without a token 200/);
  });

  it('checks the web app: served, SPA fallback, and an app-config.json naming this stack’s API and pool', async () => {
    await writeDevOutputs(ws.root, { ApiUrl: apiUrl, UserPoolId: 'us-east-1_Abc', WebUrl: apiUrl });
    expect(await runOps(['test-infra', '--only', 'web-app'], runtime(ws.root))).toBe(0);
    expect((await onlyReport(ws.root)).text).toMatch(/\| Web app: .* \| PASS \| [\d.]+ s \| GET \/ → 200 text\/html/);

    webConfigApi = 'https://other.execute-api.us-east-1.amazonaws.com/';
    const again = await tempRoot();
    try {
      await writeFile(path.join(again.root, '.aws-outputs-dev.json'), await readFile(path.join(ws.root, '.aws-outputs-dev.json')));
      expect(await runOps(['test-infra', '--only', 'web-app'], runtime(again.root))).toBe(1);
      expect((await onlyReport(again.root)).text).toMatch(
        /\| Web app: .* \| FAIL \| [\d.]+ s \| app-config.json names API https:\/\/other/,
      );
    } finally {
      webConfigApi = apiUrl;
      await again.cleanup();
    }
  });

  it('with credentials but no outputs file: skipped with the reason, exit 1', async () => {
    const rt = runtime(ws.root);
    expect(await runOps(['test-infra', '--env', 'prod', '--region', 'us-east-1'], rt)).toBe(1);
    const { text } = await onlyReport(ws.root);
    expect(text).toContain('- skipped: .aws-outputs-prod.json not found');
  });
});

describe('the check runner and the report', () => {
  const state = (): CheckState => ({
    ctx: { env: 'dev', root: '/nowhere', vars: {}, io: runtime('/nowhere').io },
    region: 'us-east-1',
    outputs: outputsFromDescribeStacks('dev', []),
    functions: new Map(),
    cleanups: [],
    e2eTimeoutSeconds: 30,
  });

  it('turns a throw into a failure with its first line, runs cleanups in reverse order, and keeps going', async () => {
    const order: string[] = [];
    const s = state();
    const results = await runChecks(
      [
        { id: 'a', title: 'A', run: async (st) => (st.cleanups.push(async () => void order.push('a')), { status: 'pass', detail: 'ok' }) },
        {
          id: 'b',
          title: 'B',
          run: async () => {
            throw new Error('boom\nstack here');
          },
        },
        {
          id: 'c',
          title: 'C',
          run: async (st) => (st.cleanups.push(async () => void order.push('c')), { status: 'skip', detail: 'needs b' }),
        },
      ],
      s,
    );
    expect(results.map((r) => [r.id, r.status, r.detail])).toEqual([
      ['a', 'pass', 'ok'],
      ['b', 'fail', 'boom'],
      ['c', 'skip', 'needs b'],
    ]);
    expect(order).toEqual(['c', 'a']);
  });

  it('renders a markdown report: summary, one row per check, escaped cells, details', () => {
    const report: InfraReport = {
      env: 'prod',
      region: 'eu-west-1',
      account: '123456789012',
      startedAt: new Date('2026-04-01T10:00:00Z'),
      finishedAt: new Date('2026-04-01T10:00:42.5Z'),
      gitSha: 'abc1234',
      outputsFile: '.aws-outputs-prod.json',
      results: [
        { id: 'x', title: 'X', status: 'pass', detail: 'a | b', durationMs: 1234, notes: ['first note'] },
        { id: 'y', title: 'Y', status: 'skip', detail: 'line1\nline2', durationMs: 0 },
      ],
    };
    expect(verdict(report)).toBe('passed');
    expect(renderReport(report)).toBe(
      [
        '# Infrastructure test: prod',
        '',
        '- result: **passed** (1 passed, 0 failed, 1 skipped of 2)',
        '- environment: prod',
        '- region: eu-west-1',
        '- account: 123456789012',
        '- started: 2026-04-01T10:00:00.000Z (42.5 s)',
        '- outputs: .aws-outputs-prod.json',
        '- git: abc1234',
        '',
        '| # | check | result | time | detail |',
        '|---|---|---|---|---|',
        '| 1 | X | PASS | 1.2 s | a \\| b |',
        '| 2 | Y | SKIP | 0.0 s | line1 line2 |',
        '',
        '## Details',
        '',
        '### X (`x`)',
        '',
        '- first note',
        '',
      ].join('\n'),
    );
    expect(verdict({ ...report, results: [{ ...report.results[1]! }] })).toBe('skipped');
    expect(verdict({ ...report, results: [{ ...report.results[0]!, status: 'fail' }] })).toBe('failed');
  });

  it('invokes the api function with an HTTP API 2.0 event', () => {
    const e = httpApiEvent('GET', '/health');
    expect(e).toMatchObject({
      version: '2.0',
      rawPath: '/health',
      requestContext: { http: { method: 'GET', path: '/health' }, stage: '$default' },
    });
  });
});
