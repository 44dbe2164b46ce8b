import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';

/**
 * Remembers nonces for the replay window. A request with Timestamp T is
 * accepted until T + 30 min (the skew limit), so a nonce is kept until then.
 *
 * The store is an `lru-cache` with a TTL per nonce (`untilMs - now`), timed
 * by the injected clock:
 * - `has` checks the `untilMs` kept as the value, so a nonce is refused up to
 *   (and not including) `untilMs` exactly, whatever lru-cache's own rounding;
 * - expired nonces are purged (`purgeStale`) at most once a `sweepEveryMs`
 *   (default 60 s), in one pass, and no timers run (no `ttlAutopurge`);
 * - a hard cap (`maxEntries`, default 1 000 000, i.e. ~555 requests/s sustained
 *   over the window) bounds memory under any load. At the cap the expired
 *   nonces go first (a purge, at most once a second); only when every nonce
 *   held is still live is the least recently added one forgotten early, which
 *   reopens replay for that oldest one alone. Nonces arrive in about the order
 *   they expire (T is about the arrival time), so that one is also about the
 *   first to expire.
 */
export class NonceCache {
  /** nonce → untilMs. */
  private readonly seen: LRUCache<string, number>;
  private nextSweep = 0;
  private nextFullPurge = 0;

  constructor(
    private readonly clock: Clock,
    /** Sweep interval, ms. Default 60 000. */
    private readonly sweepEveryMs = 60_000,
    /** Most nonces held. Default 1 000 000. */
    private readonly maxEntries = 1_000_000,
  ) {
    // lru-cache reads time through `perf.now()`. It treats a start time of 0
    // as "no TTL", so its time base is the injected clock counted from here,
    // plus 1 ms (a test clock may start at 0). `ttlResolution: 0`: read the
    // clock on every check, no caching timer. `maxSize` with a size of 1 per
    // entry is a cap of `maxEntries` without preallocating `maxEntries` slots.
    const origin = clock();
    this.seen = new LRUCache<string, number>({
      maxSize: maxEntries,
      sizeCalculation: () => 1,
      ttlResolution: 0,
      perf: { now: () => clock() - origin + 1 },
    });
  }

  /** True when the nonce was accepted before and is still inside its window. */
  has(nonce: string): boolean {
    const until = this.seen.peek(nonce);
    return until !== undefined && until > this.clock();
  }

  /** Records a nonce as used until `untilMs` (a window already over is not recorded: it would not be refused). */
  add(nonce: string, untilMs: number): void {
    const now = this.clock();
    if (now >= this.nextSweep) {
      this.seen.purgeStale();
      this.nextSweep = now + this.sweepEveryMs;
    } else if (this.seen.size >= this.maxEntries && now >= this.nextFullPurge) {
      this.seen.purgeStale();
      this.nextFullPurge = now + 1000;
    }
    if (untilMs <= now) return;
    this.seen.set(nonce, untilMs, { ttl: untilMs - now });
  }

  /** How many nonces are held, expired ones not yet swept included (for tests and the ledger view). */
  get size(): number {
    return this.seen.size;
  }
}
