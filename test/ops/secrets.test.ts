import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PARAMETER_NAMES } from '../../src/contracts/aws.js';
import { runOps } from '../../scripts/ops/main.js';
import { secretParameterName } from '../../scripts/ops/commands/secrets.js';
import { startSsmServer } from './helpers/ssm-server.js';
import { runtime, tempRoot, withFakeAwsCredentials } from './helpers/workspace.js';

const VALUES = {
  ANTHROPIC_API_KEY: 'sk-ant-api03-SECRET-anthropic-value',
  VOYAGE_API_KEY: 'pa-SECRET voyage "quoted" value',
  TAVILY_API_KEY: '',
};
const DOTENV = [
  '# keys for the dev environment',
  `export ANTHROPIC_API_KEY=${VALUES.ANTHROPIC_API_KEY}`,
  `VOYAGE_API_KEY="pa-SECRET voyage \\"quoted\\" value"   # inline comment`,
  'TAVILY_API_KEY=',
  'VISION_PROVIDER=bedrock',
  'UNRELATED=keep-me-local',
  '',
].join('\n');

let ssm: Awaited<ReturnType<typeof startSsmServer>>;
let ws: Awaited<ReturnType<typeof tempRoot>>;
let restore: () => void;

beforeAll(async () => {
  ssm = await startSsmServer();
});
afterAll(async () => {
  await ssm.close();
});
beforeEach(async () => {
  ws = await tempRoot();
  restore = withFakeAwsCredentials(ws.root, { AWS_ENDPOINT_URL_SSM: ssm.url });
  ssm.parameters.clear();
  ssm.requests.length = 0;
});
afterEach(async () => {
  restore();
  await ws.cleanup();
});

const secretValues = [VALUES.ANTHROPIC_API_KEY, VALUES.VOYAGE_API_KEY, 'SECRET'];
function expectNoValues(text: string) {
  for (const v of secretValues) expect(text).not.toContain(v);
}

describe('ops secrets-populate', () => {
  it('writes each secret of the .env file as a SecureString under /collections/{env}/, printing names only', async () => {
    await writeFile(path.join(ws.root, '.env'), DOTENV);
    const rt = runtime(ws.root);
    const code = await runOps(['secrets-populate', '--env', 'test', '--region', 'us-east-1'], rt);
    expect(code, rt.err.text).toBe(0);

    const puts = ssm.requests.filter((r) => r.target === 'AmazonSSM.PutParameter');
    expect(puts.map((r) => r.body.Name).sort()).toEqual([
      '/collections/test/ANTHROPIC_API_KEY',
      '/collections/test/VISION_PROVIDER', // settings travel with the keys
      '/collections/test/VOYAGE_API_KEY',
    ]);
    for (const put of puts) {
      expect(put.body).toMatchObject({ Type: 'SecureString', Overwrite: true });
      expect(put.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTEST\/\d{8}\/us-east-1\/ssm\/aws4_request/);
    }
    expect(ssm.parameters.get('/collections/test/ANTHROPIC_API_KEY')?.Value).toBe(VALUES.ANTHROPIC_API_KEY);
    expect(ssm.parameters.get('/collections/test/VOYAGE_API_KEY')?.Value).toBe(VALUES.VOYAGE_API_KEY);
    // Only the known names are ever written: UNRELATED stays local.
    expect([...ssm.parameters.keys()].every((k) => PARAMETER_NAMES.some((n) => k.endsWith(`/${n}`)))).toBe(true);

    const lines = rt.out.text.trim().split('\n');
    expect(lines).toHaveLength(PARAMETER_NAMES.length);
    expect(rt.out.text).toMatch(/\/collections\/test\/ANTHROPIC_API_KEY\s+set/);
    expect(rt.out.text).toMatch(/\/collections\/test\/VOYAGE_API_KEY\s+set/);
    expect(rt.out.text).toMatch(/\/collections\/test\/TAVILY_API_KEY\s+empty in file/);
    expect(rt.out.text).toMatch(/\/collections\/test\/OPENAI_API_KEY\s+not in file/);
    expectNoValues(rt.out.text + rt.err.text);
  });

  it('leaves a parameter that already holds the value alone ("unchanged") and overwrites a changed one', async () => {
    await writeFile(path.join(ws.root, '.env'), DOTENV);
    expect(await runOps(['secrets-populate', '--region', 'us-east-1'], runtime(ws.root, { CDK_ENV: 'dev' }))).toBe(0);
    await writeFile(path.join(ws.root, '.env'), DOTENV.replace(VALUES.ANTHROPIC_API_KEY, 'sk-ant-SECRET-rotated'));
    ssm.requests.length = 0;
    const rt = runtime(ws.root, { CDK_ENV: 'dev' });
    expect(await runOps(['secrets-populate', '--region', 'us-east-1'], rt)).toBe(0);
    expect(rt.out.text).toMatch(/\/collections\/dev\/ANTHROPIC_API_KEY\s+set/);
    expect(rt.out.text).toMatch(/\/collections\/dev\/VOYAGE_API_KEY\s+unchanged/);
    expect(ssm.requests.filter((r) => r.target === 'AmazonSSM.PutParameter').map((r) => r.body.Name)).toEqual([
      '/collections/dev/ANTHROPIC_API_KEY',
    ]);
    expect(ssm.parameters.get('/collections/dev/ANTHROPIC_API_KEY')).toMatchObject({ Value: 'sk-ant-SECRET-rotated', Version: 2 });
    expectNoValues(rt.out.text + rt.err.text);
    expect(rt.out.text + rt.err.text).not.toContain('rotated');
  });

  it('--dry-run says what would be set and writes nothing', async () => {
    await writeFile(path.join(ws.root, '.env'), DOTENV);
    const rt = runtime(ws.root);
    expect(await runOps(['secrets-populate', '--dry-run', '--region', 'us-east-1'], rt)).toBe(0);
    expect(rt.out.text).toMatch(/\/collections\/dev\/ANTHROPIC_API_KEY\s+would set/);
    expect(ssm.parameters.size).toBe(0);
  });

  it('passes --kms-key-id through to PutParameter', async () => {
    await writeFile(path.join(ws.root, 'keys.env'), 'OPENAI_API_KEY=sk-SECRET-openai\n');
    const rt = runtime(ws.root);
    expect(await runOps(['secrets-populate', '-f', 'keys.env', '--kms-key-id', 'alias/collections', '--region', 'us-east-1'], rt)).toBe(0);
    expect(ssm.requests.find((r) => r.target === 'AmazonSSM.PutParameter')?.body).toMatchObject({
      Name: '/collections/dev/OPENAI_API_KEY',
      KeyId: 'alias/collections',
      Type: 'SecureString',
    });
  });

  it('fails with a clear message when the .env file is missing, before calling AWS', async () => {
    const rt = runtime(ws.root);
    expect(await runOps(['secrets-populate', '--region', 'us-east-1'], rt)).toBe(1);
    expect(rt.err.text).toMatch(/Cannot read .*\.env/);
    expect(ssm.requests).toHaveLength(0);
  });
});

