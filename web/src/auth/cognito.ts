/**
 * Sign-in against a Cognito user pool from the browser, with nothing but `fetch`: the Cognito
 * Identity Provider JSON protocol (one POST per operation to `https://cognito-idp.{region}.amazonaws.com/`,
 * `X-Amz-Target: AWSCognitoIdentityProviderService.{Operation}`). The operations used here
 * (InitiateAuth, RespondToAuthChallenge, RevokeToken) are the pool's public, unsigned ones: they
 * need the app client id, never AWS credentials. No aws-sdk, no Amplify: a few kB instead of
 * a few hundred.
 *
 * - `signIn` uses USER_PASSWORD_AUTH: the password goes to Cognito inside TLS, as it would in any
 *   form post (the app client has no secret; a browser could not keep one). See infra/lib/auth.ts.
 * - An administrator-created user first gets NEW_PASSWORD_REQUIRED; `completeNewPassword` answers it.
 * - The session (id, access and refresh tokens and the id token's expiry) is kept in the given
 *   Storage (localStorage by default) under one key per app client, so it survives reloads and is
 *   shared by the app's tabs.
 * - `getToken` returns the **id token**: its `aud` is the app client id, which is what the HTTP
 *   API's JWT authorizer (audience = the client id) and the app's own verification
 *   (aws-jwt-verify, COGNITO_CLIENT_ID checked against `aud`) accept. It is refreshed with
 *   REFRESH_TOKEN_AUTH when it expires within a minute; concurrent callers share one refresh.
 * - The expiry is measured on the browser's clock from the token's own lifetime (`exp - iat`),
 *   so a browser whose clock is off still refreshes on time.
 * - `signOut` forgets the session at once and then revokes the refresh token (RevokeToken, which
 *   also invalidates the tokens issued from it for Cognito's own APIs). It does not call
 *   GlobalSignOut: that would end the user's sessions on every other device too.
 */

export interface CognitoConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  /** Another Cognito-compatible endpoint (cognito-local in tests); default the region's. */
  endpoint?: string;
}

/** What this module needs of `Storage` (localStorage, sessionStorage or an in-memory one). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface NewPasswordChallenge {
  email: string;
  /** Cognito's session of the challenge (valid a few minutes). */
  session: string;
  /** The user name Cognito named in the challenge (USER_ID_FOR_SRP), when it gave one. */
  username?: string;
}

export type SignInResult = { kind: 'signed-in' } | { kind: 'new-password-required'; challenge: NewPasswordChallenge };

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

/** Refresh the id token when it expires within this long. */
export const REFRESH_MARGIN_MS = 60_000;
/** A Cognito call that takes longer than this is reported as a network error. */
const REQUEST_TIMEOUT_MS = 15_000;
const STORAGE_PREFIX = 'collections.auth.v1:';

interface Session {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** When the id token expires, in this browser's clock (ms since the epoch). */
  expiresAt: number;
}

interface AuthenticationResult {
  IdToken?: string;
  AccessToken?: string;
  RefreshToken?: string;
  ExpiresIn?: number;
}

interface AuthResponse {
  AuthenticationResult?: AuthenticationResult;
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
}

type Operation = 'InitiateAuth' | 'RespondToAuthChallenge' | 'RevokeToken';
/** What was being done, which decides what an error means (see toAuthError). */
type Step = 'sign-in' | 'new-password' | 'refresh' | 'revoke';

export class CognitoAuth {
  private readonly endpoint: string;
  private readonly storage: StorageLike;
  private readonly fetchImpl: typeof fetch;
  private readonly key: string;
  private readonly listeners = new Set<() => void>();
  private readonly config: CognitoConfig;
  private readonly now: () => number;
  private refreshing: Promise<string | null> | null = null;
  private removeStorageListener: (() => void) | null = null;

