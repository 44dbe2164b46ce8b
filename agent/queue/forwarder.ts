import type { Logger } from 'pino';
import type { HostClient } from '../host/hostClient.js';
import { backoffDelay, type BackoffOptions } from '../../protocol/backoff.js';
import type { FlushResult, ForwarderCounters, ForwarderOptions } from './forwarderOptions.js';
import { describeSendError, sendChain, type ChainContext, type Tally } from './chainSender.js';
import type { OperationQueue } from './operationQueue.js';
import type { ClaimedOperation, Settlement } from './queueTypes.js';

export type { FlushResult, ForwarderCounters, ForwarderOptions } from './forwarderOptions.js';

/** Outcomes left uncommitted longer than this are committed without waiting for the next claim, ms. */
const COMMIT_AFTER_MS = 1000;

/** One drive of the pump: the background one, or a flush (which ignores `online` and backoff, up to `dueBy`). */
interface Run {
  flushing: boolean;
  dueBy: number | undefined;
  tally: Tally;
  ctx: ChainContext;
  /** Called after each chain: start more, or notice the end. */
  next: () => void;
}

/**
 * Drains the queue to the host (rule 7): bounded concurrency, FIFO per card,
 * exponential backoff with jitter, dead-letter on rejection or age, outcomes
 * as the one outcome table says (decideOutcome), and a probe that brings it
 * back online within about probeIntervalMs of the host's return.
 *
 * Work is claimed for many cards in one transaction (neighbouring rows, so
 * few pages per commit) and sent `concurrency` cards at a time. Outcomes of
 * earnings, redemptions and reversals are committed with the next claim, when
 * the pump goes idle, or after a second: a crash before that commit only resends them with
 * the same transactionId, which the host applies once. A burn's outcome is
 * committed at once.
 */
export class Forwarder {
  readonly #q: OperationQueue;
  readonly #host: HostClient;
  readonly #concurrency: number;
  readonly #claimCards: number;
  readonly #backoff: BackoffOptions;
  readonly #maxAgeMs: number;
  readonly #lateOriginalMs: number;
  readonly #probeMs: number;
  readonly #chainLength: number;
  readonly #log: Logger | undefined;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #active = new Set<Promise<void>>();
  readonly #onlineListeners = new Set<(online: boolean) => void>();
  /** Claimed chains not started yet. */
  #backlog: ClaimedOperation[][] = [];
  /** Outcomes not committed yet, the oldest finished at #doneSince. */
  #done: Settlement[] = [];
  #doneSince = 0;
  #online = false;
  #running = false;
  /** Consecutive storage failures (disk full, I/O, damage): the pump backs off on them as on host errors. */
  #storageFailures = 0;
  #flushing = 0;
  #flushes: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #probeTimer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  readonly #bg: Run;

  constructor(opts: ForwarderOptions) {
    this.#q = opts.queue;
    this.#host = opts.host;
    this.#concurrency = Math.max(1, Math.trunc(opts.concurrency ?? 8));
    this.#claimCards = Math.max(1, Math.trunc(opts.claimCards ?? Math.max(64, 4 * this.#concurrency)));
    this.#backoff = opts.backoff ?? {};
    this.#maxAgeMs = (opts.maxAgeS ?? 604_800) * 1000;
    this.#lateOriginalMs = opts.lateOriginalMs ?? 60_000;
    this.#probeMs = opts.probeIntervalMs ?? 1000;
    this.#chainLength = Math.max(1, Math.trunc(opts.chainLength ?? 32));
    this.#log = opts.logger?.child({ component: 'forwarder' });
    this.#now = opts.now ?? (() => this.#q.now);
    this.#random = opts.random ?? Math.random;
    this.#bg = this.#run(false, undefined, () => this.#kick());
  }

  /** True once the host answered (a probe or a send) and until a send fails to reach it. */
  get online(): boolean {
    return this.#online;
  }

  /** Called with the new state whenever `online` changes. Returns an unsubscribe function. */
  onOnlineChange(listener: (online: boolean) => void): () => void {
    this.#onlineListeners.add(listener);
    return () => this.#onlineListeners.delete(listener);
  }

  /** Starts forwarding in the background: probes the host first. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = this.#q.onWork(() => this.#kick());
    this.#probe();
  }

  /** Stops claiming work; in-flight sends finish and their outcomes are recorded; claimed but unsent items are released. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    clearTimeout(this.#timer);
    clearTimeout(this.#probeTimer);
    await this.#quiesce();
  }

  /** Forwards all pending work now, ignoring backoff and the online flag. Each item is tried at most once. */
  flush(): Promise<FlushResult> {
    const result = this.#flushes.then(() => this.#flushNow());
    this.#flushes = result.catch(() => undefined);
    return result;
  }

  counters(): ForwarderCounters {
    const s = this.#q.stats();
    const { sent, retried, dead, expired } = s.counters;
    return { sent, retried, dead, expired, oldestPendingAgeS: s.oldestPendingAgeS };
  }

