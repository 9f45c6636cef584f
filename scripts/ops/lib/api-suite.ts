import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { apiCall, postToPresignedForm, type ApiResponse } from './api-client.js';
import { errorText } from './aws.js';
import { UPLOADS_PATH, readUploadTicket, uniqueTestImage } from './infra-checks.js';
import { runInOrder, type Check, type CheckOutcome, type CheckResult } from './report.js';

/**
 * The API integration suite of `ops test-api`: real HTTP calls against a base URL with the id
 * tokens of two users. It knows nothing of AWS, so the same suite runs against a deployed stage
 * and against the local server (test/ops/test-api.test.ts). Checks run in order; one that needs
 * an earlier one's result (the uploaded item) is skipped when that one failed. Every item the
 * suite creates is deleted at the end, whatever happened.
 */
export interface ApiSuiteOptions {
  baseUrl: string;
  /** Id (or access) tokens: `primary` owns the test item; `other` must not see it. */
  tokens: { primary: string; other?: string };
  /** How long the upload may take to become `ready` (default 60 s). */
  readyTimeoutMs?: number;
  /** Called with each result as it is known (for live output). */
  onResult?: (r: CheckResult) => void;
}

/** What the server answers on every error: `{ error: { code, message } }`. */
const ErrorShape = z.object({ error: z.object({ code: z.string().min(1), message: z.string().min(1) }) });
const ItemShape = z.object({
  id: z.string(),
  status: z.string(),
  thumbnail_url: z.string().nullable().optional(),
  error: z.string().nullable().optional(),
  failed_step: z.string().nullable().optional(),
  analysis: z
    .object({ headline: z.string().nullable().optional(), summary: z.string().nullable().optional() })
    .passthrough()
    .nullable()
    .optional(),
});
type Item = z.infer<typeof ItemShape>;

class Skip extends Error {}
const pass = (detail: string): CheckOutcome => ({ status: 'pass', detail });
const failed = (detail: string): never => {
  throw new Error(detail);
};
const expectStatus = (what: string, res: ApiResponse, ...want: number[]) => {
  if (!want.includes(res.status))
    failed(`${what} → ${res.status}, expected ${want.join(' or ')}: ${JSON.stringify(res.body).slice(0, 200)}`);
};
const expectErrorShape = (what: string, res: ApiResponse) => {
  if (!ErrorShape.safeParse(res.body).success)
    failed(`${what}: the body is not {error: {code, message}}: ${JSON.stringify(res.body).slice(0, 200)}`);
};

/** The word of a headline most likely to find only this item: its longest alphabetic one. */
export function searchWord(text: string): string | undefined {
  const words = text.match(/\p{L}{4,}/gu) ?? [];
  return words.sort((a, b) => b.length - a.length)[0];
}

