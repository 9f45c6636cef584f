/**
 * The signed-in session as kept in a Storage: one key per app client, so it survives reloads and
 * is shared by the app's tabs (with localStorage).
 */

import { decodeJwtPayload, type AuthenticationResult } from './cognito-protocol.js';

/** What this module needs of `Storage` (localStorage, sessionStorage or an in-memory one). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Session {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** When the id token expires, in this browser's clock (ms since the epoch). */
  expiresAt: number;
}

const STORAGE_PREFIX = 'collections.auth.v1:';

export class SessionStore {
  /** The Storage key (another tab's change to it arrives as a `storage` event with this key). */
  readonly key: string;
  private readonly storage: StorageLike;

  constructor(storage: StorageLike, clientId: string) {
    this.storage = storage;
    this.key = `${STORAGE_PREFIX}${clientId}`;
  }

  read(): Session | null {
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

  forget() {
    try {
      this.storage.removeItem(this.key);
    } catch {
      // storage blocked: nothing was kept there either
    }
  }

  write(session: Session) {
    this.storage.setItem(this.key, JSON.stringify(session));
  }
}

/** The session Cognito's tokens make, its expiry on this browser's clock (see cognito.ts). */
export function sessionFrom(result: AuthenticationResult | undefined, now: number, keepRefreshToken?: string): Session | null {
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
