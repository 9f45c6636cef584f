/**
 * Plain HTTP calls to the deployed API (fetch, a timeout on every call). Used by test-infra and
 * db-seed-golden; responses are parsed as JSON when they are JSON.
 */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function apiCall<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; timeoutMs?: number } = {},
): Promise<ApiResponse<T>> {
  const url = `${baseUrl.replace(/\/+$/, '')}${path}`;
  const res = await fetch(url, {
    method,
    headers: {
      ...(opts.token && { authorization: `Bearer ${opts.token}` }),
      ...(opts.json !== undefined && { 'content-type': 'application/json' }),
    },
    ...(opts.json !== undefined && { body: JSON.stringify(opts.json) }),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      /* keep the text */
    }
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** A presigned S3 POST: every field of the ticket, then the file (S3 wants it last). */
export async function postToPresignedForm(
  ticket: { url: string; fields: Record<string, string> },
  file: { bytes: Uint8Array; filename: string; contentType: string },
  timeoutMs = 60_000,
): Promise<{ status: number; text: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.filename);
  const res = await fetch(ticket.url, { method: 'POST', body: form, signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, text: await res.text() };
}

/** The claims of a JWT, without verifying it (for the report: issuer, audience, token use). */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
