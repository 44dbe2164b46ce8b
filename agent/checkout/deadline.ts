/** The result of racing work against a deadline. */
export type Raced<T> = { done: true; value: T } | { done: false };

/**
 * Races `work` against `ms` milliseconds. When the deadline wins, the work
 * keeps running; its eventual rejection is handed to `onLate` so it is never
 * an unhandled rejection.
 */
export async function raceDeadline<T>(work: Promise<T>, ms: number, onLate?: (err: unknown) => void): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<Raced<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, ms));
  });
  const finished = work.then((value): Raced<T> => ({ done: true, value }));
  try {
    const r = await Promise.race([finished, expired]);
    if (!r.done) finished.catch((err: unknown) => onLate?.(err));
    return r;
  } finally {
    clearTimeout(timer);
  }
}
