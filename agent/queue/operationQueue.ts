import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { CardRef } from '../../protocol/index.js';
import type { Clock } from '../../protocol/index.js';
import type { Mandate } from '../../protocol/loyalty/index.js';
import { CardCipher } from './cardCipher.js';
import { CardMemory } from './cardMemory.js';
import type { CardRefusal } from '../host/index.js';
import { DirectOperations } from './directOperations.js';
import { DoneRetention } from './doneRetention.js';
import type { HighWaterMark } from './highWaterMark.js';
import { DEFAULT_OFFLINE_LIMITS, offlineRefusal, type OfflineExposure, type OfflineLimits, type OfflineRefusal } from './offlineLimits.js';
import { OperationIntake, type Admission } from './operationIntake.js';
import { toQueuedOperation } from './opRow.js';
import { QueueError, storageError } from './queueError.js';
import { openQueueDatabase, startCheckpoints } from './queueDatabase.js';
import { QueueView, type ListOptions } from './queueView.js';
import type {
  BurnPayload,
  ClaimedOperation,
  EarnReversalPayload,
  EnqueueInput,
  FinalState,
  OfferRedeemPayload,
  PosRef,
  PosRefRecord,
  QueueCounters,
  QueuedOperation,
  QueueStats,
  SaleUndo,
  Settlement,
  UndoInput,
} from './queueTypes.js';
import { SaleUndoBook } from './saleUndoBook.js';
import { ReferenceBook } from './referenceBook.js';
import { ReversalRules } from './reversalRules.js';
import { SendLifecycle, type ClaimRequest } from './sendLifecycle.js';
import { SettledSignal, type SettleWait } from './settledSignal.js';
import { balanceStandInRefusal, cardStandInRefusal } from './standIn.js';
import { StorageHealth } from './storageHealth.js';
import type { WriterLock } from './writerLock.js';

export interface OperationQueueOptions {
  /** SQLite file, or ':memory:' (tests). */
  path: string;
  /** The 32-byte queue key (see loadQueueKey). */
  key: Buffer;
  /** Offline burn limits. Default: off (DEFAULT_OFFLINE_LIMITS). */
  limits?: OfflineLimits;
  /** Clock, epoch ms. Default Date.now. */
  now?: Clock;
  logger?: Logger;
  /** SQLite busy_timeout, ms. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * Accept that the database holds fewer operations than were once accepted
   * (a restored backup, a lost -wal): `pos-agent queue accept-loss`, after a person has looked.
   */
  acceptLoss?: boolean;
  /** How often the WAL is checkpointed into the database file, ms. Default 10000. */
  checkpointMs?: number;
  /**
   * Retention of done operations, seconds (`queue.retainDoneS`): those that
   * settled longer ago are pruned, with their POS references. 0 or absent: kept forever.
   */
  retainDoneS?: number;
  /** How often retention runs while the queue is open, ms. Default 60000. */
  pruneEveryMs?: number;
}

/** What one `pruneDone` call removed and gave back. */
export interface PruneResult {
  /** Done and abandoned operations deleted. */
  ops: number;
  /** POS references deleted. */
  refs: number;
  /** Free pages returned to the file system (`PRAGMA incremental_vacuum`), after the next checkpoint. */
  freedPages: number;
}

/** What `claim` takes: at most `maxCards` cards, `chainLength` items each, due at or before `dueBy` (default now). */
export interface ClaimOptions {
  maxCards: number;
  chainLength: number;
  dueBy?: number;
  /** Card fingerprints to skip. */
  excludeCards?: ReadonlySet<string>;
}

export type OfflineBurnResult = { ok: true; op: QueuedOperation } | { ok: false; reason: OfflineRefusal };

/** What `beginDirect` takes: a burn (written before its balance answers, so its rewardTrxId and mandates are optional), or an offer redemption. */
export type DirectInput =
  | { kind: 'burn'; card: CardRef; payload: BurnPayload; transactionId?: string; ref?: PosRef }
  | { kind: 'offer-redeem'; card: CardRef; payload: OfferRedeemPayload; transactionId?: string; ref?: PosRef };

