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
    await new Promise((r) => setTimeout(r, 300)); // a model call: long, and not queued
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
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 20 }, () => a.request('/search', { method: 'POST' })));
    const shed = answers.filter((r) => r.status === 503);
    expect(shed.length).toBeGreaterThan(5);
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(3);
    expect(shed[0]!.headers.get('retry-after')).toBe('1');
    expect(await shed[0]!.json()).toMatchObject({ error: { code: 'overloaded', message: expect.any(String) } });
    // What was served was served within the budget (plus its own work and slack), not after the whole burst.
    expect(performance.now() - started).toBeLessThan(20 * 20);
    expect(queue.shed).toBe(shed.length);
  });

  it('lets long requests and liveness past the queue', async () => {
    const a = app(new AdmissionQueue({ concurrency: 1, maxWaitMs: 50 }));
    const chats = Promise.all([1, 2, 3].map(() => a.request('/chat', { method: 'POST' })));
    // Three 300 ms chat turns at once are not queued behind each other (nor shed).
    const t = performance.now();
    expect((await chats).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(performance.now() - t).toBeLessThan(800);
    expect((await a.request('/health')).status).toBe(200);
    // A page's 48 thumbnails at once: none shed.
    const thumbs = await Promise.all(Array.from({ length: 48 }, (_, i) => a.request(`/items/${i}/thumbnail`)));
    expect(thumbs.every((r) => r.status === 200)).toBe(true);
  });
});
