import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runOps } from '../../scripts/ops/main.js';
import { outputsFromDescribeStacks, writeOutputsFile } from '../../scripts/ops/lib/outputs.js';
import { startCognitoLocal, type CognitoLocal } from '../aws/helpers/cognito-local.js';
import { runtime, tempRoot, withFakeAwsCredentials } from './helpers/workspace.js';

/** users-create and test-infra's Cognito check against cognito-local (the Cognito API on loopback). */
let cognito: CognitoLocal;
let ws: Awaited<ReturnType<typeof tempRoot>>;
let restore: () => void;

beforeAll(async () => {
  cognito = await startCognitoLocal();
});
afterAll(async () => {
  await cognito?.stop();
});
beforeEach(async () => {
  ws = await tempRoot();
  restore = withFakeAwsCredentials(ws.root, { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint });
  await writeOutputsFile(
    ws.root,
    outputsFromDescribeStacks('dev', [
      {
        Stacks: [
          {
            StackName: 'Collections-dev',
            Outputs: [
              { OutputKey: 'UserPoolId', OutputValue: cognito.poolId },
              { OutputKey: 'UserPoolClientId', OutputValue: cognito.clientId },
            ],
          },
        ],
      },
    ]),
  );
});
afterEach(async () => {
  restore();
  await ws.cleanup();
});

async function usernames(): Promise<string[]> {
  const client = new CognitoIdentityProviderClient({
    region: 'local',
    endpoint: cognito.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { Users } = await client.send(new ListUsersCommand({ UserPoolId: cognito.poolId }));
    return (Users ?? []).map((u) => u.Attributes?.find((a) => a.Name === 'email')?.Value ?? u.Username ?? '');
  } finally {
    client.destroy();
  }
}

describe('ops users-create', () => {
  it('creates the user with a verified email, prints the sub and a one-time password, and refuses a second time', async () => {
    let rt = runtime(ws.root);
    expect(await runOps(['users-create', '--email', 'ana@example.com', '--print-password', '--region', 'us-east-1'], rt), rt.err.text).toBe(
      0,
    );
    expect(rt.out.text).toMatch(/^sub: [0-9a-f-]{36}\ntemporary password \(shown once, changed at first sign-in\): \S{20}\n$/);
    expect(rt.err.text).toContain(`Created ana@example.com in ${cognito.poolId} (dev).`);
    expect(await usernames()).toContain('ana@example.com');

    rt = runtime(ws.root);
    expect(await runOps(['users-create', '--email', 'ana@example.com', '--region', 'us-east-1'], rt)).toBe(1);
    expect(rt.err.text).toMatch(/ana@example\.com already exists .* nothing changed/);
    expect(rt.out.text).not.toMatch(/password/);
  });

  it('refuses something that is not an email address', async () => {
    const rt = runtime(ws.root);
    expect(await runOps(['users-create', '--email', 'ana', '--region', 'us-east-1'], rt)).toBe(1);
    expect(rt.err.text).toContain('"ana" is not an email address');
  });
});

describe('ops test-infra: cognito', () => {
  it('signs a throw-away user in with the client’s password flow, checks the token’s claims, and deletes the user', async () => {
    const rt = runtime(ws.root);
    // cognito-local issues tokens as http://127.0.0.1:PORT/POOL, not https://cognito-idp.REGION.amazonaws.com/POOL:
    // the flow works, and the issuer check says exactly what differs.
    expect(await runOps(['test-infra', '--only', 'cognito', '--region', 'us-east-1'], rt)).toBe(1);
    const [name] = await readdir(path.join(ws.root, 'reports'));
    const report = await readFile(path.join(ws.root, 'reports', name!), 'utf8');
    expect(report).toMatch(
      /\| Cognito user pool and a JWT for a test user \| FAIL \| .*test user signed in with USER_PASSWORD_AUTH; unexpected claims: iss http:\/\/127\.0\.0\.1:\d+\//,
    );
    expect(report).not.toMatch(/aud |token_use /);
    expect((await usernames()).filter((u) => u.startsWith('collections-infra-test+'))).toEqual([]);
  });
});
