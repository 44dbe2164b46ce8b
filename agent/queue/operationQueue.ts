import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Clock } from '../../protocol/index.js';
import type { Mandate } from '../../protocol/loyalty/index.js';
import { CardCipher } from './cardCipher.js';
import { CardMemory } from './cardMemory.js';
import { DirectOperations, type DirectInput } from './directOperations.js';
import { DoneRetention } from './doneRetention.js';
import type { HighWaterMark } from './highWaterMark.js';
import { CardStandIn } from './cardStandIn.js';
import { DEFAULT_OFFLINE_LIMITS, type OfflineLimits } from './offlineLimits.js';
import { RetentionRunner } from './retentionRunner.js';
import { OperationIntake, type Admission } from './operationIntake.js';
import { toQueuedOperation } from './opRow.js';
import { QueueError, storageError } from './queueError.js';
import { openQueueDatabase, startCheckpoints } from './queueDatabase.js';
import { QueueView } from './queueView.js';
import type { ClaimedOperation, EnqueueInput, FinalState, PosRef, QueuedOperation, QueueStats, Settlement } from './queueTypes.js';
import { SaleUndoBook } from './saleUndoBook.js';
import { ReferenceBook } from './referenceBook.js';
import { ReversalRules } from './reversalRules.js';
import { SendLifecycle, type ClaimOptions, type ClaimRequest } from './sendLifecycle.js';
import type { OperationQueueOptions } from './operationQueueOptions.js';
import { SettledSignal, type SettleWait } from './settledSignal.js';
import { StorageHealth } from './storageHealth.js';
import type { WriterLock } from './writerLock.js';
import { WriteGate } from './writeGate.js';
import { enqueueUndo, type UndoEntry } from './undoIntake.js';

const NO_CARDS: ReadonlySet<string> = new Set();

/**
 * How often, by default, the WAL is checkpointed into the database file, ms:
 * a crash, or a lost -wal, then costs at most this much work, and the
 * high-water mark sees any loss older than its last second.
 */
const CHECKPOINT_MS = 10_000;

/** The transactions the queue runs, built once (better-sqlite3 builds a closure per db.transaction call). */
interface Transactions {
  accept: Database.Transaction<(a: Admission, now: number) => QueuedOperation>;
  settle: Database.Transaction<(items: readonly Settlement[], now: number) => void>;
  settleAndClaim: Database.Transaction<(items: readonly Settlement[], r: ClaimRequest) => ClaimedOperation[][]>;
}

/**
 * The durable store-and-forward queue (DESIGN.md, Store-and-forward rules),
 * composed of one part per concept: OperationIntake (accepting work),
 * SendLifecycle (claim → sent → settle), ReversalRules (unknown outcomes,
 * crash recovery, resends), DirectOperations (the checkout's own sends),
 * CardStandIn (what is known of a card), ReferenceBook and SaleUndoBook (POS
 * references, voids and returns), QueueView (inspection and counts),
 * RetentionRunner and StorageHealth. The queue opens the transactions, fires
 * its listeners and `whenSettled` waiters after each commit, and owns the
 * file. Every method that changes state commits before it returns (WAL,
 * synchronous=FULL). One writer per file, enforced by a lock file.
 *
 * What a part answers as it stands is handed out as the part's own method
 * (documented there), not wrapped here (a test may wrap one on an instance).
 */
export class OperationQueue {
  readonly #db: Database.Database;
  readonly #lock: WriterLock | null;
  readonly #hwm: HighWaterMark | null;
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
  readonly #retention: RetentionRunner;
  readonly #standIn: CardStandIn;
  readonly #tx: Transactions;
  readonly #gate: WriteGate;
  #stopCheckpoints: (() => void) | undefined;
  limits: OfflineLimits;

