import { SearchResponseSchema, type SearchRequestInput, type SearchResponse, type Searcher } from '../../contracts/search.js';

export interface HttpSearcherOptions {
  /** Sent as `Authorization: Bearer …` (for a server in `AUTH_MODE=jwt`). */
  token?: string;
  /** Per call (default 120 s: agentic searches can take a while). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A Searcher over HTTP: `POST {baseUrl}/search` with the request as JSON, the reply checked
 * against SearchResponseSchema. The server decides the user (from its identity provider), so
 * `userId` is not sent.
 */
export function createHttpSearcher(baseUrl: string, opts: HttpSearcherOptions = {}): Searcher {
  let url: URL;
  try {
    url = new URL(`${baseUrl.replace(/\/+$/, '')}/search`);
  } catch {
    throw new Error(`--url must be an http(s) URL such as http://127.0.0.1:8787, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--url must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return {
    async search(_userId: string, request: SearchRequestInput): Promise<SearchResponse> {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code;
        throw new Error(`POST ${url.href} failed: ${cause ?? (err as Error).message}`);
      }
      const text = await res.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (!res.ok) {
        const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
        const detail = e ? `${e.code ?? 'error'}: ${e.message ?? ''}` : text.slice(0, 200);
        throw new Error(`POST ${url.href} answered ${res.status} ${detail}`.trim());
      }
      const parsed = SearchResponseSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`POST ${url.href} answered something that is not a SearchResponse (${issue?.path.join('.')}: ${issue?.message})`);
      }
      return parsed.data;
    },
  };
}
