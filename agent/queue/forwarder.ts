import type { Logger } from 'pino';
import { HostError, type HostClient } from '../host/hostClient.js';
import { maskPanLike } from '../../protocol/pan.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { OperationQueue } from './operationQueue.js';
import type { ClaimedOperation, Settlement } from './queueTypes.js';
import { sendOperation } from './sendOperation.js';

export interface ForwarderOptions {
  queue: OperationQueue;
  host: HostClient;
  /** Cards sent to at once (each card's items go one after another). Default 8. */
  concurrency?: number;
  /** Retry delays. Default {baseMs: 500, maxMs: 30000, jitter: 0.2}. */
  backoff?: BackoffOptions;
  /** Items older than this go dead with reason 'expired', seconds. Default 604800 (7 days). */
  maxAgeS?: number;
  /** While offline, ping the host this often, ms. Default 1000. */
  probeIntervalMs?: number;
  /** Most consecutive items of one card claimed at once. Default 32. */
  chainLength?: number;
  logger?: Logger;
  /** Clock, epoch ms. Default: the queue's clock. */
  now?: () => number;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
}

export interface FlushResult {
  sent: number;
  failed: number;
  dead: number;
}

export interface ForwarderCounters {
  sent: number;
  retried: number;
  dead: number;
  expired: number;
  oldestPendingAgeS: number;
}

type Tally = FlushResult;

/**
 * Drains the queue to the host (rule 7): bounded concurrency, FIFO per card,
 * exponential backoff with jitter, dead-letter on rejection or age, a
 * reversal for a burn whose outcome is unknown, and a probe that brings it
 * back online within about probeIntervalMs of the host's return.
 */
export class Forwarder {
  readonly #q: OperationQueue;
  readonly #host: HostClient;
  readonly #concurrency: number;
  readonly #backoff: BackoffOptions;
  readonly #maxAgeMs: number;
  readonly #probeMs: number;
  readonly #chainLength: number;
  readonly #log: Logger | undefined;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #onlineListeners = new Set<(online: boolean) => void>();
  #online = false;
  #running = false;
  #flushing = 0;
  #timer: NodeJS.Timeout | undefined;
  #probeTimer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(opts: ForwarderOptions) {
    this.#q = opts.queue;
    this.#host = opts.host;
    this.#concurrency = Math.max(1, Math.trunc(opts.concurrency ?? 8));
    this.#backoff = opts.backoff ?? {};
    this.#maxAgeMs = (opts.maxAgeS ?? 604_800) * 1000;
    this.#probeMs = opts.probeIntervalMs ?? 1000;
    this.#chainLength = Math.max(1, Math.trunc(opts.chainLength ?? 32));
    this.#log = opts.logger?.child({ component: 'forwarder' });
    this.#now = opts.now ?? (() => this.#q.now);
    this.#random = opts.random ?? Math.random;
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

