import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentity } from '../../src/adapters/identity/index.js';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { loadConfig } from '../../src/shared/config.js';
import type { IdentityProvider } from '../../src/ports/identity.js';
import { AuthError, CognitoAuth, decodeJwtPayload, REFRESH_MARGIN_MS, toAuthError } from '../../web/src/auth/cognito.js';
import { MemoryStorage, recordingFetch } from './fakes.js';
import { startCognitoLocal, type CognitoLocal, type CognitoUser } from '../aws/helpers/cognito-local.js';
import { openTestDatabase } from '../helpers/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';

/**
 * The web app's Cognito client (web/src/auth/cognito.ts) against cognito-local, which speaks the
 * same JSON protocol as Cognito: real sign-ins, real tokens, and those tokens checked by the
 * app's own JWT code path (createIdentity, as the API builds it) and by the real API (jwt mode).
 *
 * What cognito-local (5.3.0) does differently from AWS, and so what is tested here with a stub:
 * - It enforces no password policy anywhere (RespondToAuthChallenge stores any NEW_PASSWORD),
 *   so `password_policy` is tested with AWS's own error reply put in front of it.
 * - A wrong password is InvalidPasswordException (AWS: NotAuthorizedException "Incorrect
 *   username or password."); both map to wrong_credentials.
 * - An unknown user is NotAuthorizedException (like AWS with preventUserExistenceErrors).
 * - FORCE_CHANGE_PASSWORD users get NEW_PASSWORD_REQUIRED without their temporary password
 *   being checked, and the challenge Session is not checked either.
 * - The refresh token issued by RespondToAuthChallenge is not stored, so it cannot be used for
 *   REFRESH_TOKEN_AUTH (AWS allows it); refresh is tested after a password sign-in.
 * - GlobalSignOut is not implemented (500 CognitoLocal#Unsupported); RevokeToken is, and
 *   REFRESH_TOKEN_AUTH with a revoked token is refused as on AWS.
 * - No rate limiting (TooManyRequestsException / "Password attempts exceeded" never happen).
 */

const PASSWORD = 'Correct-horse-1!'; // what startCognitoLocal's createUser sets

let cognito: CognitoLocal;
let sdk: CognitoIdentityProviderClient;
let identity: IdentityProvider;
let db: PGliteDatabase;
let api: Harness;
let ana: CognitoUser;

