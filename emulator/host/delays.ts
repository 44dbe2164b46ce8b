/**
 * Cancellable sleeps for the host (fault latency, the `slow` card). Closing
 * the host ends every pending sleep at once, so shutdown never waits 15 s.
 */
export class Delays {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  /** Resolves after `ms`, or at once when {@link cancelAll} runs. */
  readonly delay = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, resolve);
    });

  cancelAll(): void {
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve();
    }
    this.pending.clear();
  }
}
