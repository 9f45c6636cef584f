import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParameterStoreSecrets, readSecretString } from '../../src/adapters/secrets/index.js';
import { postgresUrlFromSecret } from '../../src/adapters/database/rds-secret.js';
import { SECRET_NAMES, parameterPrefix } from '../../src/contracts/aws.js';
import { loadLambdaConfig } from '../../src/lambda/runtime/environment.js';
import { startAwsJsonServer, type AwsJsonServer } from './helpers/aws-json-server.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:collections-dev-db-AbCdEf';
const PREFIX = parameterPrefix('dev');
/** As RDS / the CDK's DatabaseSecret store it. */
const rds = {
  engine: 'postgres',
  host: 'collections-dev.abc.eu-west-1.rds.amazonaws.com',
  port: 5432,
  username: 'collections',
  password: 'p@ss:w/rd%',
  dbname: 'collections',
  dbInstanceIdentifier: 'collections-dev',
};
let aws: AwsJsonServer;

beforeAll(async () => {
  aws = await startAwsJsonServer();
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', aws.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', aws.endpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_REGION', 'us-east-1');
});
afterAll(async () => {
  await aws?.close();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  aws.parameters.clear();
  aws.secrets.clear();
  aws.calls.length = 0;
});

describe('API keys from Parameter Store', () => {
  it('reads the known SecureString names under the prefix, decrypted, across pages', async () => {
    aws.parameters.set(`${PREFIX}ANTHROPIC_API_KEY`, { type: 'SecureString', value: 'sk-ant-secret' });
    aws.parameters.set(`${PREFIX}VOYAGE_API_KEY`, { type: 'SecureString', value: 'pa-voyage' });
    // Not a secret name: ignored, so a stray parameter cannot redirect the database.
    aws.parameters.set(`${PREFIX}DATABASE_URL`, { type: 'String', value: 'postgres://evil' });
    // Another environment's and a nested parameter: not under this prefix level.
    aws.parameters.set('/collections/prod/OPENAI_API_KEY', { type: 'SecureString', value: 'prod-key' });
    aws.parameters.set(`${PREFIX}nested/OPENAI_API_KEY`, { type: 'SecureString', value: 'nested' });
    for (let i = 0; i < 12; i++) aws.parameters.set(`${PREFIX}FILLER_${String(i).padStart(2, '0')}`, { type: 'String', value: 'x' });

    const secrets = new ParameterStoreSecrets({ prefix: PREFIX, names: SECRET_NAMES });
    expect(await secrets.read()).toEqual({ ANTHROPIC_API_KEY: 'sk-ant-secret', VOYAGE_API_KEY: 'pa-voyage' });
    const calls = aws.callsOf('AmazonSSM.GetParametersByPath');
    expect(calls.length).toBe(2); // 15 parameters, 10 per page
    expect(calls[0]?.body).toMatchObject({ Path: '/collections/dev', WithDecryption: true, Recursive: false });
    expect(calls[1]?.body.NextToken).toBeTruthy();

    // Cached: a warm read does not ask again.
    await secrets.read();
    expect(aws.callsOf('AmazonSSM.GetParametersByPath').length).toBe(2);
  });
});

