import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import * as awsErrors from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../../domain/errors.js';
import type { Caller, IdentityProvider } from '../../ports/identity.js';
import { isSafeUserId } from './user-id.js';

export interface JwtIdentityOptions {
  /** Expected `iss`. Required unless cognitoUserPoolId is set (Cognito derives its own). */
  issuer?: string;
  /** Where the signing keys are; default `{issuer}/.well-known/jwks.json`. */
  jwksUrl?: string;
  /** Expected `aud`, when set (jose path only; Cognito checks cognitoClientId instead). */
  audience?: string;
  /** e.g. `eu-west-1_AbCdEf123`: verify Cognito id and access tokens with aws-jwt-verify. */
  cognitoUserPoolId?: string;
  /** App client id: checked against `aud` (id tokens) or `client_id` (access tokens). */
  cognitoClientId?: string;
  /**
   * Cognito signing keys to use instead of fetching them (tests; or a Lambda that bundles
   * them to skip a fetch on cold start). Keys not in it are still fetched.
   */
  cognitoJwks?: { keys: object[] };
  /**
   * A Cognito-compatible server instead of AWS (cognito-local in tests): tokens are issued by
   * `{endpoint}/{poolId}` and its keys are at `{issuer}/.well-known/jwks.json`. CognitoJwtVerifier
   * accepts only AWS issuers (region-shaped pool ids, https), so these tokens are verified by
   * jose and then put through aws-jwt-verify's own Cognito claim checks (token_use, client id).
   */
  cognitoEndpoint?: string;
}

type Verify = (token: string) => Promise<JWTPayload>;

/** Three base64url segments: anything else is not worth handing to a verifier. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const unauthorized = (message: string) => new AppError(401, 'unauthorized', message);

/**
 * Bearer-token identity: the caller is the token's `sub`, after the signature (keys from the
 * issuer's JWKS), expiry, issuer and audience have been checked. Error messages say what was
 * wrong with the token, never what it contained.
 */
export class JwtIdentity implements IdentityProvider {
  readonly mode = 'jwt' as const;
  private readonly verify: Verify;

  constructor(options: JwtIdentityOptions) {
    this.verify = !options.cognitoUserPoolId
      ? joseVerifier(options)
      : options.cognitoEndpoint
        ? cognitoCompatibleVerifier(options)
        : cognitoVerifier(options);
  }

  async authenticate(authorization: string | undefined): Promise<Caller> {
    const token = bearerToken(authorization);
    let payload: JWTPayload;
    try {
      payload = await this.verify(token);
    } catch (err) {
      throw verificationError(err);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw unauthorized('The token does not name a user (no "sub" claim).');
    }
    if (!isSafeUserId(payload.sub)) {
      throw unauthorized(
        "The token's user id (\"sub\") cannot be used: it must be 1–128 characters without '/', '\\', '..' or control characters.",
      );
    }
    return { userId: payload.sub };
  }
}

function bearerToken(authorization: string | undefined): string {
  if (!authorization || authorization.trim() === '') {
    throw unauthorized('Sign in first: send "Authorization: Bearer <token>".');
  }
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization.trim());
  if (!match) {
    throw unauthorized('The Authorization header must be "Bearer <token>" (other schemes are not accepted).');
  }
  const token = match[1]!;
  if (!COMPACT_JWS.test(token)) throw unauthorized('The bearer token is not a JWT.');
  return token;
}

