/** Longest user id accepted: Cognito subs are 36-character UUIDs; other IdPs stay well under this. */
export const MAX_USER_ID_LENGTH = 128;

/**
 * Whether a user id is safe as the first segment of an object key (`{userId}/originals/…`)
 * and as a directory name in the filesystem store. A `sub` comes from whoever runs the
 * identity provider, so it is checked, not trusted: a '/' or '..' would let one user's keys
 * land in another's prefix, a control character would corrupt logs and paths, and a '#'
 * would make a chat thread id (`{userId}#{sessionId}`) ambiguous.
 */
export function isSafeUserId(id: unknown): id is string {
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= MAX_USER_ID_LENGTH &&
    id !== '.' &&
    !id.includes('..') &&
    !/[/\\#]/.test(id) &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f-\u009f]/.test(id)
  );
}