const NO_CARDS: ReadonlySet<string> = new Set();

/**
 * How often, by default, the WAL is checkpointed into the database file, ms:
 * a crash, or a lost -wal, then costs at most this much work, and the
 * high-water mark sees any loss older than its last second.
 */
const CHECKPOINT_MS = 10_000;

/** Retention's defaults: a tick a minute, up to 4 batches of 500 rows a tick, up to 4096 free pages (16 MiB) given back. */
const PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCHES_PER_TICK = 4;
const VACUUM_PAGES_PER_TICK = 4096;

/** The transactions the queue runs, built once (better-sqlite3 builds a closure per db.transaction call). */
interface Transactions {
  accept: Database.Transaction<(a: Admission, now: number) => QueuedOperation>;
  settle: Database.Transaction<(items: readonly Settlement[], now: number) => void>;
  settleAndClaim: Database.Transaction<(items: readonly Settlement[], r: ClaimRequest) => ClaimedOperation[][]>;
  prune: Database.Transaction<(cutoff: number) => { ops: number; refs: number }>;
}

/**
 * The durable store-and-forward queue (DESIGN.md, Store-and-forward rules),
 * composed of one part per concept: OperationIntake (accepting work),
 * SendLifecycle (claim → sent → settle), ReversalRules (unknown outcomes,
 * crash recovery, resends), DirectOperations (the checkout's own sends),
 * ReferenceBook (POS references), QueueView (inspection and counts) and
 * StorageHealth. The queue opens the transactions, fires its listeners and
 * `whenSettled` waiters after each commit, and owns the file. Every method
 * that changes state commits before it returns (WAL, synchronous=FULL). One
 * writer per file, enforced by a lock file.
 */
export class OperationQueue {
  readonly #db: Database.Database;
  readonly #lock: WriterLock | null;
  readonly #hwm: HighWaterMark | null;
  readonly #cipher: CardCipher;
  readonly #now: Clock;
  readonly #log: Logger | undefined;
  readonly #view: QueueView;
  readonly #refs: ReferenceBook;
  readonly #undos: SaleUndoBook;
  readonly #intake: OperationIntake;
  readonly #lifecycle: SendLifecycle;
  readonly #rules: ReversalRules;
  readonly #direct: DirectOperations;
  readonly #health: StorageHealth;
  readonly #settled: SettledSignal;
  readonly #retention: DoneRetention;
  readonly #memory: CardMemory;
  readonly #retainDoneMs: number;
  readonly #tx: Transactions;
  readonly #listeners = new Set<() => void>();
  /** Operations settled by the write in progress, fired once its outermost write committed. */
  #justSettled: [number, FinalState][] = [];
  #writeDepth = 0;
  #stopCheckpoints: (() => void) | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;
  #closed = false;
  limits: OfflineLimits;