  /** `now`: the clock (tests). */
  constructor(config: CognitoConfig, storage?: StorageLike, fetchImpl?: typeof fetch, now: () => number = () => Date.now()) {
    this.config = config;
    this.now = now;
    this.endpoint = `${(config.endpoint ?? `https://cognito-idp.${config.region}.amazonaws.com`).replace(/\/+$/, '')}/`;
    const fallback = (globalThis as { localStorage?: StorageLike }).localStorage;
    if (!storage && !fallback) throw new Error('CognitoAuth needs a Storage: there is no localStorage here.');
    this.storage = storage ?? fallback!;
    // Called through a closure: window.fetch throws "Illegal invocation" when called as a method of another object.
    this.fetchImpl = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    this.key = `${STORAGE_PREFIX}${config.clientId}`;
  }

  async signIn(email: string, password: string): Promise<SignInResult> {
    const username = email.trim();
    if (!username || !password) throw new AuthError('wrong_credentials', 'Enter your email address and password.');
    const response = await this.call<AuthResponse>(
      'InitiateAuth',
      { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: this.config.clientId, AuthParameters: { USERNAME: username, PASSWORD: password } },
      'sign-in',
    );
    if (response.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
      if (!response.Session) throw new AuthError('unknown', 'The sign-in service asked for a new password but sent no session; try again.');
      const named = response.ChallengeParameters?.USER_ID_FOR_SRP;
      return {
        kind: 'new-password-required',
        challenge: { email: username, session: response.Session, ...(named ? { username: named } : {}) },
      };
    }
    this.completeSignIn(response);
    return { kind: 'signed-in' };
  }

  async completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<void> {
    if (!newPassword) throw new AuthError('password_policy', 'Choose a new password.');
    const response = await this.call<AuthResponse>(
      'RespondToAuthChallenge',
      {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        ClientId: this.config.clientId,
        Session: challenge.session,
        ChallengeResponses: { USERNAME: challenge.username ?? challenge.email, NEW_PASSWORD: newPassword },
      },
      'new-password',
    );
    this.completeSignIn(response);
  }

  async signOut(): Promise<void> {
    const session = this.read();
    this.refreshing = null;
    this.forget();
    this.notify();
    if (!session?.refreshToken) return;
    try {
      await this.call('RevokeToken', { ClientId: this.config.clientId, Token: session.refreshToken }, 'revoke');
    } catch {
      // Best effort: the session is already gone from this browser; an unrevoked refresh token
      // expires on its own (30 days), and a server without RevokeToken is not an error.
    }
  }

  /** Valid ID token for the API (refreshed with REFRESH_TOKEN_AUTH when it expires within 60 s), or null when signed out. */
  async getToken(): Promise<string | null> {
    const session = this.read();
    if (!session) return null;
    if (session.expiresAt - this.now() > REFRESH_MARGIN_MS) return session.idToken;
    // One refresh at a time, whoever asks.
    this.refreshing ??= this.refresh(session).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  currentUser(): { email: string; sub: string } | null {
    const session = this.read();
    const claims = session ? decodeJwtPayload(session.idToken) : null;
    if (!claims || typeof claims.sub !== 'string') return null;
    return { email: typeof claims.email === 'string' ? claims.email : '', sub: claims.sub };
  }

  /** Called after every sign-in and sign-out (also another tab's, with localStorage). Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    this.watchOtherTabs();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.removeStorageListener?.();
        this.removeStorageListener = null;
      }
    };
  }

  private async refresh(session: Session): Promise<string | null> {
    if (!session.refreshToken) return this.endSession(session);
    let response: AuthResponse;
    try {
      response = await this.call<AuthResponse>(
        'InitiateAuth',
        { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: this.config.clientId, AuthParameters: { REFRESH_TOKEN: session.refreshToken } },
        'refresh',
      );
    } catch (err) {
      if (err instanceof AuthError && (err.code === 'network' || err.code === 'too_many_attempts')) {
        // Cognito could not be asked: the token is still good for a little while, else say why.
        if (session.expiresAt > this.now()) return session.idToken;
        throw err;
      }
      // Refused (the refresh token expired or was revoked): the session is over.
      return this.endSession(session);
    }
    const current = this.read();
    // Signed out, or signed in again, while the refresh was in flight: that session wins.
    if (!current || current.refreshToken !== session.refreshToken) return current?.idToken ?? null;
    const renewed = sessionFrom(response.AuthenticationResult, this.now(), session.refreshToken);
    if (!renewed) return this.endSession(session);
    this.write(renewed);
    return renewed.idToken;
  }

  /** Forgets `session` (unless another one replaced it meanwhile) and tells the listeners. */
  private endSession(session: Session): null {
    const current = this.read();
    if (current && current.idToken === session.idToken) {
      this.forget();
      this.notify();
    }
    return null;
  }

  private completeSignIn(response: AuthResponse) {
    if (response.ChallengeName) {
      // The pool allows optional TOTP MFA; an account that enrolled it gets SOFTWARE_TOKEN_MFA.
      throw new AuthError(
        'unknown',
        /MFA/.test(response.ChallengeName)
          ? 'This account uses multi-factor authentication, which this app does not support yet.'
          : `The sign-in service asked for a step this app does not support (${response.ChallengeName}).`,
        { type: response.ChallengeName },
      );
    }
    const session = sessionFrom(response.AuthenticationResult, this.now());
    if (!session) throw new AuthError('unknown', 'The sign-in service sent no usable tokens; try again.');
    this.write(session);
    this.notify();
  }

  private read(): Session | null {
    let raw: string | null;
    try {
      raw = this.storage.getItem(this.key);
    } catch {
      return null; // storage blocked (privacy settings): signed out
    }
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<Session>;
      if (typeof parsed.idToken === 'string' && typeof parsed.accessToken === 'string' && typeof parsed.expiresAt === 'number') {
        return parsed as Session;
      }
    } catch {
      // fall through: not ours or corrupt
    }
    this.forget();
    return null;
  }