  async #flushNow(): Promise<FlushResult> {
    this.#flushing++;
    try {
      await this.#quiesce();
      const cutoff = this.#now();
      this.#q.expediteAll();
      const tally: Tally = { sent: 0, failed: 0, dead: 0 };
      await new Promise<void>((resolve) => {
        const run = this.#run(true, cutoff, () => {
          this.#fill(run);
          if (this.#active.size === 0) resolve();
        }, tally);
        run.next();
      });
      return tally;
    } finally {
      this.#flushing--;
      this.#kick();
    }
  }

  #run(flushing: boolean, dueBy: number | undefined, next: () => void, tally: Tally = { sent: 0, failed: 0, dead: 0 }): Run {
    const ctx: ChainContext = {
      host: this.#host,
      backoff: this.#backoff,
      maxAgeMs: this.#maxAgeMs,
      lateOriginalMs: this.#lateOriginalMs,
      now: this.#now,
      random: this.#random,
      log: this.#log,
      keepGoing: flushing ? () => true : () => this.#running && this.#online,
      setOnline: (online) => this.#setOnline(online),
      markSent: (id, burn) => this.#q.markSent(id, burn),
      commit: (items) => this.#commit(items),
    };
    return { flushing, dueBy, tally, ctx, next };
  }

  /** Waits for the chains in flight, releases the claimed backlog and commits every outcome. */
  async #quiesce(): Promise<void> {
    while (this.#active.size > 0) await Promise.all([...this.#active]);
    this.#releaseBacklog();
    this.#commit([]);
  }

  /** Starts chains up to `concurrency`, claiming more (with the pending outcomes, one commit) when the backlog is empty. */
  #fill(run: Run): void {
    while (this.#active.size < this.#concurrency && (run.flushing || (this.#running && this.#online && this.#flushing === 0))) {
      if (this.#backlog.length === 0) {
        const outcomes = this.#done.splice(0);
        try {
          this.#backlog = this.#q.settleAndClaim(outcomes, { maxCards: this.#claimCards, chainLength: this.#chainLength, ...(run.dueBy === undefined ? {} : { dueBy: run.dueBy }) });
          this.#storageFailures = 0;
        } catch (err) {
          this.#done.unshift(...outcomes);
          if (this.#storageFailures++ === 0) this.#log?.error({ err: describeSendError(err) }, 'could not record send outcomes or claim work; backing off');
          break;
        }
        if (this.#backlog.length === 0) break;
      }
      const chain = this.#backlog.shift() as ClaimedOperation[];
      const p: Promise<void> = sendChain(run.ctx, chain, run.tally)
        .then(
          (outcomes) => {
            if (this.#done.length === 0) this.#doneSince = this.#now();
            for (const o of outcomes) this.#done.push(o);
            // Bound how long outcomes wait for the next claim (a long backlog on a slow host).
            if (this.#now() - this.#doneSince >= COMMIT_AFTER_MS) this.#commit([]);
          },
          (err: unknown) => this.#log?.error({ err: describeSendError(err) }, 'sending a chain failed unexpectedly'),
        )
        .finally(() => {
          this.#active.delete(p);
          run.next();
        });
      this.#active.add(p);
    }
    if (this.#active.size === 0) this.#commit([]);
  }

  #kick(): void {
    if (this.#flushing > 0) return;
    if (!this.#running || !this.#online) {
      // Not sending: whatever was claimed goes back, and finished outcomes are made durable.
      if (this.#active.size === 0) {
        this.#releaseBacklog();
        this.#commit([]);
      }
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#fill(this.#bg);
    if (this.#active.size === 0) {
      let wait: number | undefined;
      if (this.#storageFailures > 0) {
        wait = backoffDelay(this.#storageFailures, this.#backoff, this.#random());
      } else {
        let due: number | null = null;
        try {
          due = this.#q.nextDueAt();
        } catch {
          this.#storageFailures++;
          due = this.#now() + backoffDelay(this.#storageFailures, this.#backoff, this.#random());
        }
        if (due !== null) wait = Math.max(0, Math.min(due - this.#now(), 60_000));
      }
      if (wait !== undefined) {
        this.#timer = setTimeout(() => this.#kick(), wait);
        this.#timer.unref();
      }
    }
  }

  #releaseBacklog(): void {
    for (const chain of this.#backlog.splice(0)) for (const op of chain) this.#done.push({ id: op.id, outcome: 'release' });
  }

  /** Commits `items` and every pending outcome now. On failure they stay pending (rows stay 'sending'; recovered at the next open). */
  #commit(items: Settlement[]): void {
    for (const o of items) this.#done.push(o);
    if (this.#done.length === 0) return;
    const all = this.#done.splice(0);
    try {
      this.#q.settle(all);
    } catch (err) {
      this.#done.unshift(...all);
      this.#log?.error({ err: describeSendError(err) }, 'could not record send outcomes');
    }
  }

  #probe(): void {
    if (!this.#running || this.#online) return;
    this.#host.ping().then(
      () => this.#setOnline(true),
      () => {
        if (!this.#running || this.#online) return;
        this.#probeTimer = setTimeout(() => this.#probe(), this.#probeMs);
        this.#probeTimer.unref();
      },
    );
  }

  #setOnline(online: boolean): void {
    if (this.#online === online) return;
    this.#online = online;
    this.#log?.info({ online }, online ? 'host online' : 'host offline');
    for (const l of this.#onlineListeners) l(online);
    if (online) {
      try {
        this.#q.expediteAll();
      } catch (err) {
        this.#log?.error({ err: describeSendError(err) }, 'could not make the waiting work due');
      }
      this.#kick();
    } else {
      clearTimeout(this.#probeTimer);
      this.#probeTimer = setTimeout(() => this.#probe(), this.#probeMs);
      this.#probeTimer.unref();
    }
  }
}
