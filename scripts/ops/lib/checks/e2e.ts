/** The end-to-end check: an upload goes through the whole pipeline and becomes searchable. */
import { randomUUID } from 'node:crypto';
import { apiCall, postToPresignedForm } from '../api-client.js';
import { OUTPUT_KEYS } from '../stack.js';
import {
  UPLOADS_PATH,
  fail,
  output,
  pass,
  readUploadTicket,
  skip,
  uniqueTestImage,
  type InfraCheck,
  type ItemWire,
  type UploadTicketResponse,
} from './shared.js';

export const e2eUploadCheck: InfraCheck = {
  id: 'e2e-upload',
  title: 'End to end: presigned upload → processed → searchable',
  async run(state) {
    const url = output(state, OUTPUT_KEYS.apiUrl);
    if (!url) return skip(`no ${OUTPUT_KEYS.apiUrl} output`);
    if (!state.user) return skip('needs the cognito check (a signed-in test user)');
    const token = state.user.idToken;
    const runId = randomUUID().slice(0, 8);
    const bytes = await uniqueTestImage(runId);
    const notes: string[] = [];
    const t0 = Date.now();
    const ticket = await apiCall<UploadTicketResponse>(url, 'POST', UPLOADS_PATH, {
      token,
      json: { filename: `infra-test-${runId}.png`, content_type: 'image/png', size: bytes.length },
    });
    if (ticket.status !== 201 && ticket.status !== 200)
      return fail(`POST ${UPLOADS_PATH} → ${ticket.status}: ${JSON.stringify(ticket.body).slice(0, 300)}`);
    const { itemId, upload } = readUploadTicket(ticket.body);
    if (!itemId || !upload)
      return fail(`POST ${UPLOADS_PATH} answered without an item id or upload form: ${JSON.stringify(ticket.body).slice(0, 300)}`);
    state.cleanups.push(async () => void (await apiCall(url, 'DELETE', `/items/${itemId}`, { token }).catch(() => undefined)));
    const posted = await postToPresignedForm(upload, { bytes, filename: `infra-test-${runId}.png`, contentType: 'image/png' });
    notes.push(`item ${itemId}; S3 POST → ${posted.status} after ${Date.now() - t0} ms`);
    if (posted.status < 200 || posted.status >= 300)
      return fail(`the presigned POST to S3 answered ${posted.status}: ${posted.text.slice(0, 300)}`, notes);
    const t1 = Date.now();
    const deadline = t1 + state.e2eTimeoutSeconds * 1000;
    let item: ItemWire | undefined;
    const seen: string[] = [];
    while (Date.now() < deadline) {
      const res = await apiCall<ItemWire>(url, 'GET', `/items/${itemId}`, { token });
      if (res.status === 200) {
        item = res.body;
        if (seen[seen.length - 1] !== item.status) seen.push(`${item.status} @${((Date.now() - t1) / 1000).toFixed(1)} s`);
        if (item.status === 'ready' || item.status === 'failed') break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    notes.push(`statuses: ${seen.join(' → ') || '(none)'}`);
    if (item?.status === 'failed') return fail(`the pipeline failed at ${item.failed_step ?? '?'}: ${item.error ?? ''}`, notes);
    if (item?.status !== 'ready') {
      return fail(
        `not ready after ${state.e2eTimeoutSeconds} s (last status ${item?.status ?? 'unknown'}); EventBridge delivery or a step is slow or failing: see ops logs`,
        notes,
      );
    }
    const headline = item.analysis?.headline ?? item.analysis?.raw?.headline ?? '';
    const query = headline.trim() || 'Collections infrastructure test';
    // Searchable = found by the words of its own analysis (bm25), and listed by hybrid search.
    let found = false;
    let searchStatus = 0;
    while (!found && Date.now() < deadline + 5000) {
      const res = await apiCall<{ results?: { item_id: string }[] }>(url, 'POST', '/search', {
        token,
        json: { query, search_type: 'bm25', top_k: 10 },
      });
      searchStatus = res.status;
      found = res.status === 200 && !!res.body.results?.some((r) => r.item_id === itemId);
      if (!found) await new Promise((r) => setTimeout(r, 1000));
    }
    const total = (Date.now() - t0) / 1000;
    notes.push(
      `search "${query.slice(0, 80)}" (bm25) → ${searchStatus}, ${found ? 'found' : 'not found'}; ${total.toFixed(1)} s from upload request`,
    );
    if (!found) return fail(`ready, but POST /search did not return the item (status ${searchStatus})`, notes);
    return pass(`ready and found by search ${total.toFixed(1)} s after the upload request (limit ${state.e2eTimeoutSeconds} s)`, notes);
  },
};
