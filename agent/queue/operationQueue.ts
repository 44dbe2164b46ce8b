import { randomUUID } from 'node:crypto';
import { chmodSync, statSync, type Stats } from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { CardRef } from '../../protocol/cardRef.js';
import type { Mandate } from '../../protocol/loyalty/mandate.js';
import { maskPan } from '../../protocol/pan.js';
import { CardCipher } from './cardCipher.js';
import { DEFAULT_OFFLINE_LIMITS, offlineRefusal, type OfflineLimits } from './offlineLimits.js';
import type { OpRow } from './opRow.js';
import { toQueuedOperation } from './opRow.js';
import { QueueError, STORAGE_ERROR_CODES, storageError } from './queueError.js';
import { HighWaterMark } from './highWaterMark.js';
import { QueueReads, type ListOptions } from './queueReads.js';
import { applyWriterPragmas, migrate } from './schema.js';
import { QueueWrites, type InsertInput } from './queueWrites.js';
import { ReferenceBook } from './referenceBook.js';
import type {
  BurnPayload,
  OfferRedeemPayload,
  ClaimedOperation,
  EnqueueInput,
  OperationKind,
  OperationPayload,
  PosRef,
  PosRefRecord,
  QueueCounters,
  QueuedOperation,
  QueueStats,
  Settlement,
} from './queueTypes.js';
import { WriterLock } from './writerLock.js';

export interface OperationQueueOptions {
  /** SQLite file, or ':memory:' (tests). */
  path: string;
  /** The 32-byte queue key (see loadQueueKey). */
  key: Buffer;
  /** Offline burn limits. Default: off (DEFAULT_OFFLINE_LIMITS). */
  limits?: OfflineLimits;
  /** Clock, epoch ms. Default Date.now. */
  now?: () => number;
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
}

/** What `claim` takes: at most `maxCards` cards, `chainLength` items each, due at or before `dueBy` (default now). */
export interface ClaimOptions {
  maxCards: number;
  chainLength: number;
  dueBy?: number;
  /** Card fingerprints to skip. */
  excludeCards?: ReadonlySet<string>;
}

export type OfflineBurnResult = { ok: true; op: QueuedOperation } | { ok: false; reason: string };

const NO_CARDS: ReadonlySet<string> = new Set();

/**
 * How often, by default, the WAL is checkpointed into the database file (PASSIVE: it never
 * waits for readers), on top of SQLite's own every 1000 pages, ms: a crash,
 * or a lost -wal, then costs at most this much work, and the high-water mark
 * sees any loss older than its last second.
 */
const CHECKPOINT_MS = 10_000;

/** How often direct operations stranded by a failed write are retried, ms. */
const STRANDED_RETRY_MS = 1000;

/** The most ids a transactionId may have; generated ones are 32 hex characters. */
const MAX_TXN_ID = 64;

/**
 * The durable store-and-forward queue (DESIGN.md, Store-and-forward rules).
 * Every method that changes state commits before it returns (WAL,
 * synchronous=FULL). One writer per file, enforced by a lock file.
 */
