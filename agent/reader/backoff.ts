/** Reopen delay after `attempt` failures (0-based): 100 ms doubling to at most 5 s by default. */
export function backoffDelay(attempt: number, minMs = 100, maxMs = 5000): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
}