beforeAll(async () => {
  [cognito, db] = await Promise.all([startCognitoLocal(), openTestDatabase()]);
  sdk = new CognitoIdentityProviderClient({
    region: 'local',
    endpoint: cognito.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  identity = createIdentity(loadConfig(cognito.env).auth);
  api = await createHarness(db, cognito.env);
  ana = await cognito.createUser('ana@example.com');
});
afterAll(async () => {
  await api?.close();
  sdk?.destroy();
  await cognito?.stop();
  await db?.close();
});

const config = () => ({ region: 'local', userPoolId: cognito.poolId, clientId: cognito.clientId, endpoint: cognito.endpoint });
const storedSession = (storage: MemoryStorage) => JSON.parse([...storage.map.values()][0]!) as Record<string, any>;

describe('signIn', () => {
  it('signs in with email and password; the id token is accepted by the app identity and by the API', async () => {
    const storage = new MemoryStorage();
    const auth = new CognitoAuth(config(), storage);
    const changes: number[] = [];
    auth.onChange(() => changes.push(1));

    expect(await auth.getToken()).toBeNull();
    expect(auth.currentUser()).toBeNull();
    expect(await auth.signIn('  ana@example.com ', PASSWORD)).toEqual({ kind: 'signed-in' });
    expect(changes).toHaveLength(1);

    const token = (await auth.getToken())!;
    const claims = decodeJwtPayload(token)!;
    // The id token: aud is the app client, which the HTTP API's JWT authorizer requires as audience.
    expect(claims).toMatchObject({ token_use: 'id', aud: cognito.clientId, sub: ana.sub, email: 'ana@example.com' });
    expect(auth.currentUser()).toEqual({ email: 'ana@example.com', sub: ana.sub });

    expect(await identity.authenticate(`Bearer ${token}`)).toEqual({ userId: ana.sub });
    const items = await api.call('GET', '/items', { headers: { authorization: `Bearer ${token}` } });
    expect(items.status).toBe(200);
    expect(items.body.total).toBe(0);
    expect((await api.call('GET', '/items')).status).toBe(401);

    // The session survives a reload: a new instance over the same storage.
    const reloaded = new CognitoAuth(config(), storage);
    expect(await reloaded.getToken()).toBe(token);
    expect(storedSession(storage)).toMatchObject({ refreshToken: expect.any(String), accessToken: expect.any(String) });
  });

  it('a wrong password or an unknown email is wrong_credentials, and nothing is stored', async () => {
    const storage = new MemoryStorage();
    const auth = new CognitoAuth(config(), storage);
    for (const [email, password] of [
      ['ana@example.com', 'Wrong-horse-1!'],
      ['nobody@example.com', PASSWORD],
    ] as const) {
      const err = await auth.signIn(email, password).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthError);
      expect(err).toMatchObject({ code: 'wrong_credentials', message: 'Incorrect email address or password.' });
    }
    expect(await auth.signIn('', '').catch((e: AuthError) => e.code)).toBe('wrong_credentials');
    expect(storage.map.size).toBe(0);
    expect(await auth.getToken()).toBeNull();
  });

  it('an unreachable server is a network error', async () => {
    const auth = new CognitoAuth({ ...config(), endpoint: 'http://127.0.0.1:9' }, new MemoryStorage());
    expect(await auth.signIn('ana@example.com', PASSWORD).catch((e: AuthError) => e.code)).toBe('network');
  });
});

describe('new password challenge', () => {
  it('an admin-created user gets new-password-required, sets a new password and is signed in', async () => {
    const made = await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: cognito.poolId,
        Username: 'ben@example.com',
        TemporaryPassword: 'Temp-pass-123!',
        MessageAction: 'SUPPRESS',
      }),
    );
    const sub = made.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!;
    const storage = new MemoryStorage();
    const auth = new CognitoAuth(config(), storage);

    const result = await auth.signIn('ben@example.com', 'Temp-pass-123!');
    expect(result.kind).toBe('new-password-required');
    if (result.kind !== 'new-password-required') return;
    expect(result.challenge).toMatchObject({ email: 'ben@example.com', session: expect.any(String) });
    expect(await auth.getToken()).toBeNull(); // not signed in until the challenge is answered

    await auth.completeNewPassword(result.challenge, 'Brand-new-pass-9!');
    const token = (await auth.getToken())!;
    expect(auth.currentUser()).toEqual({ email: 'ben@example.com', sub });
    expect(await identity.authenticate(`Bearer ${token}`)).toEqual({ userId: sub });
    expect((await api.call('GET', '/items', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    // The new password is the password now.
    const again = new CognitoAuth(config(), new MemoryStorage());
    expect(await again.signIn('ben@example.com', 'Brand-new-pass-9!')).toEqual({ kind: 'signed-in' });
  });

  it('a new password that breaks the policy is password_policy (AWS reply; cognito-local checks no policy)', async () => {
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: cognito.poolId,
        Username: 'cleo@example.com',
        TemporaryPassword: 'Temp-pass-123!',
        MessageAction: 'SUPPRESS',
      }),
    );
    // What AWS answers for a password shorter than the pool's minimum.
    const awsPolicyReply = () =>
      new Response(
        JSON.stringify({ __type: 'InvalidPasswordException', message: 'Password does not conform to policy: Password not long enough' }),
        {
          status: 400,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
        },
      );
    const { impl } = recordingFetch((target, body) =>
      target === 'RespondToAuthChallenge' && String(body.ChallengeResponses?.NEW_PASSWORD).length < 12 ? awsPolicyReply() : undefined,
    );
    const storage = new MemoryStorage();
    const auth = new CognitoAuth(config(), storage, impl);
    const result = await auth.signIn('cleo@example.com', 'Temp-pass-123!');
    if (result.kind !== 'new-password-required') throw new Error('expected the new password challenge');

    const err = await auth.completeNewPassword(result.challenge, 'short').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({
      code: 'password_policy',
      type: 'InvalidPasswordException',
      message: 'This password is not allowed: password not long enough. Choose another one.',
    });
    expect(storage.map.size).toBe(0);

    // The same challenge can be answered again with a good password.
    await auth.completeNewPassword(result.challenge, 'A-much-longer-pass-1!');
    expect(await auth.getToken()).toEqual(expect.any(String));

    // cognito-local itself accepts any new password (no policy): documented, not relied on.
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: cognito.poolId,
        Username: 'dan@example.com',
        TemporaryPassword: 'Temp-pass-123!',
        MessageAction: 'SUPPRESS',
      }),
    );
    const plain = new CognitoAuth(config(), new MemoryStorage());
    const challenge = await plain.signIn('dan@example.com', 'Temp-pass-123!');
    if (challenge.kind !== 'new-password-required') throw new Error('expected the new password challenge');
    await expect(plain.completeNewPassword(challenge.challenge, 'x')).resolves.toBeUndefined();
  });
});

