import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CardRef } from '../../protocol/index.js';
import { maskPan } from '../../protocol/index.js';
import type { CardCipher } from './cardCipher.js';
import type { OpRow } from './opRow.js';
import { QueueError } from './queueError.js';
import type { OperationBody, PosRef } from './queueTypes.js';
import type { ReferenceBook } from './referenceBook.js';

/** The most characters a transactionId may have; generated ones are 32 hex characters. */
const MAX_TXN_ID = 64;

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
  /** Card order; default the record id. A reversal takes its burn's seq + 0.5. */
  seq?: number;
  /** The POS reference this operation belongs to, recorded in the same transaction. */
  ref?: PosRef | undefined;
};

/**
 * Accepts operations into the queue (rule 1: durable first): checks the
 * transactionId, seals the card, writes the row, counts it as accepted and
 * links it to its POS reference. Runs inside a transaction the queue opens.
 */
export class OperationIntake {
  readonly #cipher: CardCipher;
  readonly #refs: ReferenceBook;
  readonly #s;
  /** The next record id, or undefined to read it from the table. */
  #nextId: number | undefined;

  constructor(db: Database.Database, cipher: CardCipher, refs: ReferenceBook) {
    this.#cipher = cipher;
    this.#refs = refs;
    this.#s = {
      nextId: db.prepare<[], { id: number }>(`SELECT COALESCE(MAX(id), 0) + 1 AS id FROM ops`),
      // Reads the partial index ops_card_open (schema.ts): the card's open rows, newest first.
      lastDueOfCard: db.prepare<[string], { d: number }>(
        `SELECT next_due_at AS d FROM ops WHERE card_fp = ? AND state IN ('pending', 'sending') ORDER BY seq DESC LIMIT 1`,
      ),
      insert: db.prepare(
        `INSERT INTO ops (id, transaction_id, kind, offline, state, card_fp, card_masked, card_blob, payload, points, seq,
           created_at, next_due_at, sent_at, updated_at, pos_ref)
         VALUES (@id, @transaction_id, @kind, @offline, @state, @card_fp, @card_masked, @card_blob, @payload, @points, @seq,
           @created_at, @next_due_at, @sent_at, @updated_at, @pos_ref)`,
      ),
      accepted: db.prepare(`UPDATE counters SET value = value + 1 WHERE name = 'accepted'`),
    };
  }

  /**
   * Inserts one row and bumps `accepted`, and returns the row as written
   * (built from the values inserted: no read-back). The record id comes from
   * an in-memory counter seeded from MAX(id): this connection is the only one
   * that inserts (writer lock). A rolled-back enclosing transaction can only
   * leave the counter ahead of the table, which just skips ids.
   */
  accept(a: Admission, now: number): OpRow {
    const txn = a.transactionId ?? randomUUID().replaceAll('-', '');
    if (txn.length === 0 || txn.length > MAX_TXN_ID || !/^[\x21-\x7e]+$/.test(txn)) {
      throw new QueueError('QUEUE_ERR_INPUT', `transactionId must be 1-${MAX_TXN_ID} printable ASCII characters`);
    }
    const cardFp = this.#cipher.fingerprint(a.card.pan);
    const id = this.#nextId ?? (this.#s.nextId.get() as { id: number }).id;
    const lastDue = this.#s.lastDueOfCard.get(cardFp)?.d ?? now;
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
      // Keep a card's items due in card order: never earlier than the card's last open item.
      next_due_at: a.seq === undefined ? Math.max(now, lastDue) : now,
      sent_at: a.sent === true ? now : null,
      updated_at: now,
      pos_ref: a.ref?.reference ?? null,
    };
    this.#nextId = undefined;
    try {
      this.#s.insert.run(row);
      this.#s.accepted.run();
      if (a.ref) this.#refs.link(a.ref, id, now);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new QueueError('QUEUE_ERR_INPUT', `transactionId ${txn} is already in the queue`, { cause: err });
      }
      throw err;
    }
    this.#nextId = id + 1;
    return row;
  }
}