  private constructor(db: Database.Database, lock: WriterLock | null, hwm: HighWaterMark | null, opts: OperationQueueOptions) {
    this.#db = db;
    this.#lock = lock;
    this.#hwm = hwm;
    this.#cipher = new CardCipher(opts.key);
    this.#now = opts.now ?? Date.now;
    this.#log = opts.logger?.child({ component: 'queue' });
    this.limits = { ...(opts.limits ?? DEFAULT_OFFLINE_LIMITS) };
    this.#health = new StorageHealth(opts.path, this.#log);
    this.#settled = new SettledSignal(this.#now);
    this.#view = new QueueView(db);
    this.#refs = new ReferenceBook(db);
    this.#undos = new SaleUndoBook(db);
    this.#retention = new DoneRetention(db);
    this.#memory = new CardMemory(db, this.#cipher);
    this.#retainDoneMs = (opts.retainDoneS ?? 0) * 1000;
    this.#intake = new OperationIntake(db, this.#cipher, this.#refs);
    this.#lifecycle = new SendLifecycle(db, this.#cipher, this.#memory, (id, state) => this.#justSettled.push([id, state]));
    this.#rules = new ReversalRules(db, { cipher: this.#cipher, intake: this.#intake, lifecycle: this.#lifecycle, refs: this.#refs, view: this.#view });
    this.#direct = new DirectOperations({
      db,
      view: this.#view,
      lifecycle: this.#lifecycle,
      rules: this.#rules,
      refs: this.#refs,
      health: this.#health,
      now: this.#now,
      log: this.#log,
      write: (fn) => this.#write(fn),
      emit: () => this.#emit(),
    });
    const lifecycle = this.#lifecycle;
    const intake = this.#intake;
    this.#tx = {
      accept: db.transaction((a: Admission, now: number) => toQueuedOperation(intake.accept(a, now))),
      settle: db.transaction((items: readonly Settlement[], now: number) => lifecycle.settle(items, now)),
      settleAndClaim: db.transaction((items: readonly Settlement[], r: ClaimRequest) => {
        lifecycle.settle(items, r.now);
        return lifecycle.claim(r);
      }),
      prune: db.transaction((cutoff: number) => {
        const batch = this.#retention.pruneBatch(cutoff);
        // Cards not heard of within retention are forgotten (not counted: the card memory is no operation).
        this.#memory.prune(cutoff);
        return batch;
      }),
    };
  }

  /**
   * Opens (creating and migrating) the queue, takes the writer lock, checks
   * its integrity (`PRAGMA quick_check`) and that it holds every operation
   * ever accepted (the high-water mark beside it), and recovers rows a crash
   * left in 'sending' (ReversalRules.recover). Every failure is a typed
   * QueueError naming the file and the fix.
   */
  static open(opts: OperationQueueOptions): OperationQueue {
    const file = openQueueDatabase({ path: opts.path, key: opts.key, busyTimeoutMs: opts.busyTimeoutMs ?? 5000, acceptLoss: opts.acceptLoss === true });
    try {
      const q = new OperationQueue(file.db, file.lock, file.hwm, opts);
      const rec = file.db.transaction(() => q.#rules.recover(q.#now())).immediate();
      q.#justSettled = []; // nobody waits yet
      if (rec.requeued + rec.reversed > 0) q.#log?.warn(rec, 'queue recovered operations interrupted mid-send');
      file.hwm?.start(() => q.#view.counters().accepted);
      if (opts.path !== ':memory:') q.#stopCheckpoints = startCheckpoints(file.db, opts.checkpointMs ?? CHECKPOINT_MS, opts.path, q.#log);
      if (q.#retainDoneMs > 0) q.#startRetention(opts.pruneEveryMs ?? PRUNE_EVERY_MS);
      return q;
    } catch (err) {
      try {
        file.discard();
      } catch {
        /* closing a damaged file may fail too */
      }
      throw storageError(err, opts.path);
    }
  }

  // ---- accepting work (OperationIntake) ----

  /** Queues an earning or an offer redemption. Durable on return. */
  enqueue(input: EnqueueInput): QueuedOperation {
    // Object.assign, not a spread: on Node 20 `{ ...input, state }` costs about 5 µs an enqueue.
    return this.#accept(Object.assign({}, input, { state: 'pending' as const, offline: false, points: 0 }));
  }

  /** Queues several operations in one transaction (one fsync): all or none. Durable on return. */
  enqueueMany(inputs: readonly EnqueueInput[]): QueuedOperation[] {
    return this.#write(() => this.#db.transaction(() => inputs.map((i) => this.enqueue(i))).immediate());
  }

  /**
   * Queues a void or a return of a sale: its operations (each linked to the
   * void's or return's reference), its line in the sale's book, and its POS
   * answer as planned, in one transaction. `returnedBefore` is what the plan
   * counted as returned already: when the sale's book says otherwise, or the
   * sale is gone (pruned meanwhile), nothing is written (QUEUE_ERR_STATE).
   * Durable on return.
   */
  enqueueUndo(u: { undo: Omit<SaleUndo, 'createdAt'>; returnedBefore: number; ref: PosRef; ops: readonly UndoInput[]; answer: unknown }): QueuedOperation[] {
    const ops = this.#write(() =>
      this.#db
        .transaction(() => {
          const now = this.#now();
          const sale = u.undo.saleReference;
          const returned = this.#undos.ofSale(sale).reduce((sum, x) => sum + x.amount, 0);
          if (!this.#refs.get(sale) || returned !== u.returnedBefore) {
            throw new QueueError('QUEUE_ERR_STATE', `sale ${sale} changed while its ${u.undo.kind} was prepared (returned ${returned}, expected ${u.returnedBefore}); try again`);
          }
          this.#undos.record({ ...u.undo, createdAt: now });
          const accepted = u.ops.map((i) => toQueuedOperation(this.#intake.accept({ ...i, ref: u.ref, state: 'pending', offline: false, points: 0 }, now)));
          this.#refs.recordAnswer(u.ref, u.answer, now);
          return accepted;
        })
        .immediate(),
    );
    this.#emit();
    return ops;
  }

  /** The voids and returns recorded against a sale, oldest first. */
  saleUndos(saleReference: string): SaleUndo[] {
    return this.#undos.ofSale(saleReference);
  }

  /** The reversals of earn `earnTransactionId` that the host refused (dead). */
  refusedEarnReversals(earnTransactionId: string): { transactionId: string; payload: EarnReversalPayload }[] {
    return this.#view.refusedEarnReversals(earnTransactionId);
  }

  /** The void or return recorded under this POS reference, if any (its reference record may be pruned before the sale's). */
  saleUndo(reference: string): SaleUndo | undefined {
    return this.#undos.get(reference);
  }

  /** True when `card` is the card of queue record `id` (same keyed fingerprint). */
  sameCard(card: CardRef, id: number): boolean {
    return this.#view.cardFingerprintOf(id) === this.#cipher.fingerprint(card.pan);
  }

  /**
   * Checks the offline stand-in (DESIGN.md, "Offline stand-in": what the
   * terminal knows of the card, and its pending debits) and the offline
   * limits, and, if the burn fits, queues it: all in one immediate
   * transaction, so concurrent callers cannot overshoot.
   */
  tryEnqueueOfflineBurn(input: { card: CardRef; payload: { points: number; reference?: string }; transactionId?: string; ref?: PosRef }): OfflineBurnResult {
    return this.#write(() =>
      this.#db
        .transaction((): OfflineBurnResult => {
          const now = this.#now();
          const fp = this.#cipher.fingerprint(input.card.pan);
          const standing = this.#memory.get(fp);
          const reason =
            cardStandInRefusal(input.card.expiry, standing, now) ??
            offlineRefusal(this.limits, this.#view.offlineExposure(), input.payload.points, now) ??
            balanceStandInRefusal(this.limits, standing, this.#view.pendingDebits(fp) + this.#view.unresolvedBurns(fp), input.payload.points, now);
          if (reason !== null) return { ok: false, reason };
          const op = this.#accept({ ...input, kind: 'burn', payload: { ...input.payload }, state: 'pending', offline: true, points: input.payload.points });
          return { ok: true, op };
        })
        .immediate(),
    );
  }

  /**
   * Records an operation the checkout sends itself (an online burn, or an
   * offer redemption) before the send (rule 1): state 'sending', sent_at set.
   */
  beginDirect(input: DirectInput): QueuedOperation {
    // The checkout's own work, not the forwarder's: nothing to wake (a wake-up would run the forwarder's claim
    // queries on the event loop just as the balance answer comes in).
    return this.#accept(Object.assign({}, input, { state: 'sending' as const, offline: false, points: 0, sent: true }), false);
  }

  // ---- the checkout's own sends (DirectOperations) ----

  /**
   * The host approved a direct operation. With `final`, the POS answer of its
   * reference is recorded in the same transaction: one commit, before the POS hears it.
   */
  completeDirect(id: number, result: unknown, final?: { ref: PosRef; answer: unknown }): void {
    this.#direct.complete(id, result, final);
  }

  /** The host declined a direct operation: dead, reason kept. */
  rejectDirect(id: number, reason: string): void {
    this.#direct.reject(id, reason);
  }

  /** A direct operation never left the terminal: abandoned (not a dead-letter item). */
  abandonDirect(id: number, reason: string): void {
    this.#direct.abandon(id, reason);
  }

  /**
   * A direct operation's answer never came (rule 3). A burn becomes dead with
   * reason 'unknown-outcome' and a pending reversal for the same card is
   * queued, ordered before anything newer for that card (the reversal is
   * returned); an offer redemption is queued to be resent (it is returned).
   */
  unknownOutcome(id: number, reason: string): QueuedOperation {
    return this.#direct.unknownOutcome(id, reason);
  }

  // ---- POS references (ReferenceBook) ----

  /** The POS reference as recorded, or undefined when it has none (never used, or its outcome was not final). */
  reference(reference: string): PosRefRecord | undefined {
    return this.#refs.get(reference);
  }

  /** Records the POS answer of a reference: final from now on (replayed to a retry). */
  recordAnswer(ref: PosRef, answer: unknown): void {
    this.#write(() => this.#refs.recordAnswer(ref, answer, this.#now()));
  }

  /** Forgets a reference whose outcome was not final, so that the POS may use it again. */
  dropReference(reference: string): void {
    this.#write(() => this.#refs.drop(reference));
  }

  // ---- the send lifecycle (SendLifecycle) ----

  /** Applies the outcomes of sent items in one transaction. */
  settle(items: readonly Settlement[]): void {
    if (items.length === 0) return;
    this.#write(() => this.#tx.settle.immediate(items, this.#now()));
    if (items.some((s) => s.outcome === 'release')) this.#emit();
  }

  /**
   * Claims due work: up to `maxCards` cards with a claimable item, and for
   * each up to `chainLength` of its claimable items in card order (an item
   * waits only for what it depends on: SendLifecycle.claim). The rows become
   * 'sending'. Items due at or before `dueBy` count as due.
   */
  claim(opts: ClaimOptions): ClaimedOperation[][] {
    return this.#write(() => this.#tx.settleAndClaim.immediate([], this.#claimRequest(opts)), false);
  }

  /**
   * Applies outcomes, then claims more work (as `claim`), in one transaction:
   * one commit where the forwarder would otherwise make two.
   */
  settleAndClaim(items: readonly Settlement[], opts: ClaimOptions): ClaimedOperation[][] {
    const chains = this.#write(() => this.#tx.settleAndClaim.immediate(items, this.#claimRequest(opts)), items.length > 0);
    if (items.some((s) => s.outcome === 'release')) this.#emit();
    return chains;
  }

  /**
   * Marks an offline burn as put on the wire (durable) just before its burn
   * request, with the request's rewardTrxId and mandates: a resend repeats them.
   */
  markSent(id: number, burn?: { rewardTrxId: string; mandates: readonly Mandate[] }): void {
    this.#write(() => this.#lifecycle.markSent(id, this.#now(), burn));
  }

  /** Makes every pending item due now (the host came back, or a flush). Returns how many moved. */
  expediteAll(): number {
    return this.#write(() => this.#lifecycle.expediteAll(this.#now()), false);
  }

  /** Earliest next_due_at among pending items, or null. */
  nextDueAt(): number | null {
    return this.#lifecycle.nextDueAt();
  }

  /**
   * Resolves with the final state (done, dead, abandoned) operation `id`
   * reaches, at once if it is final already, or with null when the wait ends
   * first: at `deadline` (epoch ms on the queue's clock), when `signal`
   * aborts, when the queue closes, or at once if there is no such operation.
   */
  whenSettled(id: number, wait: SettleWait = {}): Promise<FinalState | null> {
    if (this.#closed) return Promise.resolve(null);
    const op = this.#view.get(id);
    if (op === undefined) return Promise.resolve(null);
    return this.#settled.wait(id, op.state === 'pending' || op.state === 'sending' ? null : op.state, wait);
  }

  /** Called after each commit that adds or frees work (the forwarder wakes up). Returns an unsubscribe function. */
  onWork(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- a technician's resend (ReversalRules) ----

  /** Moves a dead item back to pending (technician's `queue retry ID`). */
  retry(id: number): QueuedOperation {
    this.#write(() => this.#db.transaction(() => this.#rules.retryDead(id, this.#now())).immediate());
    this.#emit();
    return this.#mustGet(id);
  }

  // ---- retention (DoneRetention) ----

  /**
   * Prunes done operations that settled more than `queue.retainDoneS` ago on
   * the queue's clock, with their POS references: up to `maxBatches`
   * transactions of about 500 rows, each counting what it deleted in
   * 'pruned'; then gives up to `maxVacuumPages` free pages back to the file
   * system (`PRAGMA incremental_vacuum`; the file shrinks at the next
   * checkpoint). Nothing is pruned while retention is off (retainDoneS 0).
   * The agent runs it every `pruneEveryMs`.
   */
  pruneDone(opts: { maxBatches?: number; maxVacuumPages?: number } = {}): PruneResult {
    const out: PruneResult = { ops: 0, refs: 0, freedPages: 0 };
    if (this.#retainDoneMs <= 0) return out;
    const cutoff = this.#now() - this.#retainDoneMs;
    for (let b = 0; b < (opts.maxBatches ?? PRUNE_BATCHES_PER_TICK); b++) {
      const r = this.#write(() => this.#tx.prune.immediate(cutoff), false);
      out.ops += r.ops;
      out.refs += r.refs;
      if (r.ops === 0 && r.refs === 0) break;
    }
    const pages = Math.max(0, Math.trunc(opts.maxVacuumPages ?? VACUUM_PAGES_PER_TICK));
    if (out.ops + out.refs > 0 && pages > 0) {
      const before = this.#db.pragma('freelist_count', { simple: true }) as number;
      this.#write(() => this.#db.pragma(`incremental_vacuum(${pages})`), false);
      out.freedPages = before - (this.#db.pragma('freelist_count', { simple: true }) as number);
    }
    if (out.ops + out.refs > 0) this.#log?.info(out, 'pruned settled operations past queue.retainDoneS');
    return out;
  }

  // ---- storage health (StorageHealth) ----

  /** False after a write failed (disk full, I/O error, damage) and until one succeeds again: health says so. */
  get writable(): boolean {
    return this.#health.writable;
  }

  /** The storage error that made the queue unwritable, while it lasts. */
  get fault(): QueueError | undefined {
    return this.#health.fault;
  }

  // ---- inspection and counts (QueueView) ----

  /** This card's earnings, refunds and reversals due or in flight (a burn may let them land first, never waits on them). */
  dueCredits(card: CardRef): number[] {
    return this.#view.dueCredits(this.#cipher.fingerprint(card.pan), this.#now());
  }

  /** Points the host will still take from this card (rule 9: offline burns, earn reversals): a new burn decides on the balance less these. */
  pendingDebits(card: CardRef): number {
    return this.#view.pendingDebits(this.#cipher.fingerprint(card.pan));
  }

  /**
   * Why the offline stand-in declines this card whatever the operation (an
   * offline earning, as an offline burn): its expiry has passed by the
   * terminal's clock, or the host refused it online. Null: nothing known against it.
   */
  cardRefusal(card: CardRef): CardRefusal | null {
    return cardStandInRefusal(card.expiry, this.#memory.get(this.#cipher.fingerprint(card.pan)), this.#now())?.decline ?? null;
  }

  /** The host answered a balance enquiry for the card: its available points, for the offline stand-in. Durable on return. */
  rememberBalance(card: CardRef, points: number): void {
    this.#write(() => this.#memory.balance(this.#cipher.fingerprint(card.pan), points, this.#now()));
  }

  /** The host refused the card itself online (unknown, expired): declined offline for the same reason. Durable on return. */
  rememberRefusal(card: CardRef, reason: CardRefusal): void {
    this.#write(() => this.#memory.refused(this.#cipher.fingerprint(card.pan), reason, this.#now()));
  }

  get(id: number): QueuedOperation | undefined {
    return this.#view.get(id);
  }

  getByTransactionId(transactionId: string): QueuedOperation | undefined {
    return this.#view.getByTransactionId(transactionId);
  }

  list(opts: ListOptions = {}): QueuedOperation[] {
    return this.#view.list(opts);
  }

  stats(): QueueStats {
    return this.#view.stats(this.#now());
  }

  counters(): QueueCounters {
    return this.#view.counters();
  }

  /** What the POS heard as a yes and the host refused later (dead), by kind and the host's reason. */
  refusedAfterYes(): { kind: 'earn' | 'burn'; reason: string; count: number }[] {
    return this.#view.refusedAfterYes();
  }

  /** Offline burns outstanding, as the offline limits count them. */
  offlineExposure(): OfflineExposure {
    return this.#view.offlineExposure();
  }

  get now(): number {
    return this.#now();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#settled.endAll();
    this.#direct.close();
    this.#stopCheckpoints?.();
    clearInterval(this.#pruneTimer);
    try {
      this.#hwm?.stop(() => this.#view.counters().accepted);
      this.#db.close();
    } finally {
      this.#lock?.release();
    }
  }

  /** Retention on a timer that never keeps the process alive; a failed tick is logged and tried again at the next. */
  #startRetention(everyMs: number): void {
    this.#pruneTimer = setInterval(() => {
      try {
        this.pruneDone();
      } catch (err) {
        this.#log?.warn({ code: (err as { code?: string }).code }, 'pruning done operations failed; trying again at the next tick');
      }
    }, everyMs);
    this.#pruneTimer.unref();
  }

  #accept(a: Admission, wake = true): QueuedOperation {
    const op = this.#write(() => this.#tx.accept.immediate(a, this.#now()));
    if (wake) this.#emit();
    return op;
  }

  #claimRequest(opts: ClaimOptions): ClaimRequest {
    const now = this.#now();
    return { maxCards: opts.maxCards, chainLength: opts.chainLength, dueBy: opts.dueBy ?? now, now, excludeCards: opts.excludeCards ?? NO_CARDS };
  }

  #mustGet(id: number): QueuedOperation {
    const op = this.#view.get(id);
    if (!op) throw new QueueError('QUEUE_ERR_NOT_FOUND', `no queue record with id ${id}`);
    return op;
  }

  /**
   * Runs one write (StorageHealth.run: storage failures typed, health kept).
   * Once the outermost write of a nesting has committed, the operations it
   * settled wake their `whenSettled` waiters; a failed one wakes nobody.
   */
  #write<T>(fn: () => T, proof = true): T {
    if (this.#closed) throw new QueueError('QUEUE_ERR_CLOSED', 'the queue is closed');
    this.#writeDepth++;
    let ok = false;
    try {
      const out = this.#health.run(fn, proof);
      ok = true;
      return out;
    } finally {
      if (--this.#writeDepth === 0) {
        const settled = this.#justSettled.splice(0);
        if (ok) for (const [id, state] of settled) this.#settled.fire(id, state);
      }
    }
  }

  /** Deferred to a microtask, so listeners run after the enclosing transaction committed. */
  #emit(): void {
    if (this.#listeners.size === 0) return;
    queueMicrotask(() => {
      for (const l of this.#listeners) l();
    });
  }
}