export async function runApiSuite(opts: ApiSuiteOptions): Promise<CheckResult[]> {
  const url = opts.baseUrl;
  const token = opts.tokens.primary;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  const created = new Set<string>();
  let item: Item | undefined;
  const needItem = (): Item => {
    if (!item) throw new Skip('needs the uploaded item (upload failed)');
    return item;
  };
  const needReady = (): Item => {
    const it = needItem();
    if (it.status !== 'ready') throw new Skip(`needs a ready item (it is ${it.status})`);
    return it;
  };

  // The checks share the item they create through the closure, so they take no state.
  const checks: Check<void>[] = [
    {
      id: 'health',
      title: 'GET /health and /version open',
      async run() {
        const health = await apiCall<{ status?: string; database?: string }>(url, 'GET', '/health');
        expectStatus('GET /health', health, 200);
        if (health.body?.status !== 'ok') failed(`GET /health status is ${String(health.body?.status)}`);
        const version = await apiCall<{ version?: string; environment?: string }>(url, 'GET', '/version');
        expectStatus('GET /version', version, 200);
        return pass(
          `database ${health.body.database ?? '?'}; version ${version.body?.version ?? '?'} (${version.body?.environment ?? '?'})`,
        );
      },
    },
    {
      id: 'auth-required',
      title: 'GET /items without a token → 401 with the error shape',
      async run() {
        const res = await apiCall(url, 'GET', '/items');
        expectStatus('GET /items without a token', res, 401);
        // API Gateway's JWT authorizer answers {message} itself; the app answers {error}. Either
        // proves the route is closed; the app's shape is checked when it is the one answering.
        const body = res.body as { message?: string };
        if (typeof body?.message !== 'string') expectErrorShape('GET /items without a token', res);
        const bad = await apiCall(url, 'GET', '/items', { token: 'not.a.token' });
        expectStatus('GET /items with a malformed token', bad, 401);
        return pass('401 without a token and with a malformed one');
      },
    },
    {
      id: 'malformed-json',
      title: 'Malformed JSON → 400 with the error shape',
      async run() {
        const res = await fetch(`${url.replace(/\/+$/, '')}/search`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: '{"query": "ramen",',
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* checked below */
        }
        const r = { status: res.status, body, headers: res.headers };
        expectStatus('POST /search with malformed JSON', r, 400);
        expectErrorShape('POST /search with malformed JSON', r);
        return pass(`400 ${(body as { error: { code: string } }).error.code}`);
      },
    },
    {
      id: 'upload',
      title: 'Upload an image (POST /items/uploads + presigned POST, or POST /items)',
      async run() {
        const runId = randomUUID().slice(0, 8);
        const bytes = await uniqueTestImage(runId);
        const filename = `api-test-${runId}.png`;
        const ticket = await apiCall<Record<string, unknown>>(url, 'POST', UPLOADS_PATH, {
          token,
          json: { filename, content_type: 'image/png', size: bytes.length },
        });
        if (ticket.status === 201) {
          const { itemId, upload } = readUploadTicket(ticket.body);
          if (!itemId || !upload) failed(`POST ${UPLOADS_PATH} answered without an item id or form`);
          created.add(itemId!);
          const posted = await postToPresignedForm(upload!, { bytes, filename, contentType: 'image/png' });
          if (posted.status < 200 || posted.status >= 300) failed(`presigned POST → ${posted.status}: ${posted.text.slice(0, 200)}`);
          item = { id: itemId!, status: 'uploaded' };
          return pass(`item ${itemId} via the presigned POST (${bytes.length} bytes)`);
        }
        // The filesystem store (the local home) has no direct uploads: 503, use multipart.
        if (ticket.status !== 503) expectStatus(`POST ${UPLOADS_PATH}`, ticket, 201, 503);
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), filename);
        const res = await fetch(`${url.replace(/\/+$/, '')}/items`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: form,
          signal: AbortSignal.timeout(60_000),
        });
        const body = ItemShape.safeParse(await res.json().catch(() => undefined));
        if (res.status !== 201 || !body.success) failed(`POST /items → ${res.status}`);
        created.add(body.data!.id);
        item = body.data!;
        return pass(`item ${item.id} via POST /items (direct uploads: 503 here)`);
      },
    },
    {
      id: 'ready',
      title: 'The item becomes ready',
      async run() {
        const id = needItem().id;
        const t0 = Date.now();
        const seen: string[] = [];
        for (;;) {
          const res = await apiCall(url, 'GET', `/items/${id}`, { token });
          const parsed = ItemShape.safeParse(res.body);
          if (res.status === 200 && parsed.success) {
            item = parsed.data;
            if (seen[seen.length - 1] !== item.status) seen.push(item.status);
            if (item.status === 'failed') failed(`failed at ${item.failed_step ?? '?'}: ${item.error ?? ''}`);
            if (item.status === 'ready') return pass(`${seen.join(' → ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          } else if (res.status !== 404) {
            // 404 right after a direct upload is possible only in theory; anything else is wrong.
            expectStatus(`GET /items/${id}`, res, 200);
          }
          if (Date.now() - t0 > readyTimeoutMs) failed(`not ready after ${readyTimeoutMs / 1000} s (${seen.join(' → ') || 'no status'})`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      },
    },
    {
      id: 'list',
      title: 'GET /items lists it',
      async run() {
        const id = needItem().id;
        const res = await apiCall<{ items?: { id: string }[]; total?: number }>(url, 'GET', '/items?limit=100', { token });
        expectStatus('GET /items', res, 200);
        if (!res.body.items?.some((i) => i.id === id)) failed(`GET /items does not list ${id} (total ${res.body.total})`);
        return pass(`listed (total ${res.body.total ?? '?'})`);
      },
    },
    {
      id: 'item',
      title: 'GET /items/{id} with its analysis',
      async run() {
        const it = needReady();
        const headline = it.analysis?.headline;
        if (!headline) failed('the ready item has no analysis headline');
        return pass(`headline "${headline!.slice(0, 80)}"`);
      },
    },
    {
      id: 'thumbnail',
      title: 'The thumbnail is served',
      async run() {
        const it = needReady();
        if (!it.thumbnail_url) failed('the ready item has no thumbnail_url');
        const target = /^https?:/.test(it.thumbnail_url!) ? it.thumbnail_url! : `${url.replace(/\/+$/, '')}${it.thumbnail_url}`;
        const res = await fetch(target, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
        const bytes = new Uint8Array(await res.arrayBuffer());
        const type = res.headers.get('content-type') ?? '';
        if (res.status !== 200 || !type.startsWith('image/') || bytes.length === 0)
          failed(`thumbnail → ${res.status} ${type}, ${bytes.length} bytes`);
        return pass(`${type}, ${bytes.length} bytes`);
      },
    },
    {
      id: 'search',
      title: 'POST /search finds it by a word of its analysis',
      async run() {
        const it = needReady();
        const word = searchWord(`${it.analysis?.headline ?? ''} ${it.analysis?.summary ?? ''}`);
        if (!word) failed('the analysis has no word to search for');
        // The search row is written after `ready`'s embed step; allow it a few seconds.
        const deadline = Date.now() + 15_000;
        for (;;) {
          const res = await apiCall<{ results?: { item_id: string }[] }>(url, 'POST', '/search', {
            token,
            json: { query: word, search_type: 'bm25', top_k: 10 },
          });
          expectStatus('POST /search', res, 200);
          if (res.body.results?.some((r) => r.item_id === it.id)) return pass(`"${word}" (bm25) → found`);
          if (Date.now() > deadline) failed(`"${word}" (bm25) did not return the item`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      },
    },
    {
      id: 'isolation',
      title: 'Another user can neither see nor delete the item (404)',
      async run() {
        const id = needItem().id;
        const other = opts.tokens.other;
        if (!other) throw new Skip('no second user token');
        const get = await apiCall(url, 'GET', `/items/${id}`, { token: other });
        expectStatus("the other user's GET", get, 404);
        expectErrorShape("the other user's GET", get);
        const del = await apiCall(url, 'DELETE', `/items/${id}`, { token: other });
        expectStatus("the other user's DELETE", del, 404);
        const list = await apiCall<{ items?: { id: string }[] }>(url, 'GET', '/items?limit=100', { token: other });
        expectStatus("the other user's GET /items", list, 200);
        if (list.body.items?.some((i) => i.id === id)) failed("the item is in the other user's list");
        const still = await apiCall(url, 'GET', `/items/${id}`, { token });
        expectStatus('the owner’s GET after the other’s DELETE', still, 200);
        return pass('GET 404, DELETE 404, not listed; the owner still has it');
      },
    },
    {
      id: 'chat',
      title: 'POST /chat answers (when a chat model is configured)',
      async run() {
        const config = await apiCall<{ answer_available?: boolean }>(url, 'GET', '/search/config', { token });
        expectStatus('GET /search/config', config, 200);
        if (config.body.answer_available !== true) throw new Skip('no chat model configured (/search/config answer_available is false)');
        const res = await apiCall<{ session_id?: string; message?: string }>(url, 'POST', '/chat', {
          token,
          json: { message: 'What have I saved? One sentence.' },
          timeoutMs: 120_000,
        });
        expectStatus('POST /chat', res, 200);
        if (!res.body.session_id || !res.body.message) failed('POST /chat answered without session_id or message');
        await apiCall(url, 'DELETE', `/chat/${res.body.session_id}`, { token }).catch(() => undefined);
        return pass(`${res.body.message!.length} characters`);
      },
    },
    {
      id: 'delete',
      title: 'DELETE /items/{id}, then GET → 404',
      async run() {
        const id = needItem().id;
        const del = await apiCall(url, 'DELETE', `/items/${id}`, { token });
        expectStatus(`DELETE /items/${id}`, del, 200, 204);
        created.delete(id);
        const get = await apiCall(url, 'GET', `/items/${id}`, { token });
        expectStatus('GET after DELETE', get, 404);
        expectErrorShape('GET after DELETE', get);
        return pass('deleted; GET → 404');
      },
    },
  ];

  try {
    return await runInOrder(checks, undefined, opts.onResult ?? (() => undefined), (err) =>
      err instanceof Skip ? { status: 'skip', detail: err.message } : { status: 'fail', detail: errorText(err) },
    );
  } finally {
    for (const id of created) await apiCall(url, 'DELETE', `/items/${id}`, { token }).catch(() => undefined);
  }
}
