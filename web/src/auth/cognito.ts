/**
 * Sign-in against a Cognito user pool from the browser, with nothing but `fetch` (the wire protocol
 * is in cognito-protocol.ts, the stored session in session-store.ts; this module re-exports what
 * callers need of them).
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

// `.js`: the node tests (test/web-auth) load this file as is, with NodeNext resolution.
import {
  AuthError,
  callCognito,
  cognitoEndpoint,
  decodeJwtPayload,
  type AuthResponse,
  type Operation,
  type Step,
} from './cognito-protocol.js';
import { SessionStore, sessionFrom, type Session, type StorageLike } from './session-store.js';

export { AuthError, decodeJwtPayload, toAuthError, type AuthErrorCode } from './cognito-protocol.js';
export type { StorageLike } from './session-store.js';

export interface CognitoConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  /** Another Cognito-compatible endpoint (cognito-local in tests); default the region's. */
  endpoint?: string;
}

export interface NewPasswordChallenge {
  email: string;
  /** Cognito's session of the challenge (valid a few minutes). */
  session: string;
  /** The user name Cognito named in the challenge (USER_ID_FOR_SRP), when it gave one. */
  username?: string;
}

export type SignInResult = { kind: 'signed-in' } | { kind: 'new-password-required'; challenge: NewPasswordChallenge };

/** Refresh the id token when it expires within this long. */
export const REFRESH_MARGIN_MS = 60_000;

export class CognitoAuth {
  private readonly endpoint: string;
  private readonly store: SessionStore;
  private readonly fetchImpl: typeof fetch;
  private readonly listeners = new Set<() => void>();
  private readonly config: CognitoConfig;
  private readonly now: () => number;
  private refreshing: Promise<string | null> | null = null;
  private removeStorageListener: (() => void) | null = null;

  /** `now`: the clock (tests). */
  constructor(config: CognitoConfig, storage?: StorageLike, fetchImpl?: typeof fetch, now: () => number = () => Date.now()) {
    this.config = config;
    this.now = now;
    this.endpoint = cognitoEndpoint(config.region, config.endpoint);
    const fallback = (globalThis as { localStorage?: StorageLike }).localStorage;
    if (!storage && !fallback) throw new Error('CognitoAuth needs a Storage: there is no localStorage here.');
    this.store = new SessionStore(storage ?? fallback!, config.clientId);
    // Called through a closure: window.fetch throws "Illegal invocation" when called as a method of another object.
    this.fetchImpl = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
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
    const session = this.store.read();
    this.refreshing = null;
    this.store.forget();
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
    const session = this.store.read();
    if (!session) return null;
    if (session.expiresAt - this.now() > REFRESH_MARGIN_MS) return session.idToken;
    // One refresh at a time, whoever asks.
    this.refreshing ??= this.refresh(session).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  currentUser(): { email: string; sub: string } | null {
    const session = this.store.read();
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
    const current = this.store.read();
    // Signed out, or signed in again, while the refresh was in flight: that session wins.
    if (!current || current.refreshToken !== session.refreshToken) return current?.idToken ?? null;
    const renewed = sessionFrom(response.AuthenticationResult, this.now(), session.refreshToken);
    if (!renewed) return this.endSession(session);
    this.store.write(renewed);
    return renewed.idToken;
  }

  /** Forgets `session` (unless another one replaced it meanwhile) and tells the listeners. */
  private endSession(session: Session): null {
    const current = this.store.read();
    if (current && current.idToken === session.idToken) {
      this.store.forget();
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
    this.store.write(session);
    this.notify();
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
      if (key === this.store.key || key === null) this.notify();
    };
    target.addEventListener('storage', onStorage);
    this.removeStorageListener = () => target.removeEventListener?.('storage', onStorage);
  }

  private call<T>(operation: Operation, body: object, step: Step): Promise<T> {
    return callCognito<T>(this.fetchImpl, this.endpoint, operation, body, step);
  }
}
