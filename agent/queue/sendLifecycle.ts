import type Database from 'better-sqlite3';
import type { CardRef } from '../../protocol/index.js';
import type { Mandate } from '../../protocol/loyalty/index.js';
import type { CardCipher } from './cardCipher.js';
import type { OpRow } from './opRow.js';
import { toQueuedOperation } from './opRow.js';
import type { ClaimedOperation, FinalState, Settlement } from './queueTypes.js';

/** What `claim` takes, as SendLifecycle runs it (OperationQueue fills in the defaults). */
export interface ClaimRequest {
  /** Most cards claimed. */
  maxCards: number;
  /** Most consecutive items of one card. */
  chainLength: number;
  /** Items due at or before this count as due, epoch ms. */
  dueBy: number;
  now: number;
  /** Card fingerprints to skip. */
  excludeCards: ReadonlySet<string>;
}

/**
 * The send lifecycle of one operation: claimed (pending → sending), put on
 * the wire (sent_at, and an offline burn's request), then settled: done,
 * dead, abandoned, retried later, or released unsent. `settle` is the one
 * place an operation reaches a final state: each one is reported to
 * `onFinal` (the queue fires its `whenSettled` waiters after the commit).
 * Every method runs inside a transaction the queue opens.
 *
 * Several statements say `state IN ('pending', 'sending') AND state = 'pending'`:
 * the first term is what lets SQLite use the partial index ops_card_open
 * (see schema.ts); the second is the condition meant.
 */
export class SendLifecycle {
  readonly #cipher: CardCipher;
  readonly #onFinal: (id: number, state: FinalState) => void;
  readonly #s;