describe('the database secret', () => {
  it('is read with a signed GetSecretValue in the region of its ARN', async () => {
    aws.secrets.set(SECRET_ARN, JSON.stringify(rds));
    expect(JSON.parse(await readSecretString(SECRET_ARN))).toEqual(rds);
    const [call] = aws.callsOf('secretsmanager.GetSecretValue');
    expect(call?.body).toEqual({ SecretId: SECRET_ARN });
    expect(call?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(call?.headers.authorization).toMatch(/Credential=test\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request/);
    await expect(readSecretString(`${SECRET_ARN}-gone`)).rejects.toThrow(/ResourceNotFoundException/);
  });

  it('becomes a postgres URL with TLS and full certificate checks, escaping the password', () => {
    const url = new URL(postgresUrlFromSecret(JSON.stringify(rds)));
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe(rds.host);
    expect(decodeURIComponent(url.password)).toBe(rds.password);
    expect(url.pathname).toBe('/collections');
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    expect(new URL(postgresUrlFromSecret(JSON.stringify({ ...rds, dbname: undefined, port: '6543' }))).pathname).toBe('/postgres');
    // With a CA bundle (Lambda's, holding the RDS CAs), pg trusts exactly those for this connection.
    const pinned = new URL(postgresUrlFromSecret(JSON.stringify(rds), { caBundlePath: '/var/runtime/ca-cert.pem' }));
    expect(pinned.searchParams.get('sslrootcert')).toBe('/var/runtime/ca-cert.pem');
    expect(pinned.searchParams.get('sslmode')).toBe('verify-full');
  });

  it('names what is wrong with a bad secret, never its content', () => {
    expect(() => postgresUrlFromSecret('not json p@ss')).toThrow(/not JSON/);
    const err = (() => {
      try {
        postgresUrlFromSecret(JSON.stringify({ ...rds, host: '', password: undefined }));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/host, password/);
    expect(err?.message).not.toContain('collections-dev.abc');
  });

  it('is refused by a server without TLS: the URL never falls back to plain text', async () => {
    const pglite = await PGlite.create();
    const server = new PGLiteSocketServer({ db: pglite, port: 0, host: '127.0.0.1' });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    const url = postgresUrlFromSecret(JSON.stringify({ ...rds, host: '127.0.0.1', port }));
    const client = new pg.Client({ connectionString: url });
    await expect(client.connect()).rejects.toThrow(/does not support SSL/);
    await client.end().catch(() => {});
    await server.stop();
    await pglite.close();
  });
});

describe('loadLambdaConfig', () => {
  it('merges the keys and the database URL into the configuration, not into process.env', async () => {
    aws.parameters.set(`${PREFIX}OPENAI_API_KEY`, { type: 'SecureString', value: 'sk-from-ssm' });
    aws.secrets.set(SECRET_ARN, JSON.stringify(rds));
    const env = {
      SSM_PARAMETER_PREFIX: PREFIX,
      DATABASE_SECRET_ARN: SECRET_ARN,
      OPENAI_API_KEY: 'stale-env-key',
      EMBEDDING_PROVIDER: 'local',
    };
    const config = await loadLambdaConfig(env);
    expect(config.vision).toMatchObject({ provider: 'openai', openaiApiKey: 'sk-from-ssm' });
    expect(config.database).toMatchObject({ kind: 'postgres' });
    expect(config.database.kind === 'postgres' && new URL(config.database.url).hostname).toBe(rds.host);
    expect(process.env.OPENAI_API_KEY).not.toBe('sk-from-ssm');
    expect(process.env.DATABASE_URL).toBeUndefined();

    // An explicit DATABASE_URL wins, and the secret is not read; the migrate function reads no keys.
    aws.calls.length = 0;
    const explicit = await loadLambdaConfig({ ...env, DATABASE_URL: 'postgres://u@127.0.0.1/db' }, { apiKeys: false });
    expect(explicit.database).toEqual({ kind: 'postgres', url: 'postgres://u@127.0.0.1/db' });
    expect(explicit.vision.openaiApiKey).toBe('stale-env-key');
    expect(aws.calls).toEqual([]);
  });

  it('takes provider choices and admins from the same prefix (a parameter change, not a redeploy)', async () => {
    const prefix = parameterPrefix('test'); // its own prefix: each prefix's reads are cached
    aws.parameters.set(`${prefix}VISION_PROVIDER`, { type: 'SecureString', value: 'bedrock' });
    aws.parameters.set(`${prefix}CHAT_PROVIDER`, { type: 'SecureString', value: 'bedrock' });
    aws.parameters.set(`${prefix}ADMIN_USER_IDS`, { type: 'SecureString', value: 'sub-admin-1' });
    aws.parameters.set(`${prefix}SOMETHING_ELSE`, { type: 'SecureString', value: 'ignored' });
    const config = await loadLambdaConfig({
      SSM_PARAMETER_PREFIX: prefix,
      AUTH_MODE: 'jwt',
      AWS_REGION: 'eu-west-1',
      COLLECTIONS_DATA_DIR: '/tmp/unused',
    });
    expect(config.vision).toMatchObject({ provider: 'bedrock', bedrockRegion: 'eu-west-1' });
    expect(config.chat.provider).toBe('bedrock');
    expect(config.auth.adminUserIds).toEqual(['sub-admin-1']);
  });
});
