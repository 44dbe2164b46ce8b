import type Database from 'better-sqlite3';
import type { CardRef } from '../../protocol/cardRef.js';
import type { Mandate } from '../../protocol/loyalty/mandate.js';
import type { CardCipher } from './cardCipher.js';
import type { OpRow } from './opRow.js';
import { toQueuedOperation } from './opRow.js';
import { QueueError } from './queueError.js';
import type { BurnPayload, ClaimedOperation, OperationKind, OperationPayload, PosRef, Settlement } from './queueTypes.js';
import { decideOutcome } from './decideOutcome.js';
import type { ReferenceBook } from './referenceBook.js';

export interface InsertInput {
  kind: OperationKind;
  card: CardRef;
  cardFp: string;
  masked: string;
  payload: OperationPayload;
  transactionId: string;
  state: 'pending' | 'sending';
  offline: boolean;
  points: number;
  sentAt: number | null;
  now: number;
  /** Card order; default the record id. A reversal takes its burn's seq + 0.5. */
  seq?: number;
  /** The POS reference this operation belongs to, recorded in the same transaction. */
  ref?: PosRef;
}

/**
 * The write side of the queue: prepared statements and the row-level steps.
 * Every method runs inside a transaction opened by OperationQueue.
 */
export class QueueWrites {
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
      lastDueOfCard: db.prepare<[string], { d: number }>(
        `SELECT next_due_at AS d FROM ops WHERE card_fp = ? AND state IN ('pending', 'sending') ORDER BY seq DESC LIMIT 1`,
      ),
      insert: db.prepare(
        `INSERT INTO ops (id, transaction_id, kind, offline, state, card_fp, card_masked, card_blob, payload, points, seq,
           created_at, next_due_at, sent_at, updated_at)
         VALUES (@id, @transaction_id, @kind, @offline, @state, @card_fp, @card_masked, @card_blob, @payload, @points, @seq,
           @created_at, @next_due_at, @sent_at, @updated_at)`,
      ),
      getRow: db.prepare<[number], OpRow>(`SELECT * FROM ops WHERE id = ?`),
      bump: db.prepare<[number, string]>(`UPDATE counters SET value = value + ? WHERE name = ?`),
      stuck: db.prepare<[], OpRow>(`SELECT * FROM ops WHERE state = 'sending' ORDER BY id LIMIT 500`),
      done: db.prepare<[string | null, number, number]>(
        `UPDATE ops SET state = 'done', result = ?, updated_at = ? WHERE id = ? AND state = 'sending'`,
      ),
      dead: db.prepare<[string, number, number]>(
        `UPDATE ops SET state = 'dead', dead_reason = ?, updated_at = ? WHERE id = ? AND state IN ('sending', 'pending')`,
      ),
      abandoned: db.prepare<[string, number, number]>(
        `UPDATE ops SET state = 'abandoned', dead_reason = ?, updated_at = ? WHERE id = ? AND state IN ('sending', 'pending')`,
      ),
      retry: db.prepare<{ err: string; due: number; now: number; id: number }>(
        `UPDATE ops SET state = 'pending', attempts = attempts + 1, last_error = @err, next_due_at = @due, updated_at = @now
         WHERE id = @id AND state = 'sending'`,
      ),
      // After a crash mid-send: pending again, and counted as an attempt (it may have reached the host).
      interrupted: db.prepare<[number, number]>(
        `UPDATE ops SET state = 'pending', attempts = attempts + 1, last_error = 'interrupted mid-send (agent restart)', updated_at = ?
         WHERE id = ? AND state = 'sending'`,
      ),
      pushLater: db.prepare<{ fp: string; seq: number; due: number }>(
        `UPDATE ops SET next_due_at = MAX(next_due_at, @due)
         WHERE card_fp = @fp AND state IN ('pending', 'sending') AND state = 'pending' AND seq > @seq`,
      ),
      release: db.prepare<[number, number]>(`UPDATE ops SET state = 'pending', updated_at = ? WHERE id = ? AND state = 'sending'`),
      heads: db.prepare<{ due: number; lim: number }, { card_fp: string }>(
        `SELECT o.card_fp FROM ops o INDEXED BY ops_state_due
         WHERE o.state = 'pending' AND o.next_due_at <= @due
           AND NOT EXISTS (SELECT 1 FROM ops p WHERE p.card_fp = o.card_fp AND p.state IN ('pending', 'sending') AND p.seq < o.seq)
         ORDER BY o.next_due_at LIMIT @lim`,
      ),
      chain: db.prepare<[string, number], OpRow>(
        `SELECT * FROM ops WHERE card_fp = ? AND state IN ('pending', 'sending') ORDER BY seq LIMIT ?`,
      ),
      toSending: db.prepare<{ now: number; fp: string; lo: number; hi: number }>(
        `UPDATE ops SET state = 'sending', updated_at = @now
         WHERE card_fp = @fp AND state IN ('pending', 'sending') AND state = 'pending' AND seq >= @lo AND seq <= @hi`,
      ),
      markSent: db.prepare<[number, number, number]>(`UPDATE ops SET sent_at = COALESCE(sent_at, ?), updated_at = ? WHERE id = ?`),
      // An offline burn's request as it goes on the wire: a resend repeats it to the letter, so the host replays its answer.
      markSentWith: db.prepare<{ now: number; id: number; trx: string; mandates: string }>(
        `UPDATE ops SET sent_at = COALESCE(sent_at, @now), updated_at = @now,
           payload = json_set(payload, '$.rewardTrxId', @trx, '$.mandates', json(@mandates)) WHERE id = @id`,
      ),
      expedite: db.prepare<[number, number]>(`UPDATE ops SET next_due_at = ? WHERE state = 'pending' AND next_due_at > ?`),
      reviveDead: db.prepare<[number, number, number]>(
        `UPDATE ops SET state = 'pending', dead_reason = NULL, next_due_at = ?, updated_at = ? WHERE id = ? AND state = 'dead'`,
      ),
      minDue: db.prepare<[], { d: number | null }>(`SELECT MIN(next_due_at) AS d FROM ops WHERE state = 'pending'`),
      openOfCard: db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM ops WHERE card_fp = ? AND state IN ('pending', 'sending')`),
    };
  }

  /**
   * Inserts one row and bumps `accepted`, and returns the row as written
   * (built from the values inserted: no read-back). The record id comes from
   * an in-memory counter seeded from MAX(id): this connection is the only one
   * that inserts (writer lock). A rolled-back enclosing transaction can only
   * leave the counter ahead of the table, which just skips ids.
   */
  insert(i: InsertInput): OpRow {
    const id = this.#nextId ?? (this.#s.nextId.get() as { id: number }).id;
    const lastDue = this.#s.lastDueOfCard.get(i.cardFp)?.d ?? i.now;
    const row: OpRow = {
      id,
      transaction_id: i.transactionId,
      kind: i.kind,
      offline: i.offline ? 1 : 0,
      state: i.state,
      card_fp: i.cardFp,
      card_masked: i.masked,
      card_blob: this.#cipher.seal(i.card, id),
      payload: JSON.stringify(i.payload),
      points: i.points,
      seq: i.seq ?? id,
      attempts: 0,
      last_error: null,
      dead_reason: null,
      result: null,
      created_at: i.now,
      // Keep a card's items due in card order: never earlier than the card's last open item.
      next_due_at: i.seq === undefined ? Math.max(i.now, lastDue) : i.now,
      sent_at: i.sentAt,
      updated_at: i.now,
    };
    this.#nextId = undefined;
    try {
      this.#s.insert.run(row);
      this.#s.bump.run(1, 'accepted');
      if (i.ref) this.#refs.link(i.ref, id, i.now);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new QueueError('QUEUE_ERR_INPUT', `transactionId ${i.transactionId} is already in the queue`, { cause: err });
      }
      throw err;
    }
    this.#nextId = id + 1;
    return row;
  }

  /**
   * Boot recovery of rows a crash left in 'sending' (rule 3). A direct burn
   * that may have reached the host (sent_at set) was not yet approved to the
   * POS, so its outcome is unknown: it becomes dead with a durable reversal.
   * Everything else goes back to pending with the same transactionId:
   * earnings, offer redemptions and reversals are idempotent, and an offline
   * burn was approved to the POS, so it is never reversed, only resent.
   */
  recover(now: number): { requeued: number; reversed: number } {
    let requeued = 0;
    let reversed = 0;
    for (;;) {
      const rows = this.#s.stuck.all();
      if (rows.length === 0) break;
      for (const row of rows) {
        // Interrupted mid-send: sent, no answer, as the outcome table sees it. Only a direct burn's POS was not told approved.
        const decision = decideOutcome({
          kind: row.kind,
          toldApproved: !(row.kind === 'burn' && row.offline === 0),
          sentBefore: row.sent_at !== null,
          answer: row.sent_at !== null || row.kind !== 'burn' ? 'unknown' : 'not-sent',
        });
        if (decision === 'reverse') {
          this.unknownOutcome(row.id, 'interrupted mid-send (agent restart)', now);
          reversed++;
        } else {
          this.#s.interrupted.run(now, row.id);
          requeued++;
        }
      }
    }
    return { requeued, reversed };
  }

  /** The burn → dead 'unknown-outcome', plus a pending reversal ordered right after it. Returns the reversal's id. */
  unknownOutcome(id: number, reason: string, now: number): number {
    const row = this.#s.getRow.get(id);
    if (!row) throw new QueueError('QUEUE_ERR_NOT_FOUND', `no queue record with id ${id}`);
    if (row.kind !== 'burn' || row.state !== 'sending' || row.offline === 1) {
      // An offline burn was told approved to the POS: it is never reversed (rule 3).
      throw new QueueError('QUEUE_ERR_STATE', `queue record ${id} is not a direct burn in flight (kind ${row.kind}, state ${row.state}, offline ${row.offline})`);
    }
    this.#s.dead.run(`unknown-outcome: ${reason}`, now, id);
    this.#s.bump.run(1, 'dead');
    const card = this.#cipher.open(row.card_blob, row.id);
    const rev = this.insert({
      kind: 'reversal',
      card,
      cardFp: row.card_fp,
      masked: row.card_masked,
      payload: { originalTransactionId: row.transaction_id, originalSentAt: row.sent_at ?? now },
      transactionId: `${row.transaction_id.slice(0, 60)}-rev`,
      state: 'pending',
      offline: false,
      points: 0,
      sentAt: null,
      now,
      seq: row.seq + 0.5,
    });
    const reference = (JSON.parse(row.payload) as BurnPayload).reference;
    if (reference !== undefined) this.#refs.attach(reference, rev.id, now);
    return rev.id;
  }

  /** Applies several outcomes; the 'sent' counter is bumped once for the batch. */
  settleAll(items: readonly Settlement[], now: number): void {
    let sent = 0;
    for (const s of items) {
      if (s.outcome !== 'done') this.settle(s, now);
      else if (this.#s.done.run(s.result === undefined ? null : JSON.stringify(s.result), now, s.id).changes === 1) sent++;
    }
    if (sent > 0) this.#s.bump.run(sent, 'sent');
  }

  settle(s: Settlement, now: number): void {
    switch (s.outcome) {
      case 'done':
        if (this.#s.done.run(s.result === undefined ? null : JSON.stringify(s.result), now, s.id).changes === 1) {
          this.#s.bump.run(1, 'sent');
        }
        return;
      case 'dead':
        if (this.#s.dead.run(s.reason, now, s.id).changes === 1) {
          this.#s.bump.run(1, 'dead');
          if (s.expired) this.#s.bump.run(1, 'expired');
        }
        return;
      case 'abandoned':
        if (this.#s.abandoned.run(s.reason, now, s.id).changes === 1) this.#s.bump.run(1, 'abandoned');
        return;
      case 'retry': {
        const row = this.#s.getRow.get(s.id);
        if (this.#s.retry.run({ err: s.error, due: s.dueAt, now, id: s.id }).changes === 1 && row) {
          this.#s.bump.run(1, 'retried');
          this.#s.pushLater.run({ fp: row.card_fp, seq: row.seq, due: s.dueAt });
        }
        return;
      }
      case 'release':
        this.#s.release.run(now, s.id);
        return;
    }
  }

  claim(maxCards: number, chainLength: number, dueBy: number, now: number, exclude: ReadonlySet<string>): ClaimedOperation[][] {
    const chains: ClaimedOperation[][] = [];
    if (maxCards <= 0) return chains;
    const heads = this.#s.heads.all({ due: dueBy, lim: maxCards + exclude.size });
    for (const { card_fp } of heads) {
      if (chains.length >= maxCards) break;
      if (exclude.has(card_fp)) continue;
      const chain: ClaimedOperation[] = [];
      for (const row of this.#s.chain.all(card_fp, chainLength)) {
        if (row.state !== 'pending' || row.next_due_at > dueBy) break;
        let card: CardRef;
        try {
          card = this.#cipher.open(row.card_blob, row.id);
        } catch (err) {
          // Unreadable card data can never be sent: dead-letter it, visibly.
          this.#s.dead.run(`undecryptable: ${(err as Error).message}`, now, row.id);
          this.#s.bump.run(1, 'dead');
          continue;
        }
        chain.push({ ...toQueuedOperation(row), state: 'sending', card, cardFp: row.card_fp, seq: row.seq });
      }
      if (chain.length === 0) continue;
      // The chain is a run of the card's open rows in seq order, all pending (an undecryptable one
      // in between is dead by now): one UPDATE over its seq range marks exactly those rows.
      this.#s.toSending.run({ now, fp: card_fp, lo: (chain[0] as ClaimedOperation).seq, hi: (chain[chain.length - 1] as ClaimedOperation).seq });
      chains.push(chain);
    }
    return chains;
  }

  markSent(id: number, now: number, burn?: { rewardTrxId: string; mandates: readonly Mandate[] }): void {
    if (burn) this.#s.markSentWith.run({ now, id, trx: burn.rewardTrxId, mandates: JSON.stringify(burn.mandates) });
    else this.#s.markSent.run(now, now, id);
  }

  expediteAll(now: number): number {
    return this.#s.expedite.run(now, now).changes;
  }

  retryDead(id: number, now: number): void {
    const row = this.#s.getRow.get(id);
    if (!row) throw new QueueError('QUEUE_ERR_NOT_FOUND', `no queue record with id ${id}`);
    if (row.state !== 'dead') throw new QueueError('QUEUE_ERR_STATE', `queue record ${id} is ${row.state}, only dead items can be retried`);
    if (row.kind === 'burn' && (row.offline === 0 || row.sent_at !== null)) {
      throw new QueueError(
        'QUEUE_ERR_STATE',
        `queue record ${id} is a burn that was sent or declined at the till (${row.dead_reason ?? 'dead'}); it cannot be resent`,
      );
    }
    this.#s.reviveDead.run(now, now, id);
    // A revived item counts once in dead (history) but is no longer dead: keep dead = items that died.
  }

  nextDueAt(): number | null {
    return this.#s.minDue.get()?.d ?? null;
  }

  openCountForCard(fp: string): number {
    return this.#s.openOfCard.get(fp)?.n ?? 0;
  }
}