function joseVerifier(options: JwtIdentityOptions): Verify {
  if (!options.issuer) {
    throw new Error('JwtIdentity needs an issuer (JWT_ISSUER) unless a Cognito user pool is configured.');
  }
  const issuer = options.issuer;
  const jwksUrl = new URL(options.jwksUrl ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`);
  // Fetched on first use, cached, refetched when a token names an unknown key (key rotation).
  const keys = createRemoteJWKSet(jwksUrl);
  return async (token) => {
    const { payload } = await jwtVerify(token, keys, {
      issuer,
      ...(options.audience ? { audience: options.audience } : {}),
    });
    return payload;
  };
}

function cognitoVerifier(options: JwtIdentityOptions): Verify {
  // create() validates the pool id format, so a typo fails at startup, not on first request.
  const verifier = CognitoJwtVerifier.create({
    userPoolId: options.cognitoUserPoolId!,
    tokenUse: null, // id and access tokens both identify the user
    clientId: options.cognitoClientId ?? null,
  });
  // aws-jwt-verify checks each key (kty, use, alg) when a token first needs it.
  if (options.cognitoJwks) verifier.cacheJwks(options.cognitoJwks as Jwks);
  return async (token) => (await verifier.verify(token)) as JWTPayload;
}

function cognitoCompatibleVerifier(options: JwtIdentityOptions): Verify {
  const issuer = `${options.cognitoEndpoint!.replace(/\/+$/, '')}/${options.cognitoUserPoolId}`;
  const verifySignature = joseVerifier({ issuer });
  return async (token) => {
    const payload = await verifySignature(token);
    // The same claim rules CognitoJwtVerifier applies (and the same error classes).
    validateCognitoJwtFields(payload as Parameters<typeof validateCognitoJwtFields>[0], {
      tokenUse: null,
      clientId: options.cognitoClientId ?? null,
    });
    return payload;
  };
}

/** Maps both libraries' errors to 401 (the token) or 503 (we could not get the keys). */
function verificationError(err: unknown): AppError {
  // The token's fault: jose.
  if (err instanceof joseErrors.JWTExpired) return unauthorized('The token has expired; sign in again.');
  if (err instanceof joseErrors.JWTClaimValidationFailed) return claimError(err.claim);
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey) {
    return unauthorized('The token was not signed by the trusted identity provider.');
  }
  if (
    err instanceof joseErrors.JWSInvalid ||
    err instanceof joseErrors.JWTInvalid ||
    err instanceof joseErrors.JOSEAlgNotAllowed ||
    err instanceof joseErrors.JOSENotSupported ||
    err instanceof joseErrors.JWKSMultipleMatchingKeys
  ) {
    return unauthorized('The token is malformed or uses an unsupported algorithm.');
  }
  // The token's fault: aws-jwt-verify.
  if (err instanceof awsErrors.JwtExpiredError) return unauthorized('The token has expired; sign in again.');
  // With a fixed configuration, aws-jwt-verify's only token-dependent ParameterValidationError
  // is "issuer not configured": the token's `iss` is some other pool.
  if (err instanceof awsErrors.JwtInvalidIssuerError || err instanceof awsErrors.ParameterValidationError) {
    return claimError('iss');
  }
  if (err instanceof awsErrors.JwtInvalidAudienceError || err instanceof awsErrors.CognitoJwtInvalidClientIdError) {
    return claimError('aud');
  }
  if (err instanceof awsErrors.JwtNotBeforeError) return claimError('nbf');
  if (
    err instanceof awsErrors.JwtInvalidSignatureError ||
    err instanceof awsErrors.KidNotFoundInJwksError ||
    err instanceof awsErrors.WaitPeriodNotYetEndedJwkError
  ) {
    return unauthorized('The token was not signed by the trusted identity provider.');
  }
  if (
    err instanceof awsErrors.JwtBaseError &&
    !(err instanceof awsErrors.FetchError) &&
    !(err instanceof awsErrors.JwksValidationError) &&
    !(err instanceof awsErrors.JwkValidationError) &&
    !(err instanceof awsErrors.JwksNotAvailableInCacheError)
  ) {
    return unauthorized('The token is not valid.');
  }
  // Not the token's fault: the key set could not be fetched or read (network, timeout, a
  // non-200 or non-JSON reply). A 401 would tell the client to sign in again, which would
  // not help; 503 says "try again".
  return new AppError(503, 'auth_unavailable', "The identity provider's signing keys could not be fetched; try again shortly.");
}

function claimError(claim: string): AppError {
  switch (claim) {
    case 'iss':
      return unauthorized('The token was issued by an identity provider this server does not trust.');
    case 'aud':
      return unauthorized('The token was issued for a different application (audience).');
    case 'nbf':
      return unauthorized('The token is not valid yet.');
    default:
      return unauthorized(`The token's "${claim}" claim is not valid.`);
  }
}
