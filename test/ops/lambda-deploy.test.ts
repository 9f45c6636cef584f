import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildFunctionZip, functionOutputKey } from '../../scripts/ops/commands/lambda-deploy.js';
import { zipDirectory } from '../../scripts/ops/lib/zip.js';
import { runOps } from '../../scripts/ops/main.js';
import { outputsFromDescribeStacks, writeOutputsFile } from '../../scripts/ops/lib/outputs.js';
import { runtime, tempRoot, withFakeAwsCredentials } from './helpers/workspace.js';

const REPO = path.resolve(import.meta.dirname, '../..');

/** Python's zipfile reads the archive, checks every CRC, and lists names, sizes and modes. */
function inspectZip(bytes: Buffer) {
  const dir = mkdtempSync(path.join(tmpdir(), 'collections-zip-'));
  try {
    const file = path.join(dir, 'code.zip');
    writeFileSync(file, bytes);
    const script =
      'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nbad=z.testzip()\n' +
      'print(json.dumps({"bad":bad,"entries":[[i.filename,i.file_size,i.external_attr>>16,list(i.date_time)] for i in z.infolist()]}))';
    const out = execFileSync('python3', ['-c', script, file], { encoding: 'utf8' });
    return JSON.parse(out) as { bad: string | null; entries: [string, number, number, number[]][] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('zipDirectory', () => {
  it('writes a valid, deterministic zip (sorted, fixed times, modes kept)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'collections-zipsrc-'));
    try {
      mkdirSync(path.join(dir, 'chunks'));
      writeFileSync(path.join(dir, 'index.mjs'), 'export const handler = async () => "ok";\n'.repeat(50));
      writeFileSync(path.join(dir, 'chunks', 'b.mjs'), 'b');
      writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\n');
      chmodSync(path.join(dir, 'run.sh'), 0o755);
      const a = zipDirectory(dir);
      const z = inspectZip(a);
      expect(z.bad).toBeNull();
      expect(z.entries.map((e) => e[0])).toEqual(['chunks/b.mjs', 'index.mjs', 'run.sh']);
      expect(z.entries.find((e) => e[0] === 'run.sh')![2] & 0o777).toBe(0o755);
      expect(z.entries.find((e) => e[0] === 'index.mjs')![2] & 0o777).toBe(0o644);
      expect(z.entries[0]![3]).toEqual([1980, 1, 1, 0, 0, 0]);
      expect(zipDirectory(dir).equals(a)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('buildFunctionZip', () => {
  it('bundles the api function as the stack does, with index.mjs, chunks and the native sharp beside it', async () => {
    // A stand-in for infra/native/node_modules (the real one holds the linux-arm64 sharp).
    const natives = mkdtempSync(path.join(tmpdir(), 'collections-natives-'));
    try {
      mkdirSync(path.join(natives, 'sharp'));
      writeFileSync(path.join(natives, 'sharp', 'package.json'), '{"name":"sharp","version":"0.0.0-test"}');
      const zip = await buildFunctionZip(REPO, 'api', natives);
      const z = inspectZip(zip);
      expect(z.bad).toBeNull();
      const names = z.entries.map((e) => e[0]);
      expect(names).toContain('index.mjs');
      expect(names.filter((n) => n.startsWith('chunks/') && n.endsWith('.mjs')).length).toBeGreaterThan(3);
      expect(names).toContain('node_modules/sharp/package.json');
      // Files the api reads beside itself at run time (Swagger UI for /docs).
      expect(names).toContain('swagger-ui/swagger-ui.css');
    } finally {
      rmSync(natives, { recursive: true, force: true });
    }
  }, 120_000);

  it('says how to install sharp for linux-arm64 when it is missing', async () => {
    await expect(buildFunctionZip(REPO, 'api', path.join(tmpdir(), 'no-such-natives'))).rejects.toThrow(/npm ci --prefix infra\/native/);
  }, 120_000);
});

/** Lambda's REST API on loopback: UpdateFunctionCode, then GetFunctionConfiguration (InProgress once). */
let lambda: http.Server;
let lambdaUrl: string;
const received: { method: string; url: string; zip?: Buffer }[] = [];
let finalStatus: 'Successful' | 'Failed' = 'Successful';
beforeAll(async () => {
  let polls = 0;
  let sha = '';
  lambda = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'test' });
        res.end(JSON.stringify(json));
      };
      const m = /^\/2015-03-31\/functions\/([^/]+)\/(code|configuration)/.exec(req.url ?? '');
      if (!m) return send(404, { Type: 'User', message: `no route ${req.url}` });
      const name = decodeURIComponent(m[1]!);
      if (name !== 'collections-dev-api') return send(404, { Type: 'User', message: 'Function not found' });
      if (m[2] === 'code' && req.method === 'PUT') {
        const zip = Buffer.from((JSON.parse(raw) as { ZipFile: string }).ZipFile, 'base64');
        received.push({ method: req.method, url: req.url!, zip });
        sha = createHash('sha256').update(zip).digest('base64');
        polls = 0;
        return send(200, { FunctionName: name, CodeSha256: sha, CodeSize: zip.length, LastUpdateStatus: 'InProgress' });
      }
      received.push({ method: req.method!, url: req.url! });
      polls++;
      const status = polls < 2 ? 'InProgress' : finalStatus;
      return send(200, {
        FunctionName: name,
        CodeSha256: sha,
        CodeSize: 1234,
        LastUpdateStatus: status,
        ...(status === 'Failed' && { LastUpdateStatusReason: 'Unzipped size must be smaller than 262144000 bytes' }),
      });
    });
  });
  await new Promise<void>((resolve) => lambda.listen(0, '127.0.0.1', resolve));
  lambdaUrl = `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => lambda.close(resolve)));

describe('ops lambda-deploy', () => {
  let ws: Awaited<ReturnType<typeof tempRoot>>;
  let restore: () => void;
  let zipFile: string;
  beforeEach(async () => {
    ws = await tempRoot();
    restore = withFakeAwsCredentials(ws.root, { AWS_ENDPOINT_URL_LAMBDA: lambdaUrl });
    received.length = 0;
    finalStatus = 'Successful';
    mkdirSync(path.join(ws.root, 'b'));
    writeFileSync(path.join(ws.root, 'b', 'index.mjs'), 'export const handler = async () => 1;\n');
    zipFile = path.join(ws.root, 'code.zip');
    writeFileSync(zipFile, zipDirectory(path.join(ws.root, 'b')));
  });
  afterEach(async () => {
    restore();
    await ws.cleanup();
  });
  const outputs = (o: Record<string, string>) =>
    writeOutputsFile(
      ws.root,
      outputsFromDescribeStacks('dev', [
        {
          Stacks: [
            { StackName: 'Collections-dev', Outputs: Object.entries(o).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) },
          ],
        },
      ]),
    );

  it('sends the zip with UpdateFunctionCode, waits for Successful, and prints CodeSha256 and size', async () => {
    await outputs({ ApiFunctionName: 'collections-dev-api' });
    const rt = runtime(ws.root);
    const code = await runOps(['lambda-deploy', '--function', 'api', '--zip', 'code.zip', '--region', 'us-east-1'], rt);
    expect(code, rt.err.text).toBe(0);
    const put = received.find((r) => r.method === 'PUT')!;
    expect(put.url).toBe('/2015-03-31/functions/collections-dev-api/code');
    const sent = (await import('node:fs')).readFileSync(zipFile);
    expect(put.zip!.equals(sent)).toBe(true);
    expect(received.filter((r) => r.url.endsWith('/configuration')).length).toBeGreaterThanOrEqual(2);
    const sha = createHash('sha256').update(sent).digest('base64');
    expect(rt.out.text).toContain(`collections-dev-api: CodeSha256 ${sha}, 1234 bytes`);
    expect(rt.err.text).toMatch(/bypasses CloudFormation/);
  }, 30_000);

  it('fails with Lambda’s reason when the update fails', async () => {
    await outputs({ ApiFunctionName: 'collections-dev-api' });
    finalStatus = 'Failed';
    const rt = runtime(ws.root);
    expect(await runOps(['lambda-deploy', '--function', 'api', '--zip', 'code.zip', '--region', 'us-east-1'], rt)).toBe(1);
    expect(rt.err.text).toMatch(/ended Failed: Unzipped size must be smaller/);
  }, 30_000);

  it('refuses when the outputs do not name the function, and refuses unknown functions', async () => {
    await outputs({ AnalyzerFunctionName: 'collections-dev-analyzer' });
    let rt = runtime(ws.root);
    expect(await runOps(['lambda-deploy', '--function', 'api', '--zip', 'code.zip', '--region', 'us-east-1'], rt)).toBe(1);
    expect(rt.err.text).toMatch(/have no ApiFunctionName/);
    expect(received).toEqual([]);
    rt = runtime(ws.root);
    expect(await runOps(['lambda-deploy', '--function', 'moon'], rt)).not.toBe(0);
    expect(rt.err.text).toMatch(/Allowed choices are api, image-processor/);
  });

  it('names the output key of every function as the stack does', () => {
    expect(functionOutputKey('api')).toBe('ApiFunctionName');
    expect(functionOutputKey('image-processor')).toBe('ImageProcessorFunctionName');
    expect(functionOutputKey('chat-stream' as never)).toBe('ChatStreamFunctionName');
  });
});
