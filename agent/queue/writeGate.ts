import { QueueError } from './queueError.js';
import type { FinalState } from './queueTypes.js';
import type { SettledSignal } from './settledSignal.js';
import type { StorageHealth } from './storageHealth.js';

/**
 * The one way a queue write runs: refused once the queue is closed, its
 * storage failures typed and the queue's health kept (StorageHealth.run);
 * once the outermost write of a nesting has committed, the operations it
 * settled wake their `whenSettled` waiters (SettledSignal), and the work
 * listeners (the forwarder) hear of new or freed work. A failed write wakes nobody.
 */
export class WriteGate {
  readonly #health: StorageHealth;
  readonly #settled: SettledSignal;
  readonly #listeners = new Set<() => void>();
  /** Operations settled by the write in progress, fired once its outermost write committed. */
  #justSettled: [number, FinalState][] = [];
  #depth = 0;
  #closed = false;

  constructor(health: StorageHealth, settled: SettledSignal) {
    this.#health = health;
    this.#settled = settled;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs one write; `proof`: it surely wrote (not a claim or an update that may match no row), so it proves the store writable again. */
  run<T>(fn: () => T, proof = true): T {
    if (this.#closed) throw new QueueError('QUEUE_ERR_CLOSED', 'the queue is closed');
    this.#depth++;
    let ok = false;
    try {
      const out = this.#health.run(fn, proof);
      ok = true;
      return out;
    } finally {
      if (--this.#depth === 0) {
        const settled = this.#justSettled.splice(0);
        if (ok) for (const [id, state] of settled) this.#settled.fire(id, state);
      }
    }
  }

  /** Operation `id` reached `state` in the write in progress: its waiters wake after the commit. */
  settledInWrite(id: number, state: FinalState): void {
    this.#justSettled.push([id, state]);
  }

  /** Forgets what a write outside `run` settled (boot recovery: nobody waits yet). */
  forgetSettled(): void {
    this.#justSettled = [];
  }

  /** Called after each commit that adds or frees work (the forwarder wakes up). Returns an unsubscribe function. */
  onWork(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Wakes the work listeners, deferred to a microtask so that they run after the enclosing transaction committed. */
  emit(): void {
    if (this.#listeners.size === 0) return;
    queueMicrotask(() => {
      for (const l of this.#listeners) l();
    });
  }

  /** Refuses every later write, drops the listeners and ends every wait (with null). */
  close(): void {
    this.#closed = true;
    this.#listeners.clear();
    this.#settled.endAll();
  }
}
