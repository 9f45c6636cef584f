/**
 * The Cognito Identity Provider JSON protocol, with nothing but `fetch`: one POST per operation to
 * `https://cognito-idp.{region}.amazonaws.com/`, `X-Amz-Target: AWSCognitoIdentityProviderService.{Operation}`.
 * The operations used here (InitiateAuth, RespondToAuthChallenge, RevokeToken) are the pool's
 * public, unsigned ones: they need the app client id, never AWS credentials. No aws-sdk, no
 * Amplify: a few kB instead of a few hundred.
 */

export type AuthErrorCode = 'wrong_credentials' | 'password_policy' | 'user_not_found' | 'too_many_attempts' | 'network' | 'unknown';

/** A sign-in failure with a message meant for the person signing in. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;
  /** Cognito's error type (`NotAuthorizedException`, …), when the server named one. */
  readonly type: string | undefined;

  constructor(code: AuthErrorCode, message: string, options: { type?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.type = options.type;
  }
}

/** A Cognito call that takes longer than this is reported as a network error. */
const REQUEST_TIMEOUT_MS = 15_000;

export interface AuthenticationResult {
  IdToken?: string;
  AccessToken?: string;
  RefreshToken?: string;
  ExpiresIn?: number;
}

export interface AuthResponse {
  AuthenticationResult?: AuthenticationResult;
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
}

export type Operation = 'InitiateAuth' | 'RespondToAuthChallenge' | 'RevokeToken';
/** What was being done, which decides what an error means (see toAuthError). */
export type Step = 'sign-in' | 'new-password' | 'refresh' | 'revoke';

/** The URL operations are posted to: `endpoint` (another Cognito-compatible one) or the region's. */
export function cognitoEndpoint(region: string, endpoint?: string): string {
  return `${(endpoint ?? `https://cognito-idp.${region}.amazonaws.com`).replace(/\/+$/, '')}/`;
}

/** One operation: its JSON reply, or an AuthError that says what went wrong in words. */
export async function callCognito<T>(
  fetchImpl: typeof fetch,
  endpoint: string,
  operation: Operation,
  body: object,
  step: Step,
): Promise<T> {
  let response: Response;
  try {
    const timeout = (AbortSignal as { timeout?: (ms: number) => AbortSignal }).timeout;
    response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      ...(timeout ? { signal: timeout(REQUEST_TIMEOUT_MS) } : {}),
    });
  } catch (err) {
    throw new AuthError('network', 'The sign-in service could not be reached. Check your connection and try again.', { cause: err });
  }
  const text = await response.text().catch(() => '');
  let payload: Record<string, unknown> = {};
  try {
    payload = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON (a proxy's error page): judged by the status below
  }
  if (response.ok) return payload as T;
  const rawType = typeof payload.__type === 'string' ? payload.__type : (response.headers.get('x-amzn-errortype') ?? '');
  const type = rawType.split('#').pop()!.split(':')[0]!.trim();
  const message = typeof payload.message === 'string' ? payload.message : typeof payload.Message === 'string' ? payload.Message : '';
  throw toAuthError(type, message, step, response.status);
}

/**
 * Cognito's error types, in words for the person signing in. The same type can mean different
 * things per step: InvalidPasswordException from RespondToAuthChallenge is a new password that
 * breaks the pool's policy, while from InitiateAuth it can only mean a wrong password (cognito-local
 * answers a wrong password that way; AWS answers NotAuthorizedException).
 */
export function toAuthError(type: string, message: string, step: Step, status = 400): AuthError {
  const error = (code: AuthErrorCode, text: string) => new AuthError(code, text, { type: type || undefined });
  switch (type) {
    case 'NotAuthorizedException':
      if (/attempts exceeded/i.test(message))
        return error('too_many_attempts', 'Too many failed attempts. Wait a few minutes, then try again.');
      if (/temporary password has expired/i.test(message)) {
        return error('unknown', 'Your temporary password has expired. Ask your administrator for a new one.');
      }
      if (/disabled/i.test(message)) return error('unknown', 'This account is disabled. Ask your administrator.');
      if (step === 'new-password')
        return error('unknown', 'Setting the new password took too long. Sign in again with your temporary password.');
      if (step === 'refresh') return error('wrong_credentials', 'Your session has ended. Sign in again.');
      return error('wrong_credentials', 'Incorrect email address or password.');
    case 'UserNotFoundException':
      return error('user_not_found', 'There is no account with this email address.');
    case 'InvalidPasswordException':
      if (step === 'sign-in') return error('wrong_credentials', 'Incorrect email address or password.');
      return error('password_policy', passwordPolicyMessage(message));
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return error('too_many_attempts', 'Too many attempts. Wait a few minutes, then try again.');
    case 'PasswordResetRequiredException':
      return error('unknown', 'Your password has to be reset. Ask your administrator for a new temporary password.');
    case 'UserNotConfirmedException':
      return error('unknown', 'This account is not confirmed yet. Ask your administrator.');
    case 'InvalidParameterException':
      if (step === 'new-password' && /password/i.test(message)) return error('password_policy', passwordPolicyMessage(message));
      return error('unknown', 'The sign-in service refused the request. Check what you entered and try again.');
    case 'ResourceNotFoundException':
      return error('unknown', 'Sign-in is not set up correctly (the app client is unknown). Tell your administrator.');
    case 'InternalErrorException':
    case 'ServiceUnavailableException':
      return error('network', 'The sign-in service is not available right now. Try again in a moment.');
    default:
      if (!type && status >= 500) return error('network', 'The sign-in service is not available right now. Try again in a moment.');
      return error('unknown', `Signing in failed${type ? ` (${type})` : ''}. Try again.`);
  }
}

function passwordPolicyMessage(message: string): string {
  // AWS: "Password does not conform to policy: Password must have symbol characters"
  const detail = /policy:\s*(.+)$/i.exec(message.trim())?.[1]?.replace(/\.$/, '');
  return detail
    ? `This password is not allowed: ${detail.charAt(0).toLowerCase()}${detail.slice(1)}. Choose another one.`
    : 'This password does not meet the password rules. Choose a longer one with upper- and lower-case letters, digits and symbols.';
}

/** The claims of a JWT, unverified (the API verifies; this only reads the user's name and expiry). */
export function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
