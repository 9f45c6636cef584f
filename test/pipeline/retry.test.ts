import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/domain/errors.js';
import { EmbeddingProviderError } from '../../src/adapters/embedder/http.js';
import { failureReason, withRetries } from '../../src/services/pipeline/retry.js';

const policy = { maxAttempts: 3, baseDelayMs: 1 };

describe('withRetries', () => {
  it('retries transient errors until one try succeeds', async () => {
    let calls = 0;
    const result = await withRetries(policy, async () => {
      calls++;
      if (calls < 3) throw new Error('503');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up after maxAttempts and reports how many tries it took', async () => {
    let calls = 0;
    const err = await withRetries(policy, async () => {
      calls++;
      throw new Error('429 rate limited');
    }).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(failureReason(err, calls)).toBe('429 rate limited (after 3 attempts)');
  });

  it.each([
    ['a PermanentError', new PermanentError('reply failed the schema')],
    ['a provider error marked not retryable', new EmbeddingProviderError('voyage rejected the key (HTTP 401)', 'voyage', 401, false)],
  ])('does not retry %s', async (_name, error) => {
    let calls = 0;
    const err = await withRetries(policy, async () => {
      calls++;
      throw error;
    }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(failureReason(err, calls)).toBe(error.message);
  });

  it('waits longer after each failure', async () => {
    const delays: number[] = [];
    await withRetries(
      { maxAttempts: 3, baseDelayMs: 10 },
      async (attempt) => {
        if (attempt < 3) throw new Error('x');
      },
      (_a, _e, delay) => delays.push(delay),
    );
    expect(delays).toHaveLength(2);
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
  });
});