describe('getToken and refresh', () => {
  it('refreshes with REFRESH_TOKEN_AUTH when the id token expires within a minute; the new token works', async () => {
    const storage = new MemoryStorage();
    const { impl, targets } = recordingFetch();
    const auth = new CognitoAuth(config(), storage, impl);
    await auth.signIn('ana@example.com', PASSWORD);
    const first = (await auth.getToken())!;
    expect(await auth.getToken()).toBe(first);
    expect(targets).toEqual(['InitiateAuth:USER_PASSWORD_AUTH']);

    // Tamper the stored expiry: 30 s left.
    const session = storedSession(storage);
    const refreshToken = session.refreshToken;
    const key = [...storage.map.keys()][0]!;
    storage.setItem(key, JSON.stringify({ ...session, expiresAt: Date.now() + 30_000 }));

    const second = (await auth.getToken())!;
    expect(targets).toEqual(['InitiateAuth:USER_PASSWORD_AUTH', 'InitiateAuth:REFRESH_TOKEN_AUTH']);
    expect(second).not.toBe(first);
    expect(decodeJwtPayload(second)).toMatchObject({ token_use: 'id', sub: ana.sub, aud: cognito.clientId });
    expect(await identity.authenticate(`Bearer ${second}`)).toEqual({ userId: ana.sub });
    expect((await api.call('GET', '/items', { headers: { authorization: `Bearer ${second}` } })).status).toBe(200);
    // Cognito sends no new refresh token (no rotation): the old one is kept.
    expect(storedSession(storage)).toMatchObject({ refreshToken, idToken: second });
    expect(storedSession(storage).expiresAt).toBeGreaterThan(Date.now() + REFRESH_MARGIN_MS);
    expect(await auth.getToken()).toBe(second);
    expect(targets).toHaveLength(2);
  });

  it('with an injected clock: refreshes only inside the last minute of the token', async () => {
    let now = Date.now();
    const { impl, targets } = recordingFetch();
    const auth = new CognitoAuth(config(), new MemoryStorage(), impl, () => now);
    await auth.signIn('ana@example.com', PASSWORD);
    const first = (await auth.getToken())!;
    const claims = decodeJwtPayload(first)! as { exp: number; iat: number };
    const lifetime = (claims.exp - claims.iat) * 1000;

    now += lifetime - REFRESH_MARGIN_MS - 1_000; // 61 s left
    expect(await auth.getToken()).toBe(first);
    now += 2_000; // 59 s left
    const second = await auth.getToken();
    expect(second).not.toBe(first);
    expect(targets.filter((t) => t.endsWith('REFRESH_TOKEN_AUTH'))).toHaveLength(1);
  });

  it('concurrent getToken calls share one refresh request', async () => {
    let now = Date.now();
    const { impl, targets } = recordingFetch();
    const auth = new CognitoAuth(config(), new MemoryStorage(), impl, () => now);
    await auth.signIn('ana@example.com', PASSWORD);
    now += 48 * 3600_000; // long past expiry

    const tokens = await Promise.all(Array.from({ length: 5 }, () => auth.getToken()));
    expect(targets.filter((t) => t.endsWith('REFRESH_TOKEN_AUTH'))).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toEqual(expect.any(String));
    expect(await identity.authenticate(`Bearer ${tokens[0]}`)).toEqual({ userId: ana.sub });
  });

  it('a refused refresh (revoked refresh token) ends the session: null and a change', async () => {
    let now = Date.now();
    const storage = new MemoryStorage();
    const auth = new CognitoAuth(config(), storage, undefined, () => now);
    await auth.signIn('ana@example.com', PASSWORD);
    await sdk.send(new RevokeTokenCommand({ ClientId: cognito.clientId, Token: storedSession(storage).refreshToken }));
    let changes = 0;
    auth.onChange(() => changes++);
    now += 48 * 3600_000;
    expect(await auth.getToken()).toBeNull();
    expect(changes).toBe(1);
    expect(storage.map.size).toBe(0);
    expect(auth.currentUser()).toBeNull();
  });

  it('when Cognito cannot be reached, a still-valid token is returned; an expired one is a network error', async () => {
    let now = Date.now();
    let offline = false;
    const { impl } = recordingFetch(() => {
      if (offline) throw new TypeError('fetch failed');
      return undefined;
    });
    const auth = new CognitoAuth(config(), new MemoryStorage(), impl, () => now);
    await auth.signIn('ana@example.com', PASSWORD);
    const first = (await auth.getToken())!;
    const claims = decodeJwtPayload(first)! as { exp: number; iat: number };
    offline = true;
    now += (claims.exp - claims.iat) * 1000 - 30_000; // 30 s left
    expect(await auth.getToken()).toBe(first);
    now += 60_000; // expired
    expect(await auth.getToken().catch((e: AuthError) => e.code)).toBe('network');
    offline = false;
    expect(await auth.getToken()).not.toBe(first); // and it recovers
  });
});

