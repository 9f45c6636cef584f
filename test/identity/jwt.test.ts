import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtIdentity } from '../../src/adapters/identity/jwt.js';
import { AppError } from '../../src/domain/errors.js';
import { startJwtIssuer, type JwtIssuer } from '../helpers/jwt-issuer.js';

let issuer: JwtIssuer;
let otherIssuer: JwtIssuer;
let identity: JwtIdentity;
const AUDIENCE = 'collections';
const now = () => Math.floor(Date.now() / 1000);

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function expect401(authorization: string | undefined, messagePart?: RegExp) {
  const err = await refusal(identity.authenticate(authorization));
  expect([err.status, err.code]).toEqual([401, 'unauthorized']);
  if (messagePart) expect(err.message).toMatch(messagePart);
  // The token never appears in what a client or a log sees.
  const token = authorization?.split(' ')[1];
  if (token && token.length > 8) expect(err.message).not.toContain(token.slice(0, 12));
  return err;
}

beforeAll(async () => {
  issuer = await startJwtIssuer();
  otherIssuer = await startJwtIssuer();
  identity = new JwtIdentity({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl, audience: AUDIENCE });
});
afterAll(async () => {
  await issuer?.close();
  await otherIssuer?.close();
});

describe('JwtIdentity (jose, JWKS over HTTP)', () => {
  it('returns the sub of a valid token', async () => {
    const token = await issuer.sign({ sub: 'alice', aud: AUDIENCE });
    expect(await identity.authenticate(`Bearer ${token}`)).toEqual({ userId: 'alice' });
    // Scheme is case-insensitive (RFC 7235); a Cognito-style UUID sub is fine.
    const uuid = '3f1e6c1a-7b1d-4c55-9a4e-0c6f3d2b9e10';
    expect(await identity.authenticate(`bearer ${await issuer.sign({ sub: uuid, aud: AUDIENCE })}`)).toEqual({ userId: uuid });
  });

  it('fetches the key set once and caches it', async () => {
    const before = issuer.jwksRequests();
    for (const sub of ['a', 'b', 'c']) await identity.authenticate(`Bearer ${await issuer.sign({ sub, aud: AUDIENCE })}`);
    expect(issuer.jwksRequests() - before).toBeLessThanOrEqual(1);
  });

  it('refuses a missing, empty or non-Bearer Authorization header', async () => {
    await expect401(undefined, /Bearer <token>/);
    await expect401('', /Bearer <token>/);
    await expect401('Basic YWxpY2U6c2VjcmV0', /must be "Bearer <token>"/);
    await expect401('Bearer', /must be "Bearer <token>"/);
    await expect401(`Token ${await issuer.sign({ sub: 'alice', aud: AUDIENCE })}`);
  });

  it('refuses garbage', async () => {
    await expect401('Bearer nonsense', /not a JWT/);
    await expect401('Bearer a.b.c', /malformed/);
    await expect401('Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.', /malformed|unsupported/); // alg "none"
    const token = await issuer.sign({ sub: 'alice', aud: AUDIENCE });
    await expect401(`Bearer ${token.slice(0, -4)}AAAA`, /not signed by the trusted/);
    await expect401(`Bearer ${token} extra`);
  });

  it('refuses an expired token', async () => {
    const token = await issuer.sign({ sub: 'alice', aud: AUDIENCE, exp: now() - 60 });
    await expect401(`Bearer ${token}`, /expired/);
  });

  it('refuses a token not valid yet', async () => {
    const token = await issuer.sign({ sub: 'alice', aud: AUDIENCE, nbf: now() + 3600 });
    await expect401(`Bearer ${token}`, /not valid yet/);
  });

  it('refuses a token from another issuer, even one signed with the trusted key', async () => {
    await expect401(`Bearer ${await issuer.sign({ sub: 'alice', aud: AUDIENCE }, { issuer: 'https://evil.example' })}`, /does not trust/);
    // Another issuer's token: its iss and its key are both wrong.
    await expect401(
      `Bearer ${await otherIssuer.sign({ sub: 'alice', aud: AUDIENCE }, { issuer: issuer.issuer })}`,
      /not signed by the trusted/,
    );
  });

  it('refuses a token for another audience, or with none', async () => {
    await expect401(`Bearer ${await issuer.sign({ sub: 'alice', aud: 'another-app' })}`, /audience/);
    await expect401(`Bearer ${await issuer.sign({ sub: 'alice' })}`, /audience/);
  });

  it('refuses a token signed by a key the issuer does not publish (same kid)', async () => {
    await expect401(`Bearer ${await issuer.sign({ sub: 'alice', aud: AUDIENCE }, { untrustedKey: true })}`, /not signed by the trusted/);
  });

  it('refuses a token without sub', async () => {
    await expect401(`Bearer ${await issuer.sign({ aud: AUDIENCE })}`, /no "sub"/);
    await expect401(`Bearer ${await issuer.sign({ sub: '', aud: AUDIENCE })}`, /no "sub"/);
  });

  it.each([
    ['a slash', 'alice/../bob'],
    ['a lone slash', 'alice/bob'],
    ['a backslash', 'alice\\bob'],
    ['dot-dot', '..'],
    ['a dot', '.'],
    ['a control character', 'alice\nbob'],
    ['a NUL', 'alice\u0000'],
    ['129 characters', 'a'.repeat(129)],
  ])('refuses a sub with %s: it would not be a safe object-key prefix', async (_name, sub) => {
    await expect401(`Bearer ${await issuer.sign({ sub, aud: AUDIENCE })}`, /user id \("sub"\) cannot be used/);
  });

  it('accepts a 128-character sub and IdP-style ids', async () => {
    for (const sub of ['a'.repeat(128), 'auth0|5f7c8ec7c33c6c004bbafe82', 'google-oauth2|1234', 'user@example.com']) {
      expect(await identity.authenticate(`Bearer ${await issuer.sign({ sub, aud: AUDIENCE })}`)).toEqual({ userId: sub });
    }
  });

  it('without an audience configured, does not check aud', async () => {
    const any = new JwtIdentity({ issuer: issuer.issuer });
    expect(await any.authenticate(`Bearer ${await issuer.sign({ sub: 'alice' })}`)).toEqual({ userId: 'alice' });
    expect(await any.authenticate(`Bearer ${await issuer.sign({ sub: 'bob', aud: 'x' })}`)).toEqual({ userId: 'bob' });
  });

  it('answers 503, not 401, when the signing keys cannot be fetched', async () => {
    const down = createServer((_req, res) => res.writeHead(500).end());
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}/jwks.json`;
    try {
      const broken = new JwtIdentity({ issuer: issuer.issuer, jwksUrl: url });
      const err = await refusal(broken.authenticate(`Bearer ${await issuer.sign({ sub: 'alice' })}`));
      expect([err.status, err.code]).toEqual([503, 'auth_unavailable']);
    } finally {
      down.closeAllConnections();
      await new Promise((r) => down.close(r));
    }
    const unreachable = new JwtIdentity({ issuer: issuer.issuer, jwksUrl: 'http://127.0.0.1:1/jwks.json' });
    const err = await refusal(unreachable.authenticate(`Bearer ${await issuer.sign({ sub: 'alice' })}`));
    expect(err.status).toBe(503);
  });
});

describe('JwtIdentity (Cognito, aws-jwt-verify)', () => {
  const POOL = 'us-east-1_TestPool1';
  const COGNITO_ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
  const cognito = () => new JwtIdentity({ cognitoUserPoolId: POOL, cognitoClientId: 'client-1', cognitoJwks: issuer.jwks });

  it('accepts Cognito access and id tokens for the app client', async () => {
    const access = await issuer.sign({ sub: 'c-user', token_use: 'access', client_id: 'client-1' }, { issuer: COGNITO_ISS });
    expect(await cognito().authenticate(`Bearer ${access}`)).toEqual({ userId: 'c-user' });
    const id = await issuer.sign({ sub: 'c-user', token_use: 'id', aud: 'client-1' }, { issuer: COGNITO_ISS });
    expect(await cognito().authenticate(`Bearer ${id}`)).toEqual({ userId: 'c-user' });
  });

  it('refuses another client, another pool, an expired token and a forged signature', async () => {
    const v = cognito();
    const sign = (claims: Record<string, unknown>, iss = COGNITO_ISS, untrustedKey = false) =>
      issuer.sign({ sub: 'c-user', token_use: 'access', client_id: 'client-1', ...claims }, { issuer: iss, untrustedKey });
    for (const [token, message] of [
      [await sign({ client_id: 'client-2' }), /audience/],
      [await sign({}, 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other'), /does not trust/],
      [await sign({ exp: now() - 60 }), /expired/],
      [await sign({}, COGNITO_ISS, true), /not signed by the trusted/],
      [await sign({ sub: 'a/b' }), /cannot be used/],
    ] as const) {
      const err = await refusal(v.authenticate(`Bearer ${token}`));
      expect([err.status, err.code]).toEqual([401, 'unauthorized']);
      expect(err.message).toMatch(message);
    }
  });

  it('rejects a malformed pool id when constructed', () => {
    expect(() => new JwtIdentity({ cognitoUserPoolId: 'not a pool' })).toThrow();
  });
});
