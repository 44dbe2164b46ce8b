/** Retry delays: exponential with jitter. */
export interface BackoffOptions {
  /** First delay, ms. Default 500. */
  baseMs?: number;
  /** Largest delay, ms. Default 30000. */
  maxMs?: number;
  /** Fraction of the delay taken off at random (0 = none, 1 = full jitter). Default 0.2. */
  jitter?: number;
}

/** Delay before retry number `attempt` (1 = first retry); `random` in [0, 1). */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: number): number {
  const base = opts.baseMs ?? 500;
  const max = opts.maxMs ?? 30_000;
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.2));
  const raw = Math.min(max, base * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.max(1, Math.round(raw * (1 - jitter * random)));
}