describe('signOut', () => {
  it('clears the session, tells the listeners, and revokes the refresh token', async () => {
    const storage = new MemoryStorage();
    const { impl, targets } = recordingFetch();
    const auth = new CognitoAuth(config(), storage, impl);
    await auth.signIn('ana@example.com', PASSWORD);
    const refreshToken = storedSession(storage).refreshToken as string;
    let changes = 0;
    const unsubscribe = auth.onChange(() => changes++);

    await auth.signOut();
    expect(changes).toBe(1);
    expect(await auth.getToken()).toBeNull();
    expect(auth.currentUser()).toBeNull();
    expect(storage.map.size).toBe(0);
    expect(targets).toContain('RevokeToken');
    // The revoked refresh token no longer works.
    const refused = await sdk
      .send(
        new InitiateAuthCommand({
          ClientId: cognito.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      )
      .catch((e: { name: string }) => e.name);
    expect(refused).toBe('NotAuthorizedException');

    unsubscribe();
    await auth.signIn('ana@example.com', PASSWORD);
    expect(changes).toBe(1);
  });

  it('never throws when revoking fails', async () => {
    const { impl } = recordingFetch((target) => {
      if (target === 'RevokeToken') throw new TypeError('fetch failed');
      return undefined;
    });
    const auth = new CognitoAuth(config(), new MemoryStorage(), impl);
    await auth.signIn('ana@example.com', PASSWORD);
    await expect(auth.signOut()).resolves.toBeUndefined();
    expect(await auth.getToken()).toBeNull();
    await expect(new CognitoAuth(config(), new MemoryStorage()).signOut()).resolves.toBeUndefined(); // signed out already
  });
});

describe('error mapping', () => {
  it('maps Cognito error types to codes with messages for people', () => {
    const cases: [string, string, Parameters<typeof toAuthError>[2], string][] = [
      ['NotAuthorizedException', 'Incorrect username or password.', 'sign-in', 'wrong_credentials'],
      ['NotAuthorizedException', 'Password attempts exceeded', 'sign-in', 'too_many_attempts'],
      ['NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.', 'sign-in', 'unknown'],
      ['UserNotFoundException', 'User does not exist.', 'sign-in', 'user_not_found'],
      ['InvalidPasswordException', 'Invalid password', 'sign-in', 'wrong_credentials'],
      [
        'InvalidPasswordException',
        'Password does not conform to policy: Password must have symbol characters',
        'new-password',
        'password_policy',
      ],
      ['TooManyRequestsException', 'Rate exceeded', 'sign-in', 'too_many_attempts'],
      ['LimitExceededException', 'Attempt limit exceeded, please try after some time.', 'new-password', 'too_many_attempts'],
      ['PasswordResetRequiredException', 'Password reset required for the user', 'sign-in', 'unknown'],
      ['InternalErrorException', '', 'sign-in', 'network'],
      ['CognitoLocal#Unsupported'.split('#').pop()!, 'Cognito Local unsupported feature', 'revoke', 'unknown'],
    ];
    for (const [type, message, step, code] of cases) {
      const err = toAuthError(type, message, step);
      expect(err.code, `${type} ${message}`).toBe(code);
      expect(err.message.length).toBeGreaterThan(10);
      expect(err.message).not.toMatch(/Exception/);
    }
    expect(toAuthError('PasswordResetRequiredException', '', 'sign-in').message).toMatch(/administrator/);
  });

  it('an MFA challenge (optional TOTP on the pool) is reported, not half-signed-in', async () => {
    const { impl } = recordingFetch((target) =>
      target === 'InitiateAuth'
        ? new Response(JSON.stringify({ ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeParameters: {}, Session: 's' }), { status: 200 })
        : undefined,
    );
    const storage = new MemoryStorage();
    const auth = new CognitoAuth(config(), storage, impl);
    const err = await auth.signIn('ana@example.com', PASSWORD).catch((e: AuthError) => e);
    expect(err).toMatchObject({ code: 'unknown', message: expect.stringMatching(/multi-factor/) });
    expect(storage.map.size).toBe(0);
  });
});
