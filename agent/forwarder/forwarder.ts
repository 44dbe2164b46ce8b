import type { Logger } from 'pino';
import type { HostClient } from '../host/index.js';
import { backoffDelay, type BackoffOptions } from '../../protocol/index.js';
import type { Clock } from '../../protocol/index.js';
import { forwarderSettings, type FlushResult, type ForwarderCounters, type ForwarderOptions } from './forwarderOptions.js';
import { isOnline, isPumping, type ForwarderState } from './forwarderState.js';
import { describeSendError, sendChain, type ChainContext, type Tally } from './chainSender.js';
import type { OperationQueue } from '../queue/index.js';
import type { ClaimedOperation, Settlement } from '../queue/index.js';

export { ForwarderOptionError, type FlushResult, type ForwarderCounters, type ForwarderOptions } from './forwarderOptions.js';
export type { ForwarderState } from './forwarderState.js';

/** Outcomes left uncommitted longer than this are committed without waiting for the next claim, ms. */
const COMMIT_AFTER_MS = 1000;
/**
 * How soon the pump looks again when work was due but none could be claimed,
 * ms: every due item is an undo waiting for an older item of its card still
 * in flight (a burn or offer redemption the checkout sends itself, which
 * wakes no one when it ends) or in backoff. Without it the pump would claim nothing about once a
 * millisecond for as long as that send lasts, on the cashier's event loop.
 */
const BLOCKED_RETRY_MS = 250;

/** One drive of the pump: the background one, or a flush (which ignores `online` and backoff, up to `dueBy`). */
interface Run {
  flushing: boolean;
  dueBy: number | undefined;
  tally: Tally;
  ctx: ChainContext;
  /** Called after each chain: start more, or notice the end. */
  next: () => void;
  /** `storageRefused`: the store refused to record a send in this run; a flush then claims nothing more (it would claim that send again at once). */
  readonly flags: { storageRefused: boolean };
}