  private forget() {
    try {
      this.storage.removeItem(this.key);
    } catch {
      // storage blocked: nothing was kept there either
    }
  }

  private write(session: Session) {
    this.storage.setItem(this.key, JSON.stringify(session));
  }

  private notify() {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        console.error('CognitoAuth listener failed', err);
      }
    }
  }

  /** With localStorage, another tab's sign-in or sign-out arrives as a `storage` event. */
  private watchOtherTabs() {
    const target = globalThis as { addEventListener?: typeof addEventListener; removeEventListener?: typeof removeEventListener };
    if (this.removeStorageListener || typeof target.addEventListener !== 'function') return;
    const onStorage = (event: Event) => {
      const key = (event as StorageEvent).key;
      if (key === this.key || key === null) this.notify();
    };
    target.addEventListener('storage', onStorage);
    this.removeStorageListener = () => target.removeEventListener?.('storage', onStorage);
  }

  private async call<T>(operation: Operation, body: object, step: Step): Promise<T> {
    let response: Response;
    try {
      const timeout = (AbortSignal as { timeout?: (ms: number) => AbortSignal }).timeout;
      response = await this.fetchImpl(this.endpoint, {
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
      if (/attempts exceeded/i.test(message)) return error('too_many_attempts', 'Too many failed attempts. Wait a few minutes, then try again.');
      if (/temporary password has expired/i.test(message)) {
        return error('unknown', 'Your temporary password has expired. Ask your administrator for a new one.');
      }
      if (/disabled/i.test(message)) return error('unknown', 'This account is disabled. Ask your administrator.');
      if (step === 'new-password') return error('unknown', 'Setting the new password took too long. Sign in again with your temporary password.');
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

function sessionFrom(result: AuthenticationResult | undefined, now: number, keepRefreshToken?: string): Session | null {
  if (!result?.IdToken || !result.AccessToken) return null;
  const claims = decodeJwtPayload(result.IdToken);
  const exp = typeof claims?.exp === 'number' ? claims.exp : undefined;
  const iat = typeof claims?.iat === 'number' ? claims.iat : undefined;
  const lifetimeSeconds = exp !== undefined && iat !== undefined ? exp - iat : (result.ExpiresIn ?? 3600);
  const refreshToken = result.RefreshToken ?? keepRefreshToken;
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: now + lifetimeSeconds * 1000,
  };
}

/** The claims of a JWT, unverified (the API verifies; this only reads the user's name and expiry). */
export function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
