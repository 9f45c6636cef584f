import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { AdmissionQueue, admissionMiddleware } from '../../src/api/admission.js';

/** Synchronous work, as PGlite's queries are: nothing else runs while it does. */
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
};

/** How many chat turns are running at once, and the most there were. */
const chatTurns = { inside: 0, most: 0 };

function app(queue: AdmissionQueue, order: string[] = []) {
  const a = new Hono();
  a.use('*', admissionMiddleware(queue));
  a.get('/items', (c) => {
    busy(20);
    order.push(c.req.query('n') ?? '');
    return c.json({ ok: true });
  });
  a.post('/search', (c) => {
    busy(20);
    return c.json({ ok: true });
  });
  a.post('/chat', async (c) => {
    // A model call: long, and not queued. Each turn waits (up to 3 s) until three are running at
    // once, so turns queued one behind another would show as `most` 1, whatever the machine's load.
    chatTurns.inside += 1;
    chatTurns.most = Math.max(chatTurns.most, chatTurns.inside);
    for (let waited = 0; chatTurns.most < 3 && waited < 3000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    chatTurns.inside -= 1;
    return c.json({ ok: true });
  });
  a.get('/health', (c) => c.json({ ok: true }));
  a.get('/items/:id/thumbnail', (c) => c.json({ ok: true }));
  return a;
}

describe('the admission queue (issue 15 part 7)', () => {
  it('serves reads and searches in the order they came, one at a time', async () => {
    const order: string[] = [];
    const a = app(new AdmissionQueue({ concurrency: 1, maxWaitMs: 10_000 }), order);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, n) => a.request(`/items?n=${n}`)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(order).toEqual(['0', '1', '2', '3', '4', '5']);
  });

  it('answers 503 with Retry-After at once when the wait ahead is over budget, and serves the rest', async () => {
    const queue = new AdmissionQueue({ concurrency: 1, maxWaitMs: 100 });
    const a = app(queue);
    // Teach it what a search costs (~20 ms), then send 20 at once: ~5 fit in 100 ms.
    for (let i = 0; i < 5; i++) await a.request('/search', { method: 'POST' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => a.request('/search', { method: 'POST' })));
    const shed = answers.filter((r) => r.status === 503);
    const served = answers.filter((r) => r.status === 200).length;
    expect(served).toBeGreaterThanOrEqual(3);
    // Only what fits the budget is served (~5, a little slack), not the whole burst. A count, not
    // a time: on a loaded machine each search takes longer, and the queue serves fewer, not more.
    expect(served).toBeLessThanOrEqual(8);
    expect(shed.length).toBe(20 - served);
    expect(shed[0]!.headers.get('retry-after')).toBe('1');
    expect(await shed[0]!.json()).toMatchObject({ error: { code: 'overloaded', message: expect.any(String) } });
    expect(queue.shed).toBe(shed.length);
  });

  it('lets long requests and liveness past the queue', async () => {
    const a = app(new AdmissionQueue({ concurrency: 1, maxWaitMs: 50 }));
    const chats = Promise.all([1, 2, 3].map(() => a.request('/chat', { method: 'POST' })));
    // Three chat turns at once run side by side, not queued behind each other (nor shed).
    expect((await chats).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(chatTurns.most).toBe(3);
    expect((await a.request('/health')).status).toBe(200);
    // A page's 48 thumbnails at once: none shed.
    const thumbs = await Promise.all(Array.from({ length: 48 }, (_, i) => a.request(`/items/${i}/thumbnail`)));
    expect(thumbs.every((r) => r.status === 200)).toBe(true);
  });
});
