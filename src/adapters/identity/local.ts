import type { Caller, IdentityProvider } from '../../ports/identity.js';
import { isSafeUserId } from './user-id.js';

/**
 * One person, one machine: every request is `userId` and the Authorization header is not
 * read at all. Only for AUTH_MODE=local, where the server listens on loopback by default.
 */
export class LocalIdentity implements IdentityProvider {
  readonly mode = 'local' as const;
  private readonly caller: Caller;

  constructor(userId: string) {
    if (!isSafeUserId(userId)) {
      throw new Error(
        `LOCAL_USER_ID "${userId}" cannot be used: a user id must be 1–128 characters without '/', '\\', '..' or control characters.`,
      );
    }
    this.caller = { userId };
  }

  async authenticate(_authorization: string | undefined): Promise<Caller> {
    return { ...this.caller };
  }
}
