import { describe, expect, it } from 'vitest';
import { createIdentity, JwtIdentity, LocalIdentity } from '../../src/adapters/identity/index.js';
import { loadConfig } from '../../src/shared/config.js';

describe('LocalIdentity', () => {
  it('is the local user for every request, whatever the Authorization header says', async () => {
    const identity = new LocalIdentity('local');
    expect(identity.mode).toBe('local');
    for (const header of [undefined, '', 'Bearer whatever', 'Basic YTpi']) {
      expect(await identity.authenticate(header)).toEqual({ userId: 'local' });
    }
  });

  it('refuses an unsafe LOCAL_USER_ID at startup', () => {
    expect(() => new LocalIdentity('../etc')).toThrow(/LOCAL_USER_ID/);
    expect(() => new LocalIdentity('')).toThrow(/LOCAL_USER_ID/);
  });
});

describe('createIdentity', () => {
  it('defaults to local mode with LOCAL_USER_ID', async () => {
    const identity = createIdentity(loadConfig({ LOCAL_USER_ID: 'me' }).auth);
    expect(identity).toBeInstanceOf(LocalIdentity);
    expect(await identity.authenticate(undefined)).toEqual({ userId: 'me' });
  });

  it('builds a JWT verifier from JWT_ISSUER or COGNITO_USER_POOL_ID', () => {
    expect(createIdentity(loadConfig({ AUTH_MODE: 'jwt', JWT_ISSUER: 'https://id.example/' }).auth)).toBeInstanceOf(JwtIdentity);
    const cognito = createIdentity(loadConfig({ AUTH_MODE: 'jwt', COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123' }).auth);
    expect(cognito.mode).toBe('jwt');
  });

  it('fails at startup in jwt mode with nothing to verify tokens against', () => {
    expect(() => createIdentity(loadConfig({ AUTH_MODE: 'jwt' }).auth)).toThrow(/AUTH_MODE=jwt needs JWT_ISSUER/);
    expect(() => createIdentity(loadConfig({ AUTH_MODE: 'jwt', JWT_JWKS_URL: 'https://id.example/jwks' }).auth)).toThrow(
      /JWT_JWKS_URL is set but JWT_ISSUER is not/,
    );
  });
});
