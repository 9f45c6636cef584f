import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rdsIamPassword, rdsIamPoolConfig } from '../../src/adapters/database/rds-iam.js';
import { loadLambdaConfig } from '../../src/lambda/runtime/environment.js';

/**
 * IAM database authentication: the pg password is a function that signs a fresh RDS auth token
 * (SigV4 presigning, local: no network). The token is the presigned URL without its scheme.
 */

const target = {
  host: 'collections-dev.abc123.eu-west-1.rds.amazonaws.com',
  port: 5432,
  database: 'collections',
  user: 'collections_app',
  region: 'eu-west-1',
};
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

describe('rdsIamPassword', () => {
  it('signs a connect token for the host, port, user and region', async () => {
    const token = await rdsIamPassword(target, { credentials })();
    const url = new URL(`https://${token}`);
    expect(url.host).toBe(`${target.host}:5432`);
    expect(url.searchParams.get('Action')).toBe('connect');
    expect(url.searchParams.get('DBUser')).toBe('collections_app');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-west-1\/rds-db\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toContain(credentials.secretAccessKey);
  });

  it('signs again for every connection (a token lives 15 minutes; pools reconnect later)', async () => {
    let calls = 0;
    const password = rdsIamPassword(target, {
      credentials: async () => {
        calls += 1;
        return credentials;
      },
    });
    const [a, b] = [await password(), await password()];
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(new URL(`https://${a}`).searchParams.get('DBUser')).toBe(new URL(`https://${b}`).searchParams.get('DBUser'));
    // A different user signs a different token.
    const other = await rdsIamPassword({ ...target, user: 'someone_else' }, { credentials })();
    expect(other).not.toBe(a);
  });
});

describe('rdsIamPoolConfig', () => {
  it('connects as the user with a password function and verify-full TLS against the CA bundle', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rds-ca-'));
    const ca = path.join(dir, 'ca.pem');
    await writeFile(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const config = rdsIamPoolConfig(target, { caBundlePath: ca, credentials });
    expect(config).toMatchObject({ host: target.host, port: 5432, database: 'collections', user: 'collections_app' });
    expect(typeof config.password).toBe('function');
    expect(config.ssl).toEqual({ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
    await rm(dir, { recursive: true, force: true });
  });
});

describe('loadLambdaConfig: which database credentials', () => {
  const iamEnv = {
    DATABASE_HOST: target.host,
    DATABASE_PORT: '5432',
    DATABASE_NAME: 'collections',
    DATABASE_USER: 'collections_app',
    AWS_REGION: 'eu-west-1',
  };

  it('uses IAM auth with DATABASE_HOST and DATABASE_USER (no secret read, no password in the URL)', async () => {
    const config = await loadLambdaConfig(iamEnv, { apiKeys: false });
    expect(config.databaseIam).toMatchObject({
      host: target.host,
      port: 5432,
      database: 'collections',
      user: 'collections_app',
      region: 'eu-west-1',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: `postgres://collections_app@${target.host}:5432/collections?sslmode=verify-full`,
    });
  });

  it('prefers DATABASE_URL (local runs and tests): IAM auth is not used', async () => {
    const config = await loadLambdaConfig({ ...iamEnv, DATABASE_URL: 'postgres://u:p@127.0.0.1:5/db' }, { apiKeys: false });
    expect(config.databaseIam).toBeUndefined();
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@127.0.0.1:5/db' });
  });
});
