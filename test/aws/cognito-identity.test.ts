import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentity } from '../../src/adapters/identity/index.js';
import { loadConfig } from '../../src/shared/config.js';
import { AppError } from '../../src/domain/errors.js';
import type { IdentityProvider } from '../../src/ports/identity.js';
import { startCognitoLocal, type CognitoLocal, type CognitoUser } from './helpers/cognito-local.js';

/**
 * Tokens minted by cognito-local for real users, verified through the app's identity code path
 * (createIdentity from the configuration, as the API Lambda builds it). Production verifies with
 * aws-jwt-verify's CognitoJwtVerifier; against cognito-local (COGNITO_ENDPOINT) the signature is
 * checked by jose and the claims by aws-jwt-verify's own Cognito rules.
 */
let cognito: CognitoLocal;
let identity: IdentityProvider;
let alice: CognitoUser;
let bob: CognitoUser;

beforeAll(async () => {
  cognito = await startCognitoLocal();
  identity = createIdentity(loadConfig(cognito.env).auth);
  alice = await cognito.createUser('alice@example.com');
  bob = await cognito.createUser('bob@example.com');
});
afterAll(async () => cognito?.stop());

async function refusal(authorization: string) {
  const err = await identity.authenticate(authorization).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('Cognito tokens (cognito-local) through the app identity', () => {
  it('takes the caller from the sub of an id token and of an access token', async () => {
    expect(alice.sub).not.toBe(bob.sub);
    expect(await identity.authenticate(`Bearer ${alice.idToken}`)).toEqual({ userId: alice.sub });
    expect(await identity.authenticate(`Bearer ${alice.accessToken}`)).toEqual({ userId: alice.sub });
    expect(await identity.authenticate(`Bearer ${bob.accessToken}`)).toEqual({ userId: bob.sub });
  });

  it('refuses tokens of another pool, of another app client, and tampered ones', async () => {
    const other = await cognito.otherPool();
    const mallory = await other.createUser('mallory@example.com');
    expect((await refusal(`Bearer ${mallory.idToken}`)).status).toBe(401);

    const strictClient = createIdentity(loadConfig({ ...cognito.env, COGNITO_CLIENT_ID: 'some-other-client' }).auth);
    // Access tokens name their client in client_id, id tokens in aud: both are checked.
    for (const token of [alice.accessToken, alice.idToken]) {
      const wrongClient = await strictClient.authenticate(`Bearer ${token}`).catch((e: AppError) => e);
      expect(wrongClient).toMatchObject({ status: 401, message: expect.stringMatching(/different application/) });
    }

    const [header, payload, signature] = alice.idToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: bob.sub })).toString('base64url');
    const err = await refusal(`Bearer ${header}.${forged}.${signature}`);
    expect(err.status).toBe(401);
    expect(err.message).not.toContain(bob.sub);
  });
});
