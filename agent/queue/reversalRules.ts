import type Database from 'better-sqlite3';
import type { CardCipher } from './cardCipher.js';
import { decideOutcome } from './decideOutcome.js';
import type { OperationIntake } from './operationIntake.js';
import type { OpRow } from './opRow.js';
import { toQueuedOperation } from './opRow.js';
import { QueueError } from './queueError.js';
import type { QueuedOperation } from './queueTypes.js';
import type { QueueView } from './queueView.js';
import type { ReferenceBook } from './referenceBook.js';
import type { SendLifecycle } from './sendLifecycle.js';

/** A direct burn whose answer never came: it may have applied, and its reversal is queued (rule 3). */
export function diedOfUnknownOutcome(op: Pick<QueuedOperation, 'state' | 'unknownOutcome'>): boolean {
  return op.state === 'dead' && op.unknownOutcome;
}

/** The transactionId of the reversal the agent makes for burn `transactionId` (at most 64 characters). */
export function reversalTransactionId(transactionId: string): string {
  return `${transactionId.slice(0, 60)}-rev`;
}

/**
 * Why a dead operation may not be sent again by a technician, or null when it
 * may: a burn that was sent, or declined at the till (a direct burn), could
 * debit twice or debit what the POS was told failed; and an operation that a
 * void or return undoes (`undos` of them name it) would land after its undo.
 */
export function resendRefusal(op: Pick<QueuedOperation, 'id' | 'kind' | 'state' | 'offline' | 'sentAt' | 'deadReason'>, undos: number): string | null {
  if (op.state !== 'dead') return `queue record ${op.id} is ${op.state}, only dead items can be retried`;
  if (undos > 0) {
    // A void or return already settled it as "nothing to undo": sent now, it would land after its own undo.
    return `queue record ${op.id} belongs to a sale that a void or return has undone since; it cannot be resent`;
  }
  if (op.kind === 'burn' && (!op.offline || op.sentAt !== null)) {
    return `queue record ${op.id} is a burn that was sent or declined at the till (${op.deadReason ?? 'dead'}); it cannot be resent`;
  }
  return null;
}

/**
 * The rules that decide when the agent reverses, resends or leaves alone
 * (DESIGN.md rule 3): a direct burn whose answer never came becomes dead with
 * a durable reversal; what the POS was told approved is only ever resent; a
 * technician may revive a dead item only when resending it cannot debit twice.
 * Every method runs inside a transaction the queue opens.
 */
export class ReversalRules {
  readonly #cipher: CardCipher;
  readonly #intake: OperationIntake;
  readonly #lifecycle: SendLifecycle;
  readonly #refs: ReferenceBook;
  readonly #getRow: Database.Statement<[number], OpRow>;
  readonly #view: QueueView;

  constructor(db: Database.Database, parts: { cipher: CardCipher; intake: OperationIntake; lifecycle: SendLifecycle; refs: ReferenceBook; view: QueueView }) {
    this.#cipher = parts.cipher;
    this.#intake = parts.intake;
    this.#lifecycle = parts.lifecycle;
    this.#refs = parts.refs;
    this.#view = parts.view;
    this.#getRow = db.prepare(`SELECT * FROM ops WHERE id = ?`);
  }

  /**
   * A direct burn's answer never came: it becomes dead 'unknown-outcome', and
   * a pending reversal is queued, ordered right after it (before anything
   * newer for the card) and attached to its POS reference. Returns the reversal's id.
   */
  reverseUnknownBurn(id: number, reason: string, now: number): number {
    const row = this.#getRow.get(id);
    if (!row) throw new QueueError('QUEUE_ERR_NOT_FOUND', `no queue record with id ${id}`);
    if (row.kind !== 'burn' || row.state !== 'sending' || row.offline === 1) {
      // An offline burn was told approved to the POS: it is never reversed (rule 3).
      throw new QueueError('QUEUE_ERR_STATE', `queue record ${id} is not a direct burn in flight (kind ${row.kind}, state ${row.state}, offline ${row.offline})`);
    }
    this.#lifecycle.settle([{ id, outcome: 'dead', reason: `unknown-outcome: ${reason}`, unknownOutcome: true }], now);
    const rev = this.#intake.accept({
      kind: 'reversal',
      card: this.#cipher.open(row.card_blob, row.id),
      // The burn left at the latest now: its record is written while its balance call is in flight,
      // so sent_at may precede the real send, and "could it still land" must count from now.
      payload: { originalTransactionId: row.transaction_id, originalSentAt: now },
      transactionId: reversalTransactionId(row.transaction_id),
      state: 'pending',
      offline: false,
      points: 0,
      seq: row.seq + 0.5,
    }, now);
    // The burn's POS reference (its row's pos_ref, the one link) gets the reversal too.
    if (row.pos_ref !== null) this.#refs.attach(row.pos_ref, rev.id, now);
    return rev.id;
  }

  /**
   * Boot recovery of rows a crash left in 'sending', as the outcome table
   * says for "sent, no answer". A direct burn that may have reached the host
   * (sent_at set) was not yet approved to the POS: it is reversed. Everything
   * else goes back to pending with the same transactionId: earnings, offer
   * redemptions and reversals are idempotent, and an offline burn was
   * approved to the POS, so it is never reversed, only resent.
   */
  recover(now: number): { requeued: number; reversed: number } {
    let requeued = 0;
    let reversed = 0;
    for (;;) {
      const rows = this.#lifecycle.interrupted();
      if (rows.length === 0) break;
      for (const row of rows) {
        const decision = decideOutcome({
          kind: row.kind,
          toldApproved: !(row.kind === 'burn' && row.offline === 0),
          sentBefore: row.sent_at !== null,
          answer: row.sent_at !== null || row.kind !== 'burn' ? 'unknown' : 'not-sent',
        });
        if (decision === 'reverse') {
          this.reverseUnknownBurn(row.id, 'interrupted mid-send (agent restart)', now);
          reversed++;
        } else {
          this.#lifecycle.requeueInterrupted(row.id, now);
          requeued++;
        }
      }
    }
    return { requeued, reversed };
  }

  /** A technician's `queue retry ID`: a dead item back to pending, if resending it is safe (resendRefusal). */
  retryDead(id: number, now: number): void {
    const row = this.#getRow.get(id);
    if (!row) throw new QueueError('QUEUE_ERR_NOT_FOUND', `no queue record with id ${id}`);
    const refusal = resendRefusal(toQueuedOperation(row), this.#view.undosOf(row.transaction_id));
    if (refusal !== null) throw new QueueError('QUEUE_ERR_STATE', refusal);
    this.#lifecycle.revive(id, now);
  }
}
