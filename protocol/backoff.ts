/** Retry delays, exponential with optional jitter: the one backoff of the reader, the forwarder and the webhook sender. */
export interface BackoffOptions {
  /** Delay before the first retry, ms. Default 500. */
  baseMs?: number;
  /** Largest delay, ms. Default 30000. */
  maxMs?: number;
  /** Fraction of the delay taken off at random (0 = none, 1 = full jitter). Default 0.2. */
  jitter?: number;
}

/**
 * Delay before retry number `retry`: 1 is the first retry (after the first
 * failure), and it waits `baseMs`; each later retry doubles, up to `maxMs`.
 * `random` in [0, 1) takes off up to `jitter` of the delay. Never below 1 ms.
 */
export function backoffDelay(retry: number, opts: BackoffOptions, random = 0): number {
  const base = opts.baseMs ?? 500;
  const max = opts.maxMs ?? 30_000;
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.2));
  const raw = Math.min(max, base * 2 ** Math.min(30, Math.max(0, retry - 1)));
  return Math.max(1, Math.round(raw * (1 - jitter * random)));
}