  /** Stops claiming work; in-flight sends finish and their outcomes are recorded. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    clearTimeout(this.#timer);
    clearTimeout(this.#probeTimer);
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  /** Forwards all pending work now, ignoring backoff and the online flag. Each item is tried at most once. */
  async flush(): Promise<FlushResult> {
    this.#flushing++;
    try {
      while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
      const cutoff = this.#now();
      this.#q.expediteAll();
      const tally: Tally = { sent: 0, failed: 0, dead: 0 };
      // `concurrency` workers, each claiming the next card's chain as soon as its
      // last one is settled (no wave barrier: a slow card holds up only itself).
      // A worker stops when nothing is claimable: what is left waits behind a
      // card another worker is sending, and that worker claims it next.
      const worker = async (): Promise<void> => {
        for (;;) {
          const [chain] = this.#q.claim({ maxCards: 1, chainLength: this.#chainLength, dueBy: cutoff });
          if (chain === undefined) return;
          await this.#runChain(chain, tally, true);
        }
      };
      await Promise.all(Array.from({ length: this.#concurrency }, worker));
      return tally;
    } finally {
      this.#flushing--;
      this.#kick();
    }
  }

  counters(): ForwarderCounters {
    const s = this.#q.stats();
    const { sent, retried, dead, expired } = s.counters;
    return { sent, retried, dead, expired, oldestPendingAgeS: s.oldestPendingAgeS };
  }

  #kick(): void {
    if (!this.#running || !this.#online || this.#flushing > 0) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const free = this.#concurrency - this.#inFlight.size;
    if (free > 0) {
      const chains = this.#q.claim({ maxCards: free, chainLength: this.#chainLength });
      for (const chain of chains) {
        const p: Promise<void> = this.#runChain(chain, { sent: 0, failed: 0, dead: 0 }, false).finally(() => {
          this.#inFlight.delete(p);
          setImmediate(() => this.#kick());
        });
        this.#inFlight.add(p);
      }
    }
    if (this.#inFlight.size === 0) {
      const due = this.#q.nextDueAt();
      if (due !== null) {
        this.#timer = setTimeout(() => this.#kick(), Math.max(0, Math.min(due - this.#now(), 60_000)));
        this.#timer.unref();
      }
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
      this.#q.expediteAll();
      this.#kick();
    } else {
      clearTimeout(this.#probeTimer);
      this.#probeTimer = setTimeout(() => this.#probe(), this.#probeMs);
      this.#probeTimer.unref();
    }
  }

  /** Sends one card's claimed items in order; on a retryable failure the rest go back to pending. */
  async #runChain(chain: ClaimedOperation[], tally: Tally, flushing: boolean): Promise<void> {
    const buf: Settlement[] = [];
    let i = 0;
    try {
      for (; i < chain.length; i++) {
        const op = chain[i] as ClaimedOperation;
        if (!flushing && (!this.#running || !this.#online)) break;
        if (this.#now() - op.createdAt > this.#maxAgeMs) {
          buf.push({ id: op.id, outcome: 'dead', reason: 'expired', expired: true });
          tally.dead++;
          this.#log?.warn({ id: op.id, kind: op.kind }, 'queued operation expired');
          continue;
        }
        let burnSent = false;
        try {
          const result = await sendOperation(this.#host, op, () => {
            this.#q.markSent(op.id);
            burnSent = true;
          });
          buf.push({ id: op.id, outcome: 'done', result });
          tally.sent++;
          this.#setOnline(true);
          if (op.kind === 'burn') this.#settle(buf);
        } catch (err) {
          const outcome = err instanceof HostError ? err.outcome : 'failed';
          const why = describe(err);
          if (outcome === 'rejected') {
            buf.push({ id: op.id, outcome: 'dead', reason: why });
            tally.dead++;
            this.#setOnline(true);
            this.#log?.warn({ id: op.id, kind: op.kind, err: why }, 'queued operation rejected: dead-letter');
            continue;
          }
          tally.failed++;
          if (op.kind === 'burn' && burnSent && outcome !== 'not-sent' && outcome !== 'failed') {
            buf.push({ id: op.id, outcome: 'unknown', reason: why });
            this.#log?.warn({ id: op.id, err: why }, 'offline burn outcome unknown: reversal queued');
          } else {
            const dueAt = this.#now() + backoffDelay(op.attempts + 1, this.#backoff, this.#random());
            buf.push({ id: op.id, outcome: 'retry', error: why, dueAt, clearSent: op.kind === 'burn' });
          }
          i++;
          if (outcome === 'not-sent' || outcome === 'unknown') this.#setOnline(false);
          else if (outcome === 'failed' && err instanceof HostError) this.#setOnline(true);
          break;
        }
      }
    } finally {
      for (let j = i; j < chain.length; j++) buf.push({ id: (chain[j] as ClaimedOperation).id, outcome: 'release' });
      this.#settle(buf);
    }
  }

  #settle(buf: Settlement[]): void {
    if (buf.length === 0) return;
    const items = buf.splice(0, buf.length);
    try {
      this.#q.settle(items);
    } catch (err) {
      // Queue closed under us: the rows stay 'sending' and are recovered at the next open.
      this.#log?.error({ err: describe(err) }, 'could not record send outcomes');
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof HostError) {
    const parts = [err.code, err.status === undefined ? '' : `status ${err.status}`, err.hostCode === undefined ? '' : `host code ${err.hostCode}`];
    return maskPanLike(`${parts.filter(Boolean).join(' ')}: ${err.message}`).slice(0, 500);
  }
  return maskPanLike(err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500);
}
