/**
 * Time for the chat tables comes only from the injected clock, passed to SQL as parameters
 * (never SQL `now()`), so tests can move a fake clock and every statement of one operation
 * agrees on what is expired.
 */
export interface Stamp {
  /** The operation's instant: rows with `expires_at <= now` are expired. */
  now: string;
  /** `now + ttl`: the expiry of what the operation writes or refreshes. */
  expiresAt: string;
}

export class Expiry {
  constructor(
    readonly ttlMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    if (!(ttlMs > 0)) throw new Error(`chat ttlMs must be positive, got ${ttlMs}`);
  }

  /** Reads the clock once for one operation. */
  stamp(): Stamp {
    const now = this.clock();
    return { now: now.toISOString(), expiresAt: new Date(now.getTime() + this.ttlMs).toISOString() };
  }

  /** An expiry `ms` from now (a turn's hold). */
  after(ms: number): Stamp {
    const now = this.clock();
    return { now: now.toISOString(), expiresAt: new Date(now.getTime() + ms).toISOString() };
  }
}
