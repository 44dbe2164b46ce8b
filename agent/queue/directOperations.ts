import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { CardRef, Clock } from '../../protocol/index.js';
import { QueueError } from './queueError.js';
import type { QueueView } from './queueView.js';
import type { BurnPayload, OfferRedeemPayload, OperationResult, PosRef, QueuedOperation, Settlement } from './queueTypes.js';
import type { ReferenceBook } from './referenceBook.js';
import type { ReversalRules } from './reversalRules.js';
import type { SendLifecycle } from './sendLifecycle.js';
import { isStorageFailure, type StorageHealth } from './storageHealth.js';

/** What `beginDirect` takes: a burn (written before its balance answers, so its rewardTrxId and mandates are optional), or an offer redemption. */
export type DirectInput =
  | { kind: 'burn'; card: CardRef; payload: BurnPayload; transactionId?: string; ref?: PosRef }
  | { kind: 'offer-redeem'; card: CardRef; payload: OfferRedeemPayload; transactionId?: string; ref?: PosRef };

/** How often direct operations stranded by a failed write are retried, ms. */
const STRANDED_RETRY_MS = 1000;

/** The parts of the queue a direct operation's settle uses. */
export interface DirectParts {
  db: Database.Database;
  view: QueueView;
  lifecycle: SendLifecycle;
  rules: ReversalRules;
  refs: ReferenceBook;
  health: StorageHealth;
  now: Clock;
  log: Logger | undefined;
  /** The queue's write: refused once closed, storage failures typed (StorageHealth.run). */
  write: <T>(fn: () => T) => T;
  /** Wakes the queue's work listeners (after the commit). */
  emit: () => void;
}

/**
 * The end of an operation the checkout sends itself (an online burn or an
 * offer redemption, recorded 'sending' before the send): approved, declined,
 * never sent, or no answer (a burn gets a durable reversal; an offer
 * redemption is resent). When the settle cannot be written, the operation is
 * left in flight with an outcome the host may have applied: it is
 * remembered, and resolved as soon as the store takes writes again, without
 * a restart (a burn whose approval was lost to the store: a reversal, since
 * the POS heard 503).
 */
export class DirectOperations {
  readonly #p: DirectParts;
  /** Direct operations whose settle failed on a storage error, with the settle each is owed. */
  readonly #stranded = new Map<number, () => void>();
  #strandTimer: NodeJS.Timeout | undefined;

  constructor(parts: DirectParts) {
    this.#p = parts;
  }

  /** The host approved: done, and with `final` the POS answer of its reference, in one commit. */
  complete(id: number, result: OperationResult, final?: { ref: PosRef; answer: unknown }): void {
    const complete = () => {
      const now = this.#p.now();
      this.#p.db
        .transaction(() => {
          this.#p.lifecycle.settle([{ id, outcome: 'done', result }], now);
          if (final) this.#p.refs.recordAnswer(final.ref, final.answer, now);
        })
        .immediate();
    };
    // A burn whose approval could not be written was answered 503 (not approved): once the store takes
    // writes again it is reversed. An offer redemption has no reversal: its approval is recorded as it was.
    this.#settle(id, complete, (op) => (op.kind === 'burn' ? () => this.#reverseNow(id, 'its approval could not be recorded (storage failure)') : complete));
  }

  /** The host declined: dead, its reason kept (a stable refusal reason: see declineReason). */
  reject(id: number, reason: string): void {
    this.#settle(id, () => this.#settleRows([{ id, outcome: 'dead', reason, refusal: reason }]));
  }

  /** It never left the terminal: abandoned (not a dead-letter item). */
  abandon(id: number, reason: string): void {
    this.#settle(id, () => this.#settleRows([{ id, outcome: 'abandoned', reason }]));
  }

  /**
   * No answer came (rule 3). A burn becomes dead 'unknown-outcome' with a
   * pending reversal, in one transaction; returns the reversal. An offer
   * redemption is queued to be resent with the same transactionId; returns it.
   */
  unknownOutcome(id: number, reason: string): QueuedOperation {
    let out: QueuedOperation | undefined;
    this.#settle(id, () => {
      out = this.#reverseNow(id, reason);
    });
    return out as QueuedOperation;
  }

  /** Stops retrying stranded operations (the queue closes; recovery at the next open resolves them). */
  close(): void {
    clearInterval(this.#strandTimer);
    this.#strandTimer = undefined;
  }

  #reverseNow(id: number, reason: string): QueuedOperation {
    const p = this.#p;
    if (this.#mustGet(id).kind === 'offer-redeem') {
      // No reversal exists for an offer redemption; the host redeems idempotently by
      // transactionId, so the forwarder resends it with the same id.
      p.write(() => p.db.transaction(() => p.lifecycle.settle([{ id, outcome: 'retry', error: `unknown-outcome: ${reason}`, dueAt: p.now() }], p.now())).immediate());
      p.emit();
      return this.#mustGet(id);
    }
    const revId = p.write(() => p.db.transaction(() => p.rules.reverseUnknownBurn(id, reason, p.now())).immediate());
    p.emit();
    return this.#mustGet(revId);
  }

  #settleRows(items: readonly Settlement[]): void {
    const p = this.#p;
    p.write(() => p.db.transaction(() => p.lifecycle.settle(items, p.now())).immediate());
  }

  #mustGet(id: number): QueuedOperation {
    const op = this.#p.view.get(id);
    if (!op) throw new QueueError('QUEUE_ERR_NOT_FOUND', `no queue record with id ${id}`);
    return op;
  }

  /**
   * Runs `settle` on a direct operation in flight. On a storage failure the
   * operation is stranded with the settle it is owed (`later(op)`, default
   * `settle` itself), retried every STRANDED_RETRY_MS.
   */
  #settle(id: number, settle: () => void, later?: (op: QueuedOperation) => () => void): void {
    let op: QueuedOperation | undefined;
    try {
      op = this.#mustGet(id);
      if (!(op.kind === 'burn' || op.kind === 'offer-redeem') || op.offline || op.state !== 'sending') {
        throw new QueueError('QUEUE_ERR_STATE', `queue record ${id} is not a direct operation in flight (kind ${op.kind}, state ${op.state})`);
      }
      this.#p.write(settle);
      this.#stranded.delete(id);
    } catch (err) {
      const typed = this.#p.health.note(err);
      if (isStorageFailure(typed)) this.#strand(id, op && later ? later(op) : settle);
      throw typed;
    }
  }

  #strand(id: number, action: () => void): void {
    this.#stranded.set(id, action);
    if (this.#strandTimer !== undefined) return;
    this.#strandTimer = setInterval(() => this.#resolveStranded(), STRANDED_RETRY_MS);
    this.#strandTimer.unref();
  }

  /** Each stranded operation gets the settle it was meant to have once writes go through. */
  #resolveStranded(): void {
    for (const [id, action] of [...this.#stranded]) {
      try {
        const op = this.#p.view.get(id);
        // Through the queue's write, like any other: a rolled-back settle must not wake whenSettled waiters.
        if (op?.state === 'sending') this.#p.write(action);
        this.#stranded.delete(id);
        this.#p.emit();
        this.#p.log?.warn({ id, kind: op?.kind }, 'direct operation stranded by a storage failure now settled');
      } catch {
        return; // still failing: try again on the next tick
      }
    }
    this.close();
  }
}