  constructor(db: Database.Database, cipher: CardCipher, onFinal: (id: number, state: FinalState) => void) {
    this.#cipher = cipher;
    this.#onFinal = onFinal;
    this.#s = {
      getRow: db.prepare<[number], OpRow>(`SELECT * FROM ops WHERE id = ?`),
      bump: db.prepare<[number, string]>(`UPDATE counters SET value = value + ? WHERE name = ?`),
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
      // A retried item's later items (same card) wait at least as long: FIFO per card. Pending ones, and those
      // still claimed in the same chain (released right after, they must not come back due before it).
      pushLater: db.prepare<{ fp: string; seq: number; due: number }>(
        `UPDATE ops SET next_due_at = MAX(next_due_at, @due)
         WHERE card_fp = @fp AND state IN ('pending', 'sending') AND seq > @seq`,
      ),
      release: db.prepare<[number, number]>(`UPDATE ops SET state = 'pending', updated_at = ? WHERE id = ? AND state = 'sending'`),
      // Cards whose oldest open item is due: the (state, next_due_at) index finds due items in due order,
      // and the partial index ops_card_open answers "is an older item of this card still open?".
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
      minDue: db.prepare<[], { d: number | null }>(`SELECT MIN(next_due_at) AS d FROM ops WHERE state = 'pending'`),
      stuck: db.prepare<[], OpRow>(`SELECT * FROM ops WHERE state = 'sending' ORDER BY id LIMIT 500`),
      // After a crash mid-send: pending again, and counted as an attempt (it may have reached the host).
      interrupted: db.prepare<[number, number]>(
        `UPDATE ops SET state = 'pending', attempts = attempts + 1, last_error = 'interrupted mid-send (agent restart)', updated_at = ?
         WHERE id = ? AND state = 'sending'`,
      ),
      revive: db.prepare<[number, number, number]>(
        `UPDATE ops SET state = 'pending', dead_reason = NULL, next_due_at = ?, updated_at = ? WHERE id = ? AND state = 'dead'`,
      ),
    };
  }

  /**
   * Claims due work: up to `maxCards` cards whose oldest open item is due,
   * and for each up to `chainLength` consecutive due items in card order.
   * The rows become 'sending'.
   */
  claim(r: ClaimRequest): ClaimedOperation[][] {
    const chains: ClaimedOperation[][] = [];
    if (r.maxCards <= 0) return chains;
    const heads = this.#s.heads.all({ due: r.dueBy, lim: r.maxCards + r.excludeCards.size });
    for (const { card_fp } of heads) {
      if (chains.length >= r.maxCards) break;
      if (r.excludeCards.has(card_fp)) continue;
      const chain: ClaimedOperation[] = [];
      for (const row of this.#s.chain.all(card_fp, r.chainLength)) {
        if (row.state !== 'pending' || row.next_due_at > r.dueBy) break;
        let card: CardRef;
        try {
          card = this.#cipher.open(row.card_blob, row.id);
        } catch (err) {
          // Unreadable card data can never be sent: dead-letter it, visibly.
          this.settle([{ id: row.id, outcome: 'dead', reason: `undecryptable: ${(err as Error).message}` }], r.now);
          continue;
        }
        chain.push({ ...toQueuedOperation(row), state: 'sending', card, cardFp: row.card_fp, seq: row.seq });
      }
      if (chain.length === 0) continue;
      // The chain is a run of the card's open rows in seq order, all pending (an undecryptable one
      // in between is dead by now): one UPDATE over its seq range marks exactly those rows.
      this.#s.toSending.run({ now: r.now, fp: card_fp, lo: (chain[0] as ClaimedOperation).seq, hi: (chain[chain.length - 1] as ClaimedOperation).seq });
      chains.push(chain);
    }
    return chains;
  }

  /** Marks an operation as put on the wire; an offline burn's request (rewardTrxId, mandates) is kept for a resend. */
  markSent(id: number, now: number, burn?: { rewardTrxId: string; mandates: readonly Mandate[] }): void {
    if (burn) this.#s.markSentWith.run({ now, id, trx: burn.rewardTrxId, mandates: JSON.stringify(burn.mandates) });
    else this.#s.markSent.run(now, now, id);
  }

  /**
   * Applies outcomes, each counted once ('sent' bumped once for the batch):
   * the one place an operation becomes done, dead or abandoned.
   */
  settle(items: readonly Settlement[], now: number): void {
    let sent = 0;
    for (const s of items) {
      switch (s.outcome) {
        case 'done':
          if (this.#s.done.run(s.result === undefined ? null : JSON.stringify(s.result), now, s.id).changes === 1) {
            sent++;
            this.#onFinal(s.id, 'done');
          }
          break;
        case 'dead':
          if (this.#s.dead.run(s.reason, now, s.id).changes === 1) {
            this.#s.bump.run(1, 'dead');
            if (s.expired) this.#s.bump.run(1, 'expired');
            this.#onFinal(s.id, 'dead');
          }
          break;
        case 'abandoned':
          if (this.#s.abandoned.run(s.reason, now, s.id).changes === 1) {
            this.#s.bump.run(1, 'abandoned');
            this.#onFinal(s.id, 'abandoned');
          }
          break;
        case 'retry': {
          const row = this.#s.getRow.get(s.id);
          if (this.#s.retry.run({ err: s.error, due: s.dueAt, now, id: s.id }).changes === 1 && row) {
            this.#s.bump.run(1, 'retried');
            this.#s.pushLater.run({ fp: row.card_fp, seq: row.seq, due: s.dueAt });
          }
          break;
        }
        case 'release':
          this.#s.release.run(now, s.id);
          break;
      }
    }
    if (sent > 0) this.#s.bump.run(sent, 'sent');
  }

  /** Makes every pending item due now. Returns how many moved. */
  expediteAll(now: number): number {
    return this.#s.expedite.run(now, now).changes;
  }

  /** Earliest next_due_at among pending items, or null. */
  nextDueAt(): number | null {
    return this.#s.minDue.get()?.d ?? null;
  }

  /** Up to 500 rows a crash left in 'sending' (boot recovery). */
  interrupted(): OpRow[] {
    return this.#s.stuck.all();
  }

  /** An interrupted row back to pending, counted as an attempt (it may have reached the host). */
  requeueInterrupted(id: number, now: number): void {
    this.#s.interrupted.run(now, id);
  }

  /** A dead row back to pending, due now. It stays counted once in `dead` (the history of items that died). */
  revive(id: number, now: number): void {
    this.#s.revive.run(now, now, id);
  }
}
