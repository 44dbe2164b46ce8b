import { backoffDelay } from '../../../protocol/index.js';

/** How webhook deliveries are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 6. */
  maxAttempts: number;
  /** Delay after the first failed attempt, ms; it doubles after each further failure. Default 200. */
  baseMs: number;
  /** Upper bound of a delay, ms. Default 10 000. */
  capMs: number;
  /** Time allowed for one attempt (headers and body), ms. Default 10 000. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseMs: 200, capMs: 10_000, timeoutMs: 10_000 };

/**
 * The wait before attempt `failed + 1` after attempt number `failed` (1-based)
 * failed: `min(capMs, baseMs * 2^(failed-1))`. With the defaults:
 * 200, 400, 800, 1600, 3200 ms. No jitter: one host, one receiver, and tests
 * can assert the exact schedule.
 */
export function retryDelayMs(failed: number, policy: RetryPolicy): number {
  return backoffDelay(failed, { baseMs: policy.baseMs, maxMs: policy.capMs, jitter: 0 });
}

/** Timers the sender uses; injectable so tests drive the schedule. */
export interface RetryScheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real timers (`unref`'d so a pending retry never holds the process open). */
export const realScheduler: RetryScheduler = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