export class OperationQueue {
  readonly #db: Database.Database;
  readonly #reads: QueueReads;
  readonly #writes: QueueWrites;
  readonly #refs: ReferenceBook;
  readonly #cipher: CardCipher;
  readonly #lock: WriterLock | null;
  readonly #now: () => number;
  readonly #log: Logger | undefined;
  readonly #listeners = new Set<() => void>();
  readonly #path: string;
  readonly #hwm: HighWaterMark | null;
  /** Direct operations whose settle failed on a storage error (see #settleDirect). */
  readonly #stranded = new Map<number, () => void>();
  #strandTimer: NodeJS.Timeout | undefined;
  #checkpointTimer: NodeJS.Timeout | undefined;
  #fault: QueueError | undefined;
  /** Transaction wrappers built once (better-sqlite3 builds a closure per db.transaction call). */
  readonly #tx: {
    insert: Database.Transaction<(i: InsertInput) => OpRow>;
    settle: Database.Transaction<(items: readonly Settlement[], now: number) => void>;
    claim: Database.Transaction<(maxCards: number, chainLength: number, dueBy: number, now: number, exclude: ReadonlySet<string>) => ClaimedOperation[][]>;
    settleAndClaim: Database.Transaction<
      (items: readonly Settlement[], maxCards: number, chainLength: number, dueBy: number, now: number, exclude: ReadonlySet<string>) => ClaimedOperation[][]
    >;
  };
  limits: OfflineLimits;
  #closed = false;

  private constructor(db: Database.Database, lock: WriterLock | null, hwm: HighWaterMark | null, opts: OperationQueueOptions) {
    this.#db = db;
    this.#lock = lock;
    this.#hwm = hwm;
    this.#path = opts.path;
    this.#cipher = new CardCipher(opts.key);
    this.#now = opts.now ?? Date.now;
    this.#log = opts.logger?.child({ component: 'queue' });
    this.limits = { ...(opts.limits ?? DEFAULT_OFFLINE_LIMITS) };
    this.#reads = new QueueReads(db);
    this.#refs = new ReferenceBook(db);
    const writes = new QueueWrites(db, this.#cipher, this.#refs);
    this.#writes = writes;
    this.#tx = {
      insert: db.transaction((i: InsertInput) => writes.insert(i)),
      settle: db.transaction((items: readonly Settlement[], now: number) => writes.settleAll(items, now)),
      claim: db.transaction((maxCards: number, chainLength: number, dueBy: number, now: number, exclude: ReadonlySet<string>) =>
        writes.claim(maxCards, chainLength, dueBy, now, exclude),
      ),
      settleAndClaim: db.transaction(
        (items: readonly Settlement[], maxCards: number, chainLength: number, dueBy: number, now: number, exclude: ReadonlySet<string>) => {
          writes.settleAll(items, now);
          return writes.claim(maxCards, chainLength, dueBy, now, exclude);
        },
      ),
    };
  }

  /**
   * Opens (creating and migrating) the queue, takes the writer lock, checks
   * its integrity (`PRAGMA quick_check`) and that it holds every operation
   * ever accepted (the high-water mark beside it), and recovers rows a crash
   * left in 'sending' (see QueueWrites.recover). Every failure is a typed
   * QueueError naming the file and the fix.
   */
  static open(opts: OperationQueueOptions): OperationQueue {
    const memory = opts.path === ':memory:';
    const lock = memory ? null : WriterLock.acquire(opts.path);
    let db: Database.Database | undefined;
    try {
      const hwm = memory ? null : new HighWaterMark(opts.path);
      // Judge the files read-only first: a read-write connection that is closed again after a refusal
      // would checkpoint a damaged -wal into the file and delete it, the very evidence a technician keeps.
      if (hwm) inspectBeforeWriting(opts.path, hwm, opts.acceptLoss === true);
      db = new Database(opts.path);
      applyWriterPragmas(db, opts.busyTimeoutMs ?? 5000);
      migrate(db);
      checkKey(db, new CardCipher(opts.key).keyCheck(), opts.path);
      if (!memory) restrictModes(opts.path);
      const accepted = (db.prepare(`SELECT value FROM counters WHERE name = 'accepted'`).get() as { value: number }).value;
      if (hwm && opts.acceptLoss) hwm.accept(accepted);
      const q = new OperationQueue(db, lock, hwm, opts);
      const rec = db.transaction(() => q.#writes.recover(q.#now())).immediate();
      if (rec.requeued + rec.reversed > 0) q.#log?.warn(rec, 'queue recovered operations interrupted mid-send');
      hwm?.start(() => q.#reads.counters().accepted);
      if (!memory) q.#startCheckpoints(opts.checkpointMs ?? CHECKPOINT_MS);
      return q;
    } catch (err) {
      try {
        db?.close();
      } catch {
        /* closing a damaged file may fail too */
      }
      lock?.release();
      throw storageError(err, opts.path);
    }
  }

  /** Queues an earning or an offer redemption. Durable on return. */
  enqueue(input: EnqueueInput): QueuedOperation {
    return this.#insert(input.kind, input.card, input.payload, input.transactionId, { state: 'pending', offline: false, points: 0, ref: input.ref });
  }

  /** Queues several operations in one transaction (one fsync): all or none. Durable on return. */
  enqueueMany(inputs: readonly EnqueueInput[]): QueuedOperation[] {
    return this.#write(() => this.#db.transaction(() => inputs.map((i) => this.enqueue(i))).immediate());
  }

  /**
   * Checks the offline limits and, if the burn fits, queues it: both in one
   * immediate transaction, so concurrent callers cannot overshoot.
   */
  tryEnqueueOfflineBurn(input: { card: CardRef; payload: { points: number; reference?: string }; transactionId?: string; ref?: PosRef }): OfflineBurnResult {
    return this.#write(() =>
      this.#db
        .transaction((): OfflineBurnResult => {
          const reason = offlineRefusal(this.limits, this.#reads.offlineExposure(), input.payload.points, this.#now());
          if (reason !== null) return { ok: false, reason };
          const op = this.#insert('burn', input.card, { ...input.payload }, input.transactionId, {
            state: 'pending',
            offline: true,
            points: input.payload.points,
            ref: input.ref,
          });
          return { ok: true, op };
        })
        .immediate(),
    );
  }

  /**
   * Records an operation the checkout sends itself (an online burn, or an
   * offer redemption) before the send (rule 1): state 'sending', sent_at set.
   */
  beginDirect(
    input:
      | { kind: 'burn'; card: CardRef; payload: BurnPayload & Required<Pick<BurnPayload, 'rewardTrxId' | 'mandates'>>; transactionId?: string; ref?: PosRef }
      | { kind: 'offer-redeem'; card: CardRef; payload: OfferRedeemPayload; transactionId?: string; ref?: PosRef },
  ): QueuedOperation {
    return this.#insert(input.kind, input.card, input.payload, input.transactionId, {
      state: 'sending',
      offline: false,
      points: 0,
      sent: true,
      ref: input.ref,
    });
  }

  /**
   * The host approved a direct operation. With `final`, the POS answer of its
   * reference is recorded in the same transaction: one commit, before the POS hears it.
   */
  completeDirect(id: number, result: unknown, final?: { ref: PosRef; answer: unknown }): void {
    const complete = () => {
      const now = this.#now();
      this.#db
        .transaction(() => {
          this.#writes.settleAll([{ id, outcome: 'done', result }], now);
          if (final) this.#refs.recordAnswer(final.ref, final.answer, now);
        })
        .immediate();
    };
    // A burn whose approval could not be written was answered 503 (not approved): once the store takes
    // writes again it is reversed. An offer redemption has no reversal: its approval is recorded as it was.
    this.#settleDirect(id, complete, (op) => (op.kind === 'burn' ? () => this.#reverseNow(id, 'its approval could not be recorded (storage failure)') : complete));
  }

  /** The host declined a direct operation: dead, reason kept. */
  rejectDirect(id: number, reason: string): void {
    this.#settleDirect(id, () => this.settle([{ id, outcome: 'dead', reason }]));
  }

  /** A direct operation never left the terminal: abandoned (not a dead-letter item). */
  abandonDirect(id: number, reason: string): void {
    this.#settleDirect(id, () => this.settle([{ id, outcome: 'abandoned', reason }]));
  }

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

  /**
   * A burn's answer never came (rule 3). In one transaction: the burn becomes
   * dead with reason 'unknown-outcome', and a pending reversal for the same
   * card is queued, ordered before anything newer for that card.
   */
  unknownOutcome(id: number, reason: string): QueuedOperation {
    let out: QueuedOperation | undefined;
    this.#settleDirect(id, () => {
      out = this.#reverseNow(id, reason);
    });
    return out as QueuedOperation;
  }

  /** unknownOutcome's work: a burn becomes dead with a durable reversal; an offer redemption is queued to be resent. */
  #reverseNow(id: number, reason: string): QueuedOperation {
    if (this.#mustGet(id).kind === 'offer-redeem') {
      // No reversal exists for an offer redemption; the host redeems idempotently by
      // transactionId, so the forwarder resends it with the same id.
      this.#write(() => this.#tx.settle.immediate([{ id, outcome: 'retry', error: `unknown-outcome: ${reason}`, dueAt: this.#now() }], this.#now()));
      this.#emit();
      return this.#mustGet(id);
    }
    const revId = this.#write(() => this.#db.transaction(() => this.#writes.unknownOutcome(id, reason, this.#now())).immediate());
    this.#emit();
    return this.#mustGet(revId);
  }

  /** Applies the outcomes of sent items in one transaction. */
  settle(items: readonly Settlement[]): void {
    if (items.length === 0) return;
    this.#write(() => this.#tx.settle.immediate(items, this.#now()));
    if (items.some((s) => s.outcome === 'release')) this.#emit();
  }

  /**
   * Claims due work: up to `maxCards` cards whose oldest open item is due,
   * and for each up to `chainLength` consecutive due items in card order.
   * The rows become 'sending'. Items due at or before `dueBy` count as due.
   */
  claim(opts: ClaimOptions): ClaimedOperation[][] {
    const now = this.#now();
    return this.#write(() => this.#tx.claim.immediate(opts.maxCards, opts.chainLength, opts.dueBy ?? now, now, opts.excludeCards ?? NO_CARDS), false);
  }

  /**
   * Applies outcomes, then claims more work (as `claim`), in one transaction:
   * one commit where the forwarder would otherwise make two.
   */
  settleAndClaim(items: readonly Settlement[], opts: ClaimOptions): ClaimedOperation[][] {
    const now = this.#now();
    const chains = this.#write(
      () => this.#tx.settleAndClaim.immediate(items, opts.maxCards, opts.chainLength, opts.dueBy ?? now, now, opts.excludeCards ?? NO_CARDS),
      items.length > 0,
    );
    if (items.some((s) => s.outcome === 'release')) this.#emit();
    return chains;
  }

  /**
   * Marks an offline burn as put on the wire (durable) just before its burn
   * request, with the request's rewardTrxId and mandates: a resend repeats them.
   */
  markSent(id: number, burn?: { rewardTrxId: string; mandates: readonly Mandate[] }): void {
    this.#write(() => this.#writes.markSent(id, this.#now(), burn));
  }

  /** Makes every pending item due now (the host came back, or a flush). Returns how many moved. */
  expediteAll(): number {
    return this.#write(() => this.#writes.expediteAll(this.#now()), false);
  }

  /** Moves a dead item back to pending (technician's `queue retry ID`). */
  retry(id: number): QueuedOperation {
    this.#write(() => this.#db.transaction(() => this.#writes.retryDead(id, this.#now())).immediate());
    this.#emit();
    return this.#mustGet(id);
  }

  /** False after a write failed (disk full, I/O error, damage) and until one succeeds again: health says so. */
  get writable(): boolean {
    return this.#fault === undefined;
  }

  /** The storage error that made the queue unwritable, while it lasts. */
  get fault(): QueueError | undefined {
    return this.#fault;
  }

  /** Earliest next_due_at among pending items, or null. */
  nextDueAt(): number | null {
    return this.#writes.nextDueAt();
  }

  /** Open (pending or sending) items of this card: the checkout may wait for them before an online burn. */
  openCountForCard(card: CardRef): number {
    return this.#writes.openCountForCard(this.#cipher.fingerprint(card.pan));
  }

  get(id: number): QueuedOperation | undefined {
    return this.#reads.get(id);
  }

  getByTransactionId(transactionId: string): QueuedOperation | undefined {
    return this.#reads.getByTransactionId(transactionId);
  }

  list(opts: ListOptions = {}): QueuedOperation[] {
    return this.#reads.list(opts);
  }

  stats(): QueueStats {
    return this.#reads.stats(this.#now());
  }

  counters(): QueueCounters {
    return this.#reads.counters();
  }

  /** Called after each commit that adds or frees work (the forwarder wakes up). Returns an unsubscribe function. */
  onWork(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get now(): number {
    return this.#now();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    clearInterval(this.#strandTimer);
    clearInterval(this.#checkpointTimer);
    try {
      this.#hwm?.stop(() => this.#reads.counters().accepted);
      this.#db.close();
    } finally {
      this.#lock?.release();
    }
  }

  #insert(
    kind: OperationKind,
    card: CardRef,
    payload: OperationPayload,
    transactionId: string | undefined,
    o: { state: 'pending' | 'sending'; offline: boolean; points: number; sent?: boolean; ref?: PosRef | undefined },
  ): QueuedOperation {
    return this.#write(() => this.#insertRow(kind, card, payload, transactionId, o));
  }

  #insertRow(
    kind: OperationKind,
    card: CardRef,
    payload: OperationPayload,
    transactionId: string | undefined,
    o: { state: 'pending' | 'sending'; offline: boolean; points: number; sent?: boolean; ref?: PosRef | undefined },
  ): QueuedOperation {
    const txn = transactionId ?? randomUUID().replaceAll('-', '');
    if (txn.length === 0 || txn.length > MAX_TXN_ID || !/^[\x21-\x7e]+$/.test(txn)) {
      throw new QueueError('QUEUE_ERR_INPUT', `transactionId must be 1-${MAX_TXN_ID} printable ASCII characters`);
    }
    const now = this.#now();
    const row = this.#tx.insert.immediate({
      kind,
      card,
      cardFp: this.#cipher.fingerprint(card.pan),
      masked: maskPan(card.pan),
      payload,
      transactionId: txn,
      state: o.state,
      offline: o.offline,
      points: o.points,
      sentAt: o.sent ? now : null,
      now,
      ...(o.ref === undefined ? {} : { ref: o.ref }),
    });
    this.#emit();
    return toQueuedOperation(row);
  }

  #direct(op: QueuedOperation): void {
    const id = op.id;
    if (!(op.kind === 'burn' || op.kind === 'offer-redeem') || op.offline || op.state !== 'sending') {
      throw new QueueError('QUEUE_ERR_STATE', `queue record ${id} is not a direct operation in flight (kind ${op.kind}, state ${op.state})`);
    }
  }

  #mustGet(id: number): QueuedOperation {
    const op = this.#reads.get(id);
    if (!op) throw new QueueError('QUEUE_ERR_NOT_FOUND', `no queue record with id ${id}`);
    return op;
  }

  /**
   * Runs one write. A storage failure becomes a typed QueueError (FULL,
   * CORRUPT, IO) naming the file, and marks the queue unwritable until a
   * write that surely wrote (`proof`: not a claim or an update that may
   * match no row) succeeds again.
   */
  #write<T>(fn: () => T, proof = true): T {
    if (this.#closed) throw new QueueError('QUEUE_ERR_CLOSED', 'the queue is closed');
    try {
      const out = fn();
      if (this.#fault !== undefined && proof) {
        this.#log?.info({ code: this.#fault.code }, 'queue writable again');
        this.#fault = undefined;
      }
      return out;
    } catch (err) {
      const typed = storageError(err, this.#path);
      if (typed instanceof QueueError && STORAGE_ERROR_CODES.has(typed.code)) {
        if (this.#fault === undefined) this.#log?.error({ code: typed.code }, typed.message);
        this.#fault = typed;
      }
      throw typed;
    }
  }

  /**
   * Settles a direct operation (the checkout's own send). When the write
   * fails, the operation is left in flight with an outcome the host may have
   * applied: it is remembered, and resolved as an unknown outcome (a reversal
   * for a burn) as soon as the store takes writes again, without a restart.
   */
  #settleDirect(id: number, settle: () => void, later?: (op: QueuedOperation) => () => void): void {
    let op: QueuedOperation | undefined;
    try {
      op = this.#mustGet(id);
      this.#direct(op);
      this.#write(settle);
      this.#stranded.delete(id);
    } catch (err) {
      const typed = storageError(err, this.#path);
      if (typed instanceof QueueError && STORAGE_ERROR_CODES.has(typed.code)) {
        this.#fault ??= typed;
        this.#strand(id, op && later ? later(op) : settle);
      }
      throw typed;
    }
  }

  #startCheckpoints(everyMs: number): void {
    this.#checkpointTimer = setInterval(() => {
      try {
        this.#db.pragma('wal_checkpoint(PASSIVE)');
      } catch (err) {
        this.#log?.warn({ code: (storageError(err, this.#path) as { code?: string }).code }, 'WAL checkpoint failed; SQLite retries at the next one');
      }
    }, everyMs);
    this.#checkpointTimer.unref();
  }

  #strand(id: number, action: () => void): void {
    this.#stranded.set(id, action);
    if (this.#strandTimer !== undefined) return;
    this.#strandTimer = setInterval(() => this.#resolveStranded(), STRANDED_RETRY_MS);
    this.#strandTimer.unref();
  }

  /** Direct operations whose settle failed: each gets the settle it was meant to have (a burn's approval: a reversal) once writes go through. */
  #resolveStranded(): void {
    for (const [id, action] of [...this.#stranded]) {
      try {
        const op = this.#reads.get(id);
        if (op?.state === 'sending') action();
        this.#stranded.delete(id);
        this.#emit();
        this.#log?.warn({ id, kind: op?.kind }, 'direct operation stranded by a storage failure now settled');
      } catch {
        return; // still failing: try again on the next tick
      }
    }
    clearInterval(this.#strandTimer);
    this.#strandTimer = undefined;
  }

  /** Deferred to a microtask, so listeners run after the enclosing transaction committed. */
  #emit(): void {
    if (this.#listeners.size === 0) return;
    queueMicrotask(() => {
      for (const l of this.#listeners) l();
    });
  }
}

/** Records the key's check value on first open; refuses a different key later (its card data would not open). */
function checkKey(db: Database.Database, check: string, path: string): void {
  const row = db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE name = 'key_check'`).get();
  if (row === undefined) {
    db.prepare(`INSERT INTO meta (name, value) VALUES ('key_check', ?)`).run(check);
  } else if (row.value !== check) {
    throw new QueueError(
      'QUEUE_ERR_KEY_MISMATCH',
      `queue ${path} was written with a different key; point queue.keyFile at the key it was created with`,
    );
  }
}

/**
 * The checks before the first write, on a read-only connection (closing it
 * leaves every file as it was): queue.path is a regular file; the database
 * passes `PRAGMA quick_check`; it holds at least the high-water mark of
 * accepted operations (a missing file counts as none), unless the loss is
 * being accepted.
 */
function inspectBeforeWriting(path: string, hwm: HighWaterMark, acceptLoss: boolean): void {
  let st: Stats | undefined;
  try {
    st = statSync(path);
  } catch {
    st = undefined; // not there yet: SQLite creates it
  }
  if (st && !st.isFile()) {
    throw new QueueError('QUEUE_ERR_IO', `queue.path ${path} is not a regular file; point queue.path at a file (it is created if missing)`);
  }
  let accepted = 0;
  if (st && st.size > 0) {
    const ro = new Database(path, { readonly: true, fileMustExist: true });
    try {
      quickCheck(ro, path);
      const hasCounters = ro.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'counters'`).get() !== undefined;
      accepted = hasCounters ? (ro.prepare(`SELECT value FROM counters WHERE name = 'accepted'`).get() as { value: number } | undefined)?.value ?? 0 : 0;
    } finally {
      ro.close();
    }
  }
  if (!acceptLoss) hwm.check(accepted);
}

/** `PRAGMA quick_check`: a damaged page is found at start, not in the middle of a sale. */
function quickCheck(db: Database.Database, path: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  if (rows.length === 1 && rows[0]?.quick_check === 'ok') return;
  throw new QueueError(
    'QUEUE_ERR_CORRUPT',
    `queue ${path} failed its integrity check (${rows.length} problem(s), first: ${rows[0]?.quick_check ?? 'unknown'}); stop the agent, keep the file and its -wal for the vendor, restore the last backup or start a new queue file, then run "pos-agent queue accept-loss"`,
  );
}

/** The queue holds card data (encrypted) and money owed: the file and its -wal / -shm are the agent's user's alone. */
function restrictModes(path: string): void {
  for (const f of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