  // Reads (QueueView, ReferenceBook, SaleUndoBook, SendLifecycle).
  get: QueueView['get'] = (id) => this.#view.get(id);
  getByTransactionId: QueueView['getByTransactionId'] = (transactionId) => this.#view.getByTransactionId(transactionId);
  list: QueueView['list'] = (o) => this.#view.list(o);
  counters: QueueView['counters'] = () => this.#view.counters();
  refusedAfterYes: QueueView['refusedAfterYes'] = () => this.#view.refusedAfterYes();
  offlineExposure: QueueView['offlineExposure'] = () => this.#view.offlineExposure();
  refusedEarnReversals: QueueView['refusedEarnReversals'] = (earnTransactionId) => this.#view.refusedEarnReversals(earnTransactionId);
  reference: ReferenceBook['get'] = (reference) => this.#refs.get(reference);
  saleUndo: SaleUndoBook['get'] = (reference) => this.#undos.get(reference);
  saleUndos: SaleUndoBook['ofSale'] = (saleReference) => this.#undos.ofSale(saleReference);
  nextDueAt: SendLifecycle['nextDueAt'] = () => this.#lifecycle.nextDueAt();
  // The checkout's own sends (DirectOperations).
  completeDirect: DirectOperations['complete'] = (id, result, final) => this.#direct.complete(id, result, final);
  rejectDirect: DirectOperations['reject'] = (id, reason) => this.#direct.reject(id, reason);
  abandonDirect: DirectOperations['abandon'] = (id, reason) => this.#direct.abandon(id, reason);
  unknownOutcome: DirectOperations['unknownOutcome'] = (id, reason) => this.#direct.unknownOutcome(id, reason);
  // What is known of a card (CardStandIn).
  dueCredits: CardStandIn['dueCredits'] = (card) => this.#standIn.dueCredits(card);
  pendingDebits: CardStandIn['pendingDebits'] = (card) => this.#standIn.pendingDebits(card);
  sameCard: CardStandIn['sameCard'] = (card, id) => this.#standIn.sameCard(card, id);
  cardRefusal: CardStandIn['cardRefusal'] = (card) => this.#standIn.cardRefusal(card);
  rememberBalance: CardStandIn['rememberBalance'] = (card, points) => this.#standIn.rememberBalance(card, points);
  rememberRefusal: CardStandIn['rememberRefusal'] = (card, reason) => this.#standIn.rememberRefusal(card, reason);
  tryEnqueueOfflineBurn: CardStandIn['tryEnqueueOfflineBurn'] = (input) => this.#standIn.tryEnqueueOfflineBurn(input);
  // Voids and returns (undoIntake).
  enqueueUndo = (u: UndoEntry): QueuedOperation[] => enqueueUndo({ db: this.#db, intake: this.#intake, refs: this.#refs, undos: this.#undos, now: this.#now, write: (fn) => this.#gate.run(fn), emit: () => this.#gate.emit() }, u);
  // Work listeners (WriteGate).
  onWork: WriteGate['onWork'] = (listener) => this.#gate.onWork(listener);
  // Retention (RetentionRunner): the agent runs it every `pruneEveryMs`.
  pruneDone: RetentionRunner['pruneDone'] = (o) => this.#retention.pruneDone(o);

  private constructor(db: Database.Database, lock: WriterLock | null, hwm: HighWaterMark | null, opts: OperationQueueOptions) {
    this.#db = db;
    this.#lock = lock;
    this.#hwm = hwm;
    const cipher = new CardCipher(opts.key);
    const now = (this.#now = opts.now ?? Date.now);
    this.#log = opts.logger?.child({ component: 'queue' });
    this.limits = { ...(opts.limits ?? DEFAULT_OFFLINE_LIMITS) };
    this.#health = new StorageHealth(opts.path, this.#log);
    this.#settled = new SettledSignal(now);
    this.#gate = new WriteGate(this.#health, this.#settled);
    const view = (this.#view = new QueueView(db));
    const refs = (this.#refs = new ReferenceBook(db));
    this.#undos = new SaleUndoBook(db);
    const memory = new CardMemory(db, cipher);
    const intake = (this.#intake = new OperationIntake(db, cipher, refs));
    const lifecycle = (this.#lifecycle = new SendLifecycle(db, cipher, memory, (id, state) => this.#gate.settledInWrite(id, state)));
    this.#rules = new ReversalRules(db, { cipher, intake, lifecycle, refs, view });
    const write = <T>(fn: () => T): T => this.#gate.run(fn);
    this.#direct = new DirectOperations({ db, view, lifecycle, rules: this.#rules, refs, health: this.#health, now, log: this.#log, write, emit: () => this.#gate.emit() });
    this.#standIn = new CardStandIn({ db, cipher, memory, view, now, limits: () => this.limits, write, accept: (a) => this.#accept(a) });
    this.#retention = new RetentionRunner({ db, retention: new DoneRetention(db), memory, now, retainDoneMs: (opts.retainDoneS ?? 0) * 1000, write: (fn) => this.#gate.run(fn, false), log: this.#log });
    this.#tx = {
      accept: db.transaction((a: Admission, at: number) => toQueuedOperation(intake.accept(a, at))),
      settle: db.transaction((items: readonly Settlement[], at: number) => lifecycle.settle(items, at)),
      settleAndClaim: db.transaction((items: readonly Settlement[], r: ClaimRequest) => {
        lifecycle.settle(items, r.now);
        return lifecycle.claim(r);
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
      q.#gate.forgetSettled(); // nobody waits yet
      if (rec.requeued + rec.reversed > 0) q.#log?.warn(rec, 'queue recovered operations interrupted mid-send');
      file.hwm?.start(() => q.#view.counters().accepted);
      if (opts.path !== ':memory:') q.#stopCheckpoints = startCheckpoints(file.db, opts.checkpointMs ?? CHECKPOINT_MS, opts.path, q.#log);
      q.#retention.start(opts.pruneEveryMs);
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

  /** Queues an earning or an offer redemption. Durable on return. */
  enqueue(input: EnqueueInput): QueuedOperation {
    // Object.assign, not a spread: on Node 20 `{ ...input, state }` costs about 5 µs an enqueue.
    return this.#accept(Object.assign({}, input, { state: 'pending' as const, offline: false, points: 0 }));
  }

  /** Queues several operations in one transaction (one fsync): all or none. Durable on return. */
  enqueueMany(inputs: readonly EnqueueInput[]): QueuedOperation[] {
    return this.#gate.run(() => this.#db.transaction(() => inputs.map((i) => this.enqueue(i))).immediate());
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

  /** Records the POS answer of a reference: final from now on (replayed to a retry). */
  recordAnswer(ref: PosRef, answer: unknown): void {
    this.#gate.run(() => this.#refs.recordAnswer(ref, answer, this.#now()));
  }

  /** Forgets a reference whose outcome was not final, so that the POS may use it again. */
  dropReference(reference: string): void {
    this.#gate.run(() => this.#refs.drop(reference));
  }

  /** Applies the outcomes of sent items in one transaction. */
  settle(items: readonly Settlement[]): void {
    if (items.length === 0) return;
    this.#gate.run(() => this.#tx.settle.immediate(items, this.#now()));
    if (items.some((s) => s.outcome === 'release')) this.#gate.emit();
  }

  /**
   * Claims due work: up to `maxCards` cards with a claimable item, and for
   * each up to `chainLength` of its claimable items in card order (an item
   * waits only for what it depends on: SendLifecycle.claim). The rows become
   * 'sending'. Items due at or before `dueBy` count as due.
   */
  claim(opts: ClaimOptions): ClaimedOperation[][] {
    return this.settleAndClaim([], opts);
  }

  /** Applies outcomes, then claims more work (as `claim`), in one transaction: one commit where the forwarder would otherwise make two. */
  settleAndClaim(items: readonly Settlement[], opts: ClaimOptions): ClaimedOperation[][] {
    const now = this.#now();
    const r: ClaimRequest = { maxCards: opts.maxCards, chainLength: opts.chainLength, dueBy: opts.dueBy ?? now, now, excludeCards: opts.excludeCards ?? NO_CARDS };
    const chains = this.#gate.run(() => this.#tx.settleAndClaim.immediate(items, r), items.length > 0);
    if (items.some((s) => s.outcome === 'release')) this.#gate.emit();
    return chains;
  }

  /**
   * Marks an offline burn as put on the wire (durable) just before its burn
   * request, with the request's rewardTrxId and mandates: a resend repeats them.
   */
  markSent(id: number, burn?: { rewardTrxId: string; mandates: readonly Mandate[] }): void {
    this.#gate.run(() => this.#lifecycle.markSent(id, this.#now(), burn));
  }

  /** Makes every pending item due now (the host came back, or a flush). Returns how many moved. */
  expediteAll(): number {
    return this.#gate.run(() => this.#lifecycle.expediteAll(this.#now()), false);
  }

  /**
   * Resolves with the final state (done, dead, abandoned) operation `id`
   * reaches, at once if it is final already, or with null when the wait ends
   * first: at `deadline` (epoch ms on the queue's clock), when `signal`
   * aborts, when the queue closes, or at once if there is no such operation.
   */
  whenSettled(id: number, wait: SettleWait = {}): Promise<FinalState | null> {
    if (this.#gate.closed) return Promise.resolve(null);
    const op = this.#view.get(id);
    if (op === undefined) return Promise.resolve(null);
    return this.#settled.wait(id, op.state === 'pending' || op.state === 'sending' ? null : op.state, wait);
  }

  /** Moves a dead item back to pending (technician's `queue retry ID`). */
  retry(id: number): QueuedOperation {
    this.#gate.run(() => this.#db.transaction(() => this.#rules.retryDead(id, this.#now())).immediate());
    this.#gate.emit();
    const op = this.#view.get(id);
    if (!op) throw new QueueError('QUEUE_ERR_NOT_FOUND', `no queue record with id ${id}`);
    return op;
  }

  /** Counts by state, the counters, the oldest open item's age and the offline exposure. */
  stats(): QueueStats {
    return this.#view.stats(this.#now());
  }

  /** False after a write failed (disk full, I/O error, damage) and until one succeeds again (StorageHealth). */
  get writable(): boolean {
    return this.#health.writable;
  }

  /** The storage error that made the queue unwritable, while it lasts (StorageHealth). */
  get fault(): QueueError | undefined {
    return this.#health.fault;
  }

  get now(): number {
    return this.#now();
  }

  close(): void {
    if (this.#gate.closed) return;
    this.#gate.close();
    this.#direct.close();
    this.#stopCheckpoints?.();
    this.#retention.stop();
    try {
      this.#hwm?.stop(() => this.#view.counters().accepted);
      this.#db.close();
    } finally {
      this.#lock?.release();
    }
  }

  #accept(a: Admission, wake = true): QueuedOperation {
    const op = this.#gate.run(() => this.#tx.accept.immediate(a, this.#now()));
    if (wake) this.#gate.emit();
    return op;
  }
}
