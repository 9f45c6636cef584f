/**
 * Errors that carry their own HTTP meaning. The API turns them into
 * `{ "error": { "code", "message" } }` with `status`; anything else is a 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503 | 504,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);

/** A step failed in a way that retrying will not fix (bad image, invalid model reply after retries). */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

/**
 * The item was deleted while a pipeline step worked on it: the step stops, cleans up what it
 * wrote, and nothing retries (there is nothing left to finish or to mark failed).
 */
export class ItemGoneError extends PermanentError {
  constructor(itemId: string) {
    super(`item ${itemId} was deleted while it was being processed`);
    this.name = 'ItemGoneError';
  }
}

/** Postgres's foreign_key_violation: a row that points at an item that no longer exists. */
export const isForeignKeyViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23503';

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