/**
 * Drains the queue to the host (rule 7): bounded concurrency, one chain per
 * card at a time, order only where one item depends on another (rule 5),
 * exponential backoff with jitter, dead-letter on rejection or age, outcomes
 * as the one outcome table says (decideOutcome), and a probe that brings it
 * back online within about probeIntervalMs of the host's return.
 *
 * Work is claimed for many cards in one transaction (neighbouring rows, so
 * few pages per commit) and sent `concurrency` cards at a time. Outcomes of
 * earnings, redemptions and reversals are committed with the next claim, when
 * the pump goes idle, or after a second; a crash before that commit only
 * makes the forwarder resend them with the same transactionId, which the host
 * applies once. A burn's outcome is committed at once.
 *
 * Its state is one ForwarderState (stopped, offline, online,
 * storage-backoff), changed only through #enter.
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
  readonly #now: Clock;
  readonly #random: () => number;
  readonly #active = new Set<Promise<void>>();
  /** Cards with a chain in flight: one chain per card at a time (a claim skips them). */
  readonly #cardsInFlight = new Set<string>();
  readonly #onlineListeners = new Set<(online: boolean) => void>();
  /** Claimed chains not started yet. */
  #backlog: ClaimedOperation[][] = [];
  /** Outcomes not committed yet, the oldest finished at #doneSince. */
  #done: Settlement[] = [];
  #doneSince = 0;
  #state: ForwarderState = { kind: 'stopped', online: false };
  /** A flush owns the pump while it runs (flushes run one after another): the background one waits. */
  #flushing = false;
  #flushes: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #probeTimer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  readonly #bg: Run;

  /** Throws ForwarderOptionError (FORWARDER_ERR_OPTION) for an option out of its range. */
  constructor(opts: ForwarderOptions) {
    const o = forwarderSettings(opts);
    this.#q = opts.queue;
    this.#host = opts.host;
    this.#concurrency = o.concurrency;
    this.#claimCards = o.claimCards;
    this.#backoff = o.backoff;
    this.#maxAgeMs = o.maxAgeMs;
    this.#lateOriginalMs = o.lateOriginalMs;
    this.#probeMs = o.probeIntervalMs;
    this.#chainLength = o.chainLength;
    this.#log = opts.logger?.child({ component: 'forwarder' });
    this.#now = opts.now ?? (() => this.#q.now);
    this.#random = opts.random ?? Math.random;
    this.#bg = this.#run(false, undefined, () => this.#kick());
  }

  /** True once the host answered (a probe or a send) and until a send fails to reach it. */
  get online(): boolean {
    return isOnline(this.#state);
  }

  /** Where the forwarder is (ForwarderState). */
  get state(): ForwarderState {
    return this.#state;
  }

  /** Called with the new state whenever `online` changes. Returns an unsubscribe function. */
  onOnlineChange(listener: (online: boolean) => void): () => void {
    this.#onlineListeners.add(listener);
    return () => this.#onlineListeners.delete(listener);
  }

  /** Starts forwarding in the background: probes the host first. */
  start(): void {
    if (this.#state.kind !== 'stopped') return;
    this.#unsubscribe = this.#q.onWork(() => this.#kick());
    const now = this.#now();
    if (this.#state.online) {
      this.#enter({ kind: 'online', since: now });
      this.#kick();
    } else {
      this.#enter({ kind: 'offline', since: now, nextProbeAt: now });
      this.#probe();
    }
  }

  /** Stops claiming work; in-flight sends finish and their outcomes are recorded; claimed but unsent items are released. */
  async stop(): Promise<void> {
    this.#enter({ kind: 'stopped', online: isOnline(this.#state) });
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
    this.#flushing = true;
    try {
      await this.#quiesce();
      this.#q.expediteAll();
      // Read after the expedite, which makes everything due at its own reading of the clock: none of it is later.
      const cutoff = this.#now();
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
      this.#flushing = false;
      this.#kick();
    }
  }

  #run(flushing: boolean, dueBy: number | undefined, next: () => void, tally: Tally = { sent: 0, failed: 0, dead: 0 }): Run {
    const flags = { storageRefused: false };
    const ctx: ChainContext = {
      host: this.#host,
      backoff: this.#backoff,
      maxAgeMs: this.#maxAgeMs,
      lateOriginalMs: this.#lateOriginalMs,
      now: this.#now,
      random: this.#random,
      log: this.#log,
      keepGoing: flushing ? () => true : () => isPumping(this.#state),
      setOnline: (online) => (online ? this.#hostAnswered() : this.#hostUnreachable()),
      markSent: (id, burn) => this.#q.markSent(id, burn),
      storageFailed: () => {
        flags.storageRefused = true;
        tally.failed++;
        if (this.#storageFailed() === 1) this.#log?.error('could not record a send; backing off');
      },
      originalOf: (transactionId) => this.#q.getByTransactionId(transactionId),
      refusedEarnReversals: (earn) => this.#q.refusedEarnReversals(earn),
      commit: (items) => this.#commit(items),
    };
    return { flushing, dueBy, tally, ctx, next, flags };
  }

  /** Waits for the chains in flight, releases the claimed backlog and commits every outcome. */
  async #quiesce(): Promise<void> {
    while (this.#active.size > 0) await Promise.all([...this.#active]);
    this.#releaseBacklog();
    this.#commit([]);
  }

  /** Starts chains up to `concurrency`, claiming more (with the pending outcomes, one commit) when the backlog is empty. */
  #fill(run: Run): void {
    while (this.#active.size < this.#concurrency && (run.flushing || (isPumping(this.#state) && !this.#flushing))) {
      // In storage backoff the background pump claims again only when it ends: a claim can commit where the
      // write before an offline burn's send cannot, and each turn would cost the host a balance call.
      if (!run.flushing && this.#state.kind === 'storage-backoff' && this.#now() < this.#state.until) break;
      if (run.flushing && run.flags.storageRefused) break;
      if (this.#backlog.length === 0) {
        const outcomes = this.#done.splice(0);
        try {
          this.#backlog = this.#q.settleAndClaim(outcomes, {
            maxCards: this.#claimCards,
            chainLength: this.#chainLength,
            excludeCards: this.#cardsInFlight,
            ...(run.dueBy === undefined ? {} : { dueBy: run.dueBy }),
          });
          if (this.#state.kind === 'storage-backoff') this.#enter({ kind: 'online', since: this.#state.since });
        } catch (err) {
          this.#done.unshift(...outcomes);
          if (this.#storageFailed() === 1) this.#log?.error({ err: describeSendError(err) }, 'could not record send outcomes or claim work; backing off');
          break;
        }
        if (this.#backlog.length === 0) break;
      }
      const chain = this.#backlog.shift() as ClaimedOperation[];
      const card = (chain[0] as ClaimedOperation).cardFp;
      this.#cardsInFlight.add(card);
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
          this.#cardsInFlight.delete(card);
          run.next();
        });
      this.#active.add(p);
    }
    if (this.#active.size === 0) this.#commit([]);
  }

  #kick(): void {
    if (this.#flushing) return;
    if (!isPumping(this.#state)) {
      // Not sending: whatever was claimed goes back, and finished outcomes are made durable.
      if (this.#active.size === 0) {
        this.#releaseBacklog();
        this.#commit([]);
      }
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const claimedAt = this.#now();
    this.#fill(this.#bg);
    // Every slot busy: a chain's end looks again. A free slot needs a timer even while other chains run: the end of
    // a direct send, or a retry's backoff, wakes no one.
    if (this.#active.size >= this.#concurrency) return;
    let wait: number | undefined;
    if (this.#state.kind !== 'storage-backoff') {
      try {
        const due = this.#q.nextDueAt();
        // Due by the claim, yet nothing was claimed: an undo waits for an older item of its card (in flight, or in backoff).
        if (due !== null) wait = due <= claimedAt ? BLOCKED_RETRY_MS : Math.max(0, Math.min(due - this.#now(), 60_000));
      } catch {
        this.#storageFailed();
      }
    }
    if (this.#state.kind === 'storage-backoff') wait = Math.max(0, Math.min(this.#state.until - this.#now(), 60_000));
    if (wait !== undefined) {
      this.#timer = setTimeout(() => this.#kick(), wait);
      this.#timer.unref();
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
    if (this.#state.kind !== 'offline') return;
    this.#host.ping().then(
      () => this.#hostAnswered(),
      () => this.#probeLater(),
    );
  }

  #probeLater(): void {
    if (this.#state.kind !== 'offline') return;
    this.#enter({ ...this.#state, nextProbeAt: this.#now() + this.#probeMs });
    clearTimeout(this.#probeTimer);
    this.#probeTimer = setTimeout(() => this.#probe(), this.#probeMs);
    this.#probeTimer.unref();
  }

  /** The host answered (a probe, or a send it answered): online, if it was not. */
  #hostAnswered(): void {
    const s = this.#state;
    if (s.kind === 'offline') this.#enter({ kind: 'online', since: this.#now() });
    else if (s.kind === 'stopped' && !s.online) this.#enter({ kind: 'stopped', online: true });
  }

  /** A send could not reach the host (or got no answer): offline, probing, if it was online. */
  #hostUnreachable(): void {
    const s = this.#state;
    if (isPumping(s)) {
      const now = this.#now();
      this.#enter({ kind: 'offline', since: now, nextProbeAt: now });
      this.#probeLater();
    } else if (s.kind === 'stopped' && s.online) {
      this.#enter({ kind: 'stopped', online: false });
    }
  }

  /** The store failed once more: while pumping, back off on it. Returns the failures in a row (1 when not pumping: a flush's). */
  #storageFailed(): number {
    const s = this.#state;
    if (!isPumping(s)) return 1;
    const failures = s.kind === 'storage-backoff' ? s.failures + 1 : 1;
    this.#enter({ kind: 'storage-backoff', since: s.since, failures, until: this.#now() + backoffDelay(failures, this.#backoff, this.#random()) });
    return failures;
  }

  /**
   * The one transition of the state. When it changes whether the host is
   * online, this is the one place that logs it and tells the listeners; coming
   * online after a real absence makes the waiting work due; coming online wakes the pump.
   */
  #enter(next: ForwarderState): void {
    const prev = this.#state;
    const was = isOnline(prev);
    this.#state = next;
    const online = isOnline(next);
    if (was === online) return;
    this.#log?.info({ online }, online ? 'host online' : 'host offline');
    for (const l of this.#onlineListeners) l(online);
    // Offline for less than a probe's interval is a blip (one send went unanswered while others were answered):
    // the waiting work keeps its backoff, or an item whose answers are lost would be resent in a loop.
    const blip = prev.kind === 'offline' && this.#now() - prev.since < this.#probeMs;
    if (!online) return;
    if (!blip) {
      try {
        this.#q.expediteAll();
      } catch (err) {
        this.#log?.error({ err: describeSendError(err) }, 'could not make the waiting work due');
      }
    }
    this.#kick();
  }
}
