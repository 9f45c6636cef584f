/**
 * The one HTTP call every hosted embedder makes: POST JSON with a bearer key, get JSON back.
 * Errors say which provider, the status and the start of the body, and never the key.
 */

/** Thrown for any failed provider call. `retryable` is true for rate limits, server errors,
 *  timeouts and network failures: the ones a later try can fix. */
export class EmbeddingProviderError extends Error {
  constructor(
    message: string,
    readonly provider: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EmbeddingProviderError';
  }
}

export interface PostJsonOptions {
  provider: string;
  url: string;
  apiKey: string;
  body: unknown;
  timeoutMs: number;
}

const BODY_EXCERPT_CHARS = 500;

/** Removes the key wherever a provider or proxy echoes it back. */
function redact(text: string, apiKey: string): string {
  return apiKey ? text.split(apiKey).join('[redacted]') : text;
}

export async function postJson(options: PostJsonOptions): Promise<unknown> {
  const { provider, url, apiKey, body, timeoutMs } = options;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    const reason = timedOut ? `timed out after ${timeoutMs} ms` : redact(err instanceof Error ? err.message : String(err), apiKey);
    throw new EmbeddingProviderError(`${provider} embeddings request to ${url} failed: ${reason}`, provider, undefined, true, {
      cause: err,
    });
  }

  const text = await response.text();
  if (!response.ok) {
    const excerpt = redact(text.slice(0, BODY_EXCERPT_CHARS), apiKey).trim();
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
    throw new EmbeddingProviderError(
      `${provider} embeddings failed: HTTP ${response.status} ${response.statusText}${excerpt ? `: ${excerpt}` : ''}`,
      provider,
      response.status,
      retryable,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new EmbeddingProviderError(
      `${provider} embeddings: response is not JSON: ${redact(text.slice(0, BODY_EXCERPT_CHARS), apiKey)}`,
      provider,
      response.status,
      false,
    );
  }
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Both Voyage and OpenAI answer `{ data: [{ embedding, index }] }`, possibly out of order.
 * Returns the vectors in input order after checking there is exactly one per input and each has
 * the expected length: a wrong-sized vector must never reach the database.
 */
export function vectorsInInputOrder(provider: string, payload: unknown, expectedCount: number, dimensions: number): number[][] {
  const data = (payload as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) {
    throw new EmbeddingProviderError(`${provider} embeddings: response has no data array`, provider, undefined, false);
  }
  const vectors: (number[] | undefined)[] = new Array(expectedCount);
  for (const entry of data as { embedding?: unknown; index?: unknown }[]) {
    const { embedding, index } = entry ?? {};
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= expectedCount) {
      throw new EmbeddingProviderError(`${provider} embeddings: bad index ${String(index)}`, provider, undefined, false);
    }
    if (!Array.isArray(embedding) || embedding.length !== dimensions) {
      const got = Array.isArray(embedding) ? `${embedding.length} numbers` : typeof embedding;
      throw new EmbeddingProviderError(
        `${provider} embeddings: expected ${dimensions} numbers at index ${index}, got ${got}`,
        provider,
        undefined,
        false,
      );
    }
    vectors[index] = embedding as number[];
  }
  const missing = vectors.indexOf(undefined);
  if (missing !== -1 || data.length !== expectedCount) {
    throw new EmbeddingProviderError(
      `${provider} embeddings: asked for ${expectedCount} vectors, got ${data.length}` +
        (missing !== -1 ? ` (index ${missing} missing)` : ''),
      provider,
      undefined,
      false,
    );
  }
  return vectors as number[][];
}