describe('ops secrets-export', () => {
  it('merges the decrypted parameters into the .env file (mode 600) and prints names only', async () => {
    for (const [name, value] of Object.entries({
      ANTHROPIC_API_KEY: 'sk-ant-SECRET-1',
      OPENAI_API_KEY: 'sk-SECRET-2',
      VOYAGE_API_KEY: 'pa SECRET #3',
    })) {
      ssm.parameters.set(secretParameterName('prod', name), {
        Name: secretParameterName('prod', name),
        Value: value,
        Type: 'SecureString',
        Version: 1,
      });
    }
    // Not a secret name: never exported.
    ssm.parameters.set('/collections/prod/DATABASE_URL', {
      Name: '/collections/prod/DATABASE_URL',
      Value: 'postgres://x',
      Type: 'String',
      Version: 1,
    });
    await writeFile(path.join(ws.root, '.env'), '# mine\nPORT=9000\nOPENAI_API_KEY=old-SECRET\n');
    const rt = runtime(ws.root);
    expect(await runOps(['secrets-export', '--env', 'prod', '--region', 'eu-west-1'], rt), rt.err.text).toBe(0);

    const text = await readFile(path.join(ws.root, '.env'), 'utf8');
    expect(text).toBe('# mine\nPORT=9000\nOPENAI_API_KEY=sk-SECRET-2\nANTHROPIC_API_KEY=sk-ant-SECRET-1\nVOYAGE_API_KEY="pa SECRET #3"\n');
    expect((await stat(path.join(ws.root, '.env'))).mode & 0o777).toBe(0o600);
    const byPath = ssm.requests.filter((r) => r.target === 'AmazonSSM.GetParametersByPath');
    expect(byPath.length).toBeGreaterThan(1); // paginated
    expect(byPath[0]!.body).toMatchObject({ Path: '/collections/prod', WithDecryption: true });
    expect(rt.out.text).toMatch(/\/collections\/prod\/ANTHROPIC_API_KEY\s+set/);
    expect(rt.out.text).toMatch(/\/collections\/prod\/TAVILY_API_KEY\s+not in Parameter Store/);
    expect(rt.out.text + rt.err.text).not.toMatch(/SECRET|postgres:/);
  });
});
