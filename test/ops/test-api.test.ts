import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runOps } from '../../scripts/ops/main.js';
import { searchWord } from '../../scripts/ops/lib/api-suite.js';
import { outputsFromDescribeStacks, writeOutputsFile } from '../../scripts/ops/lib/outputs.js';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { loadConfig } from '../../src/shared/config.js';
import { startServer } from '../../src/app/server.js';
import { startCognitoLocal, type CognitoLocal } from '../aws/helpers/cognito-local.js';
import { openTestDatabase } from '../helpers/db.js';
import { ScriptedVision } from '../helpers/scripted-vision.js';
import { runtime, tempRoot, withFakeAwsCredentials, withoutAwsCredentials } from './helpers/workspace.js';

/**
 * `ops test-api` end to end on loopback: the real suite against the real server (jwt auth
 * against cognito-local, PGlite, files on disk, a scripted vision model, no chat model), with
 * the temporary users made through the Cognito admin API that cognito-local speaks.
 */
let cognito: CognitoLocal;
let db: PGliteDatabase;
let server: Awaited<ReturnType<typeof startServer>>;
let dataDir: string;
let broken: http.Server;
let brokenUrl: string;
let ws: Awaited<ReturnType<typeof tempRoot>>;
let restore: () => void;

beforeAll(async () => {
  cognito = await startCognitoLocal();
  db = await openTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'collections-test-api-'));
  const config = loadConfig({
    COLLECTIONS_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    PIPELINE_RETRY_BASE_MS: '5',
    LOG_LEVEL: 'error',
    ...cognito.env,
  });
  server = await startServer(config, { db, vision: () => new ScriptedVision(), chatModel: null });
  // A stage that is down: every request answers 500 with the error shape.
  broken = http.createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'internal_error', message: 'down' } }));
  });
  await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
  brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/`;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
  await cognito?.stop();
  await new Promise((resolve) => broken?.close(resolve));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  ws = await tempRoot();
  restore = withFakeAwsCredentials(ws.root, { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint });
});
afterEach(async () => {
  restore();
  await ws.cleanup();
});

function writeOutputs(apiUrl: string) {
  return writeOutputsFile(
    ws.root,
    outputsFromDescribeStacks('dev', [
      {
        Stacks: [
          {
            StackName: 'Collections-dev',
            Outputs: [
              { OutputKey: 'ApiUrl', OutputValue: apiUrl },
              { OutputKey: 'UserPoolId', OutputValue: cognito.poolId },
              { OutputKey: 'UserPoolClientId', OutputValue: cognito.clientId },
            ],
          },
        ],
      },
    ]),
  );
}

async function testUsers(): Promise<string[]> {
  const client = new CognitoIdentityProviderClient({
    region: 'local',
    endpoint: cognito.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { Users } = await client.send(new ListUsersCommand({ UserPoolId: cognito.poolId }));
    return (Users ?? []).map((u) => u.Username ?? '').filter((u) => u.startsWith('collections-api-test+'));
  } finally {
    client.destroy();
  }
}

describe('ops test-api', () => {
  it('passes every check against the local server, skips chat with the reason, and removes users and items', async () => {
    await writeOutputs(server.url);
    const rt = runtime(ws.root);
    const code = await runOps(['test-api', '--region', 'us-east-1', '--ready-timeout', '30'], rt);
    expect(code, `${rt.out.text}\n${rt.err.text}`).toBe(0);
    for (const title of [
      'GET /health and /version open',
      'GET /items without a token → 401 with the error shape',
      'Malformed JSON → 400 with the error shape',
      'Upload an image',
      'The item becomes ready',
      'GET /items lists it',
      'GET /items/{id} with its analysis',
      'The thumbnail is served',
      'POST /search finds it by a word of its analysis',
      'Another user can neither see nor delete the item (404)',
      'DELETE /items/{id}, then GET → 404',
    ]) {
      expect(rt.out.text).toMatch(new RegExp(`PASS  ${title.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.* \\(\\d+\\.\\d s\\): `));
    }
    expect(rt.out.text).toMatch(/SKIP {2}POST \/chat .*: no chat model configured/);
    expect(rt.out.text).toContain('via POST /items (direct uploads: 503 here)');
    expect(rt.out.text).toMatch(/passed: 11 passed, 0 failed, 1 skipped/);
    expect(await testUsers()).toEqual([]);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
    expect(rows[0]!.n).toBe(0);
  }, 90_000);

  it('exits 1 when a check fails (a stage answering 500), and still deletes the users', async () => {
    await writeOutputs(brokenUrl);
    const rt = runtime(ws.root);
    expect(await runOps(['test-api', '--region', 'us-east-1'], rt)).toBe(1);
    expect(rt.out.text).toMatch(/FAIL {2}GET \/health and \/version open .*GET \/health → 500, expected 200/);
    expect(rt.out.text).toMatch(/SKIP {2}The item becomes ready .*needs the uploaded item/);
    expect(rt.out.text).toMatch(/failed: 0 passed, \d+ failed/);
    expect(await testUsers()).toEqual([]);
  }, 60_000);

  it('refuses outputs without the API URL or the user pool, creating nobody', async () => {
    await writeOutputsFile(ws.root, outputsFromDescribeStacks('dev', [{ Stacks: [{ StackName: 'Collections-dev', Outputs: [] }] }]));
    const rt = runtime(ws.root);
    expect(await runOps(['test-api', '--region', 'us-east-1'], rt)).toBe(1);
    expect(rt.err.text).toMatch(/lack or have invalid ApiUrl, UserPoolId, UserPoolClientId/);
  });

  it('is skipped (exit 0) without AWS credentials', async () => {
    restore();
    restore = withoutAwsCredentials(ws.root);
    const rt = runtime(ws.root);
    expect(await runOps(['test-api'], rt)).toBe(0);
    expect(rt.err.text).toContain('test-api dev: skipped: no AWS credentials');
  }, 20_000);

  it('searches by the longest word of the analysis', () => {
    expect(searchWord('Ramen in Fukuoka')).toBe('Fukuoka');
    expect(searchWord('a b c')).toBeUndefined();
  });
});
