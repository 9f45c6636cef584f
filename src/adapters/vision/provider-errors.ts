import { PermanentError, errorMessage } from '../../domain/errors.js';

/**
 * Sorts a failed model call into "try again later" (a plain Error: the pipeline retries it with
 * backoff) and "this request will never work" (PermanentError), with a message that names the
 * provider and the HTTP status so the item's error says what happened.
 */

/** Requests that fail the same way however often they are sent. */
const PERMANENT_STATUSES = new Set([400, 401, 403, 404, 413, 422]);

function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  // The provider SDKs put it on status; the AWS SDK (Bedrock) on $metadata.httpStatusCode.
  const e = err as { status?: unknown; statusCode?: unknown; response?: { status?: unknown }; $metadata?: { httpStatusCode?: unknown } };
  for (const s of [e.status, e.statusCode, e.response?.status, e.$metadata?.httpStatusCode]) {
    if (typeof s === 'number') return s;
  }
  return undefined;
}

const nameOf = (err: unknown) => (err instanceof Error ? err.name : '');

/** The API's own words: both SDKs keep the parsed error body on `error`. */
function apiMessage(err: unknown): string | undefined {
  const body = (err as { error?: { message?: unknown; error?: { message?: unknown } } }).error;
  const message = body?.error?.message ?? body?.message;
  return typeof message === 'string' ? message : undefined;
}

/** The innermost cause says what really failed ("connect ECONNREFUSED …" under "fetch failed"). */
function rootCause(err: unknown): unknown {
  let current = err;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause; depth++) current = current.cause;
  return current === err ? undefined : current;
}

function cleanMessage(err: unknown, status: number | undefined): string {
  let message = apiMessage(err) ?? errorMessage(err);
  // The SDKs prefix the status ("429 {…}"); LangChain appends a "Troubleshooting URL" line.
  message = message.replace(/\n?Troubleshooting URL:.*$/s, '').trim();
  if (status !== undefined && message.startsWith(`${status} `)) message = message.slice(4).trim();
  const cause = rootCause(err);
  if (cause && !message.includes(errorMessage(cause))) message = `${message} (${errorMessage(cause)})`;
  return message.length > 300 ? `${message.slice(0, 299)}…` : message;
}

export function providerError(provider: string, err: unknown): Error {
  if (err instanceof PermanentError) return err;
  const status = statusOf(err);
  const message = cleanMessage(err, status);
  let wrapped: Error;
  if (status === 429) {
    wrapped = new Error(`${provider} vision request was rate limited (HTTP 429): ${message}`);
  } else if (status !== undefined && PERMANENT_STATUSES.has(status)) {
    wrapped = new PermanentError(`${provider} rejected the vision request (HTTP ${status}): ${message}`);
  } else if (status !== undefined) {
    wrapped = new Error(`${provider} vision request failed (HTTP ${status}): ${message}`);
  } else if (/timeout|timed out/i.test(`${nameOf(err)} ${message}`)) {
    wrapped = new Error(`${provider} vision request timed out: ${message}`);
  } else {
    wrapped = new Error(`${provider} vision request failed: ${message}`);
  }
  wrapped.cause = err;
  return wrapped;
}
