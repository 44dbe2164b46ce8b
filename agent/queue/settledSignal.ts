import type { Clock } from '../../protocol/index.js';
import type { FinalState } from './queueTypes.js';

/** How long `whenSettled` waits: until `deadline` (epoch ms, on the queue's clock) or until `signal` aborts, whichever comes first. */
export interface SettleWait {
  /** Epoch ms on the queue's clock. Default: no deadline. */
  deadline?: number;
  /** Ends the wait when aborted. Default: none. */
  signal?: AbortSignal;
}

interface Waiter {
  resolve: (state: FinalState | null) => void;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * Waiters for operations to reach a final state (done, dead, abandoned). The
 * queue fires it after the commit that settled them, from the one place that
 * settles operations (SendLifecycle). Deadlines are read on the injected clock.
 */
export class SettledSignal {
  readonly #now: Clock;
  readonly #waiters = new Map<number, Set<Waiter>>();

  constructor(now: Clock) {
    this.#now = now;
  }

  /**
   * Resolves with the final state operation `id` reaches, or with null when
   * the wait ends first. `current` is its final state now, if it has one
   * (then it resolves at once).
   */
  wait(id: number, current: FinalState | null, opts: SettleWait): Promise<FinalState | null> {
    if (current !== null) return Promise.resolve(current);
    if (opts.signal?.aborted === true) return Promise.resolve(null);
    if (opts.deadline !== undefined && this.#now() >= opts.deadline) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter: Waiter = { resolve, timer: undefined, signal: opts.signal, onAbort: () => this.#end(id, waiter, null) };
      let set = this.#waiters.get(id);
      if (set === undefined) this.#waiters.set(id, (set = new Set()));
      set.add(waiter);
      opts.signal?.addEventListener('abort', waiter.onAbort, { once: true });
      if (opts.deadline !== undefined) this.#arm(id, waiter, opts.deadline);
    });
  }

  /** Operation `id` reached `state`, in a committed transaction. */
  fire(id: number, state: FinalState): void {
    const set = this.#waiters.get(id);
    if (set === undefined) return;
    for (const w of [...set]) this.#end(id, w, state);
  }

  /** Ends every wait (the queue closes): each resolves with null. */
  endAll(): void {
    for (const [id, set] of [...this.#waiters]) for (const w of [...set]) this.#end(id, w, null);
  }

  /** Times out at `deadline` as the clock reads it: a timer may fire early on a moved clock, so it re-arms. */
  #arm(id: number, waiter: Waiter, deadline: number): void {
    const left = deadline - this.#now();
    if (left <= 0) return this.#end(id, waiter, null);
    waiter.timer = setTimeout(() => this.#arm(id, waiter, deadline), left);
    waiter.timer.unref();
  }

  #end(id: number, waiter: Waiter, state: FinalState | null): void {
    const set = this.#waiters.get(id);
    if (set === undefined || !set.delete(waiter)) return;
    if (set.size === 0) this.#waiters.delete(id);
    clearTimeout(waiter.timer);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve(state);
  }
}
