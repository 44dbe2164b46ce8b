import { randomFillSync } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CardRef } from '../../protocol/index.js';
import { maskPan } from '../../protocol/index.js';
import type { CardCipher } from './cardCipher.js';
import type { OpRow } from './opRow.js';
import { QueueError } from './queueError.js';
import type { OperationBody, PosRef } from './queueTypes.js';
import type { ReferenceBook } from './referenceBook.js';
import { NEXT_ID_SQL } from './schema.js';

/** The most characters a transactionId may have; generated ones are 32 hex characters. */
const MAX_TXN_ID = 64;
/** Generated transactionIds are 16 random bytes, cut from one CSPRNG fill of this many (one RNG call per 256 ids). */
const ID_POOL_BYTES = 16 * 256;

/** One operation to accept: its kind and payload, the card, and how it enters the queue. */
export type Admission = OperationBody & {
  card: CardRef;
  /** The host idempotency key. Default: a fresh 32-hex-character id. */
  transactionId?: string | undefined;
  /** 'sending' for an operation the checkout sends itself (then `sent` too). */
  state: 'pending' | 'sending';
  /** True for a burn approved offline. */
  offline: boolean;
  /** Points an offline burn debits (its share of the offline limits); 0 otherwise. */
  points: number;
  /** The operation goes on the wire as it is written: sent_at is now. Default false. */
  sent?: boolean;
  /** Card order (an undo goes after every older item of its card); default the record id. A reversal takes its burn's seq + 0.5. */
  seq?: number;
  /** The POS reference this operation belongs to, recorded in the same transaction: the row's `pos_ref`, its one link. */
  ref?: PosRef | undefined;
};

/**
 * Accepts operations into the queue (rule 1: durable first): checks the
 * transactionId, seals the card, writes the row (naming its POS reference in
 * `pos_ref`) and records the reference. Runs inside a transaction the queue
 * opens. The row counts as accepted by its id (schema.ts, ACCEPTED_SQL): the
 * enqueue writes no counter.
 */
export class OperationIntake {
  readonly #cipher: CardCipher;
  readonly #refs: ReferenceBook;
  readonly #s;
  readonly #idPool = Buffer.alloc(ID_POOL_BYTES);
  #idPos = ID_POOL_BYTES;

  constructor(db: Database.Database, cipher: CardCipher, refs: ReferenceBook) {
    this.#cipher = cipher;
    this.#refs = refs;
    this.#s = {
      // The next id, read in the inserting transaction (ids stay dense: ACCEPTED_SQL counts them).
      next: db.prepare<[], { id: number }>(`SELECT ${NEXT_ID_SQL} AS id`),
      insert: db.prepare<[number, string, string, number, string, string, string, Buffer, string, number, number, number, number, number | null, number, string | null, string | null]>(
        `INSERT INTO ops (id, transaction_id, kind, offline, state, card_fp, card_masked, card_blob, payload, points, seq,
           created_at, next_due_at, sent_at, updated_at, pos_ref, original_txn)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  /**
   * Inserts one row and returns it as written (built from the values
   * inserted: no read-back). Its id is the next one in this transaction, so a
   * rolled-back transaction leaves no gap in the ids.
   */
  accept(a: Admission, now: number): OpRow {
    const txn = a.transactionId ?? this.#newTransactionId();
    if (a.transactionId !== undefined && (txn.length === 0 || txn.length > MAX_TXN_ID || !/^[\x21-\x7e]+$/.test(txn))) {
      throw new QueueError('QUEUE_ERR_INPUT', `transactionId must be 1-${MAX_TXN_ID} printable ASCII characters`);
    }
    const cardFp = this.#cipher.fingerprint(a.card.pan);
    const id = (this.#s.next.get() as { id: number }).id;
    const row: OpRow = {
      id,
      transaction_id: txn,
      kind: a.kind,
      offline: a.offline ? 1 : 0,
      state: a.state,
      card_fp: cardFp,
      card_masked: maskPan(a.card.pan),
      card_blob: this.#cipher.seal(a.card, id),
      payload: JSON.stringify(a.payload),
      points: a.points,
      seq: a.seq ?? id,
      attempts: 0,
      last_error: null,
      dead_reason: null,
      result: null,
      created_at: now,
      // Due at once: an item waits only for what it depends on, which the claim checks (SendLifecycle.claim).
      next_due_at: now,
      sent_at: a.sent === true ? now : null,
      updated_at: now,
      pos_ref: a.ref?.reference ?? null,
      refusal: null,
      unknown_outcome: 0,
      original_txn: 'originalTransactionId' in a.payload ? a.payload.originalTransactionId : null,
    };
    try {
      this.#s.insert.run(
        row.id, row.transaction_id, row.kind, row.offline, row.state, row.card_fp, row.card_masked, row.card_blob, row.payload, row.points, row.seq,
        row.created_at, row.next_due_at, row.sent_at, row.updated_at, row.pos_ref, row.original_txn,
      );
      if (a.ref) this.#refs.link(a.ref, now);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new QueueError('QUEUE_ERR_INPUT', `transactionId ${txn} is already in the queue`, { cause: err });
      }
      throw err;
    }
    return row;
  }

  /** A fresh transactionId: 32 hex characters, 128 random bits. */
  #newTransactionId(): string {
    if (this.#idPos === ID_POOL_BYTES) {
      randomFillSync(this.#idPool);
      this.#idPos = 0;
    }
    return this.#idPool.toString('hex', this.#idPos, (this.#idPos += 16));
  }
}
