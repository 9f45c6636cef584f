/**
 * cognito-local (npm) on a free loopback port, as a child process in a temporary directory
 * (it keeps its pools under `./.cognito` of its working directory). It speaks the Cognito
 * Identity Provider API, so users and tokens are made with the real SDK: AdminCreateUser,
 * AdminSetUserPassword, InitiateAuth. Its tokens are RS256 JWTs whose issuer is
 * `http://127.0.0.1:{port}/{poolId}`, with the JWKS at `{issuer}/.well-known/jwks.json`.
 *
 * The child exits when its stdin closes, so it cannot outlive the test worker however that ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';

export interface CognitoUser {
  email: string;
  sub: string;
  idToken: string;
  accessToken: string;
}

export interface CognitoLocal {
  endpoint: string;
  poolId: string;
  clientId: string;
  /** Environment for the app: jwt mode against this pool. */
  env: Record<string, string>;
  createUser(email: string): Promise<CognitoUser>;
  /** Another pool on the same server (its tokens must not be accepted). */
  otherPool(): Promise<{ poolId: string; clientId: string; createUser(email: string): Promise<CognitoUser> }>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startCognitoLocal(): Promise<CognitoLocal> {
  const dir = await mkdtemp(path.join(tmpdir(), 'collections-cognito-'));
  const port = await freePort();
  const script = createRequire(import.meta.url).resolve('cognito-local/lib/bin/start.js');
  const boot = `process.stdin.on('end', () => process.exit(0)); process.stdin.resume(); require(${JSON.stringify(script)});`;
  const child: ChildProcess = spawn(process.execPath, ['-e', boot], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_NO_WARNINGS: '1', DEBUG: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (c: Buffer) => void (output = (output + c.toString()).slice(-4000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new CognitoIdentityProviderClient({
    region: 'local',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cognito-local exited while starting:\n${output}`);
    if (/Cognito Local running/.test(output)) break;
    if (Date.now() - started > 30_000) throw new Error(`cognito-local did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }

  async function makePool(name: string) {
    const pool = await client.send(new CreateUserPoolCommand({ PoolName: name }));
    const poolId = pool.UserPool!.Id!;
    const app = await client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['USER_PASSWORD_AUTH'] }),
    );
    const clientId = app.UserPoolClient!.ClientId!;
    const createUser = async (email: string): Promise<CognitoUser> => {
      const password = 'Correct-horse-1!';
      const made = await client.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, TemporaryPassword: 'Temp-pass-1!', MessageAction: 'SUPPRESS' }),
      );
      await client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: password, Permanent: true }));
      const auth = await client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      );
      const sub = made.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
      if (!sub || !auth.AuthenticationResult?.IdToken || !auth.AuthenticationResult.AccessToken) {
        throw new Error('cognito-local returned no sub or tokens');
      }
      return { email, sub, idToken: auth.AuthenticationResult.IdToken, accessToken: auth.AuthenticationResult.AccessToken };
    };
    return { poolId, clientId, createUser };
  }

  const main = await makePool('collections');
  return {
    endpoint,
    poolId: main.poolId,
    clientId: main.clientId,
    env: {
      AUTH_MODE: 'jwt',
      COGNITO_USER_POOL_ID: main.poolId,
      COGNITO_CLIENT_ID: main.clientId,
      COGNITO_ENDPOINT: endpoint,
    },
    createUser: main.createUser,
    otherPool: () => makePool('other'),
    async stop() {
      client.destroy();
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
