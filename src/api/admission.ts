import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from './errors.js';

/**
 * Admission control for the laptop server, where one JavaScript thread runs the HTTP server
 * and PGlite both. Measured with bench:load (50 keep-alive connections): without it, PGlite's
 * queries complete synchronously, so the server handles request after request without ever
 * returning to the event loop, and the requests that arrive meanwhile wait in the sockets'
 * buffers, in no fair order: p99 0.85 s and requests over 10 s. A bare Node server doing 3 ms
 * of synchronous work per request shows the same tail (max 3.3 s); the same server taking its
 * requests from a FIFO queue, one per turn of the event loop, has none (max 0.27 s).
 *
 * So the short, database-bound requests (reads and searches) go through one FIFO queue:
 * - at most `concurrency` run at once, and the next starts on a later turn of the event loop,
 *   which lets Node read every socket in between: each request joins the queue as it arrives;
 * - one that would wait longer than `maxWaitMs` (the queue ahead of it at the recent time per
 *   request) is answered at once with 503 and Retry-After: 1, instead of joining a queue it
 *   would time out in.
 * Long requests (uploads, chat turns, analyses: seconds of model or image work) bypass it, so
 * they never hold the queue up. Lambda serves one request per instance and does not use it.
 */
export interface AdmissionOptions {
  concurrency: number;
  maxWaitMs: number;
}

export class AdmissionQueue {
  private running = 0;
  private readonly waiting: { start: () => void; kind: string }[] = [];
  /**
   * Recent time per request of each kind (a search costs ~10× a list here), exponentially
   * weighted: they predict the wait in the queue.
   */
  private readonly serviceMs = new Map<string, number>();
  private pumping = false;
  shed = 0;

  constructor(private readonly options: AdmissionOptions) {}

  private costOf(kind: string): number {
    return this.serviceMs.get(kind) ?? 10;
  }

  /** How long a request arriving now would wait before it runs. */
  predictedWaitMs(): number {
    return this.waiting.reduce((sum, w) => sum + this.costOf(w.kind), 0) / this.options.concurrency;
  }

  /**
   * Resolves with a release function once the request may run; null when it is shed. Even an
   * idle server starts it on the next turn: requests that run straight away in the turn that
   * read them are how the unfair tail formed (see above).
   */
  async admit(kind = 'request'): Promise<(() => void) | null> {
    if (this.waiting.length > 0 && this.predictedWaitMs() + this.costOf(kind) > this.options.maxWaitMs) {
      this.shed++;
      return null;
    }
    await new Promise<void>((resolve) => {
      this.waiting.push({ start: resolve, kind });
      this.schedule();
    });
    const started = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.serviceMs.set(kind, 0.9 * this.costOf(kind) + 0.1 * (performance.now() - started));
      this.running--;
      this.schedule();
    };
  }

  /** Starts waiting requests on a later turn of the event loop (see above: Node reads its sockets in between). */
  private schedule() {
    if (this.pumping || this.waiting.length === 0) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      while (this.running < this.options.concurrency && this.waiting.length > 0) {
        this.running++;
        this.waiting.shift()!.start();
      }
    });
  }
}

/**
 * The short, database-bound requests: reads and searches. Everything else bypasses the queue:
 * liveness, chat, writes, and images (a page asks for 48 thumbnails at once; each is one
 * indexed row and a file, and shedding them would leave holes in the grid).
 */
export function isQueuedRequest(c: Context): boolean {
  const { method, path } = c.req;
  if (path === '/health' || path === '/version') return false;
  if (/\/(image|thumbnail)$/.test(path) || path.startsWith('/images/')) return false;
  if (method === 'GET') return !path.startsWith('/chat');
  return method === 'POST' && path === '/search';
}

export function admissionMiddleware(queue: AdmissionQueue): MiddlewareHandler {
  return async (c, next) => {
    if (!isQueuedRequest(c)) return next();
    const release = await queue.admit(`${c.req.method} ${c.req.path.startsWith('/search') ? '/search' : c.req.path.split('/')[1]}`);
    if (!release) return c.json(errorBody('overloaded', 'The server is busy; try again in a second.'), 503, { 'Retry-After': '1' });
    try {
      await next();
    } finally {
      release();
    }
  };
}
