import type { Config } from '../../shared/config.js';
import type { IdentityProvider } from '../../ports/identity.js';
import { JwtIdentity } from './jwt.js';
import { LocalIdentity } from './local.js';

export { JwtIdentity, type JwtIdentityOptions } from './jwt.js';
export { LocalIdentity } from './local.js';
export { isSafeUserId, MAX_USER_ID_LENGTH } from './user-id.js';

/**
 * The identity provider for AUTH_MODE. jwt mode without a way to verify tokens is a
 * configuration error, reported at startup rather than as a 401 on every request.
 */
export function createIdentity(auth: Config['auth']): IdentityProvider {
  if (auth.mode === 'local') return new LocalIdentity(auth.localUserId);

  if (!auth.cognitoUserPoolId && !auth.issuer) {
    throw new Error(
      auth.jwksUrl
        ? 'AUTH_MODE=jwt: JWT_JWKS_URL is set but JWT_ISSUER is not. Set JWT_ISSUER to the issuer ' +
            'your tokens carry in "iss", so tokens from any other issuer are refused.'
        : 'AUTH_MODE=jwt needs JWT_ISSUER (plus JWT_JWKS_URL when the keys are not at ' +
            '{issuer}/.well-known/jwks.json, and JWT_AUDIENCE to check "aud"), or ' +
            'COGNITO_USER_POOL_ID (and COGNITO_CLIENT_ID) on AWS.',
    );
  }
  return new JwtIdentity({
    issuer: auth.issuer,
    jwksUrl: auth.jwksUrl,
    audience: auth.audience,
    cognitoUserPoolId: auth.cognitoUserPoolId,
    cognitoClientId: auth.cognitoClientId,
    cognitoEndpoint: auth.cognitoEndpoint,
  });
}
