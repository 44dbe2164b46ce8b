import type { Clock } from './clock.js';

/**
 * Remembers nonces for the replay window. A request with Timestamp T is
 * accepted until T + 30 min (the skew limit), so a nonce is kept until then.
 * Memory is bounded by the request rate times the window: expired nonces are
 * swept at most once a `sweepEveryMs` (default 60 s), in one pass. A hard cap
 * (`maxEntries`, default 1 000 000, i.e. ~555 requests/s sustained over the
 * window) bounds memory under any load: past it the oldest nonces are
 * forgotten early, which only reopens replay for those oldest ones.
 */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;

  constructor(
    private readonly clock: Clock,
    /** Sweep interval, ms. Default 60 000. */
    private readonly sweepEveryMs = 60_000,
    /** Most nonces held. Default 1 000 000. */
    private readonly maxEntries = 1_000_000,
  ) {}

  /** True when the nonce was accepted before and is still inside its window. */
  has(nonce: string): boolean {
    const until = this.seen.get(nonce);
    return until !== undefined && until > this.clock();
  }

  /** Records a nonce as used until `untilMs`. */
  add(nonce: string, untilMs: number): void {
    const now = this.clock();
    if (now >= this.nextSweep) {
      for (const [n, until] of this.seen) if (until <= now) this.seen.delete(n);
      this.nextSweep = now + this.sweepEveryMs;
    }
    if (this.seen.size >= this.maxEntries) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    this.seen.set(nonce, untilMs);
  }

  /** How many nonces are held (for tests and the ledger view). */
  get size(): number {
    return this.seen.size;
  }
}
