import { PermanentError, errorMessage } from '../../domain/errors.js';

export interface RetryPolicy {
  maxAttempts: number;
  /** First wait; each later wait is 4× longer, with ±25 % jitter so retries spread out. */
  baseDelayMs: number;
}

/**
 * Errors a later try cannot fix: PermanentError, or any error that says so itself with
 * `retryable: false` (provider adapters mark 4xx replies that way).
 */
export function isPermanent(err: unknown): boolean {
  return err instanceof PermanentError || (err as { retryable?: unknown } | null)?.retryable === false;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` until it succeeds, throws a PermanentError (retrying cannot help: a bad image,
 * a model reply that failed validation after its own retries), or runs out of attempts.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  fn: (attempt: number) => Promise<T>,
  onRetry?: (attempt: number, err: unknown, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (isPermanent(err) || attempt >= policy.maxAttempts) throw err;
      const delay = Math.round(policy.baseDelayMs * 4 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
      onRetry?.(attempt, err, delay);
      await sleep(delay);
    }
  }
}

/** "after 3 attempts: 429 rate limited" — what a user reads on a failed item. */
export function failureReason(err: unknown, attempts: number): string {
  const msg = errorMessage(err);
  return isPermanent(err) || attempts <= 1 ? msg : `${msg} (after ${attempts} attempts)`;
}
