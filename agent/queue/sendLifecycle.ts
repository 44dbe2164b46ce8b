import type Database from 'better-sqlite3';
import type { CardRef } from '../../protocol/index.js';
import type { Mandate } from '../../protocol/loyalty/index.js';
import { isCardRefusal } from '../../protocol/loyalty/index.js';
import type { CardCipher } from './cardCipher.js';
import type { CardMemory } from './cardMemory.js';
import type { OpRow } from './opRow.js';
import { toQueuedOperation } from './opRow.js';
import type { ClaimedOperation, FinalState, OperationResult, Settlement } from './queueTypes.js';
import { leaveBehind, waitsBehind } from './waitsBehind.js';

/**
 * A dead row back to pending, due now (parameters: due time, update time, id). Counted as an attempt: a dead item
 * was sent, or may have been, so its resend is a repeat (ISO 8583 0221/0421), which a host that saw the id expects.
 */
export const REVIVE_SQL = `UPDATE ops SET state = 'pending', dead_reason = NULL, attempts = attempts + 1, next_due_at = ?, updated_at = ? WHERE id = ? AND state = 'dead'`;

/** Due rows read per card wanted: a card with several due items appears once per item in the heads. */
const HEAD_ROWS_PER_CARD = 4;


/** What `claim` takes: at most `maxCards` cards, `chainLength` items each, due at or before `dueBy` (default now). */
export interface ClaimOptions {
  maxCards: number;
  chainLength: number;
  dueBy?: number;
  /** Card fingerprints to skip. */
  excludeCards?: ReadonlySet<string>;
}

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
 */
export class SendLifecycle {
  readonly #cipher: CardCipher;
  readonly #onFinal: (id: number, state: FinalState) => void;
  readonly #memory: CardMemory;
  readonly #s;

  constructor(db: Database.Database, cipher: CardCipher, memory: CardMemory, onFinal: (id: number, state: FinalState) => void) {
    this.#cipher = cipher;
    this.#memory = memory;
    this.#onFinal = onFinal;
    this.#s = {
      bump: db.prepare<[number, string]>(`UPDATE counters SET value = value + ? WHERE name = ?`),
      done: db.prepare<[string | null, number, number]>(
        `UPDATE ops SET state = 'done', result = ?, last_error = NULL, updated_at = ? WHERE id = ? AND state = 'sending'`,
      ),
      dead: db.prepare<[string, string | null, number, number, number]>(
        `UPDATE ops SET state = 'dead', dead_reason = ?, refusal = ?, unknown_outcome = ?, updated_at = ? WHERE id = ? AND state IN ('sending', 'pending')`,
      ),
      cardOf: db.prepare<[number], { fp: string; kind: string; points: number | null }>(
        `SELECT card_fp AS fp, kind, json_extract(payload, '$.points') AS points FROM ops WHERE id = ?`,
      ),
      abandoned: db.prepare<[string, number, number]>(
        `UPDATE ops SET state = 'abandoned', dead_reason = ?, updated_at = ? WHERE id = ? AND state IN ('sending', 'pending')`,
      ),
      retry: db.prepare<{ err: string; due: number; now: number; id: number }>(
        `UPDATE ops SET state = 'pending', attempts = attempts + 1, last_error = @err, next_due_at = @due, updated_at = @now
         WHERE id = @id AND state = 'sending'`,
      ),
      release: db.prepare<[number, number]>(`UPDATE ops SET state = 'pending', updated_at = ? WHERE id = ? AND state = 'sending'`),
      // Due items that may be claimable, earliest due first, for the cards to claim (the (state, next_due_at) index
      // finds them in due order; a card appears once per such item, the claim keeps the first). Order holds only
      // where one operation depends on another (rule 5): an item with an original (an undo or a reversal) waits
      // while an older open item of its card that is not claimable now (in flight, or not due) is that original or
      // another undo of it; anything else is claimable whenever it is due. The partial index ops_card_open answers
      // that question from the card's few open rows.
      heads: db.prepare<{ due: number; lim: number }, { card_fp: string }>(
        `SELECT o.card_fp AS card_fp FROM ops o INDEXED BY ops_state_due
         WHERE o.state = 'pending' AND o.next_due_at <= @due
           AND (o.original_txn IS NULL OR NOT EXISTS (
             SELECT 1 FROM ops p WHERE p.card_fp = o.card_fp AND p.state IN ('pending', 'sending') AND p.seq < o.seq
               AND (p.state = 'sending' OR p.next_due_at > @due)
               AND (p.transaction_id = o.original_txn OR p.original_txn = o.original_txn)))
         ORDER BY o.next_due_at, o.seq LIMIT @lim`,
      ),
      chain: db.prepare<[string, number], OpRow>(
        `SELECT * FROM ops WHERE card_fp = ? AND state IN ('pending', 'sending') ORDER BY seq LIMIT ?`,
      ),
      toSending: db.prepare<[number, number]>(`UPDATE ops SET state = 'sending', updated_at = ? WHERE id = ? AND state = 'pending'`),
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
      revive: db.prepare<[number, number, number]>(REVIVE_SQL),
    };
  }

  /**
   * Claims due work: up to `maxCards` cards with a claimable item, and for
   * each up to `chainLength` of its claimable items in card order. An item
   * waits only for what it depends on (rule 5, {@link waitsBehind}): an undo
   * or a reversal for its original and the older undos of the same original;
   * nothing else waits for older work, so a reversal watching for a late
   * original, or an earning in backoff, holds up no other item. The rows
   * become 'sending'.
   */
  claim(r: ClaimRequest): ClaimedOperation[][] {
    const chains: ClaimedOperation[][] = [];
    if (r.maxCards <= 0) return chains;
    const cards = new Set<string>();
    for (const { card_fp } of this.#s.heads.all({ due: r.dueBy, lim: HEAD_ROWS_PER_CARD * (r.maxCards + r.excludeCards.size) })) {
      if (!r.excludeCards.has(card_fp)) cards.add(card_fp);
    }
    for (const card_fp of cards) {
      if (chains.length >= r.maxCards) break;
      const chain: ClaimedOperation[] = [];
      // The card's items left behind (in flight, not due, or waiting themselves): what depends on them waits.
      const behind = new Set<string>();
      for (const row of this.#s.chain.all(card_fp, r.chainLength * 2)) {
        if (chain.length >= r.chainLength) break;
        if (row.state !== 'pending' || row.next_due_at > r.dueBy || waitsBehind(row.original_txn, behind)) {
          leaveBehind(behind, row.transaction_id, row.original_txn);
          continue;
        }
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
      for (const op of chain) this.#s.toSending.run(r.now, op.id);
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
            this.#rememberDone(s, now);
            this.#onFinal(s.id, 'done');
          }
          break;
        case 'dead':
          if (this.#s.dead.run(s.reason, s.refusal ?? null, s.unknownOutcome === true ? 1 : 0, now, s.id).changes === 1) {
            this.#s.bump.run(1, 'dead');
            if (s.expired) this.#s.bump.run(1, 'expired');
            const refusal = s.refusal;
            if (isCardRefusal(refusal)) {
              const row = this.#s.cardOf.get(s.id);
              if (row) this.#memory.refused(row.fp, refusal, now);
            }
            this.#onFinal(s.id, 'dead');
          }
          break;
        case 'abandoned':
          if (this.#s.abandoned.run(s.reason, now, s.id).changes === 1) {
            this.#s.bump.run(1, 'abandoned');
            this.#onFinal(s.id, 'abandoned');
          }
          break;
        case 'retry':
          if (this.#s.retry.run({ err: s.error, due: s.dueAt, now, id: s.id }).changes === 1) this.#s.bump.run(1, 'retried');
          break;
        case 'release':
          this.#s.release.run(now, s.id);
          break;
      }
    }
    if (sent > 0) this.#s.bump.run(sent, 'sent');
  }

  /**
   * What the host's answer to a done operation says of its card goes to the card memory, in the settle's
   * transaction: the balance after it, or, for a burn whose answer does not say (a duplicate's), the known balance
   * less its points. A resend's answer may be a replay of the first: it only lowers what is known.
   */
  #rememberDone(s: Extract<Settlement, { outcome: 'done' }>, now: number): void {
    const points = pointsAfter(s.result);
    if (points === undefined) {
      const row = this.#s.cardOf.get(s.id);
      if (row?.kind === 'burn' && typeof row.points === 'number') this.#memory.spent(row.fp, row.points, s.answeredAt ?? now);
      return;
    }
    const row = this.#s.cardOf.get(s.id);
    if (!row) return;
    if (s.replayed === true) this.#memory.lowerBalance(row.fp, points, s.answeredAt ?? now);
    else this.#memory.balance(row.fp, points, s.answeredAt ?? now);
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

  /** A dead row back to pending, due now ({@link REVIVE_SQL}). It stays counted once in `dead` (the history of items that died). */
  revive(id: number, now: number): void {
    this.#s.revive.run(now, now, id);
  }
}

/**
 * The card's points after an operation the host applied, when its answer says: a burn's accounts carry their
 * `balance` after the debit, an earn's (or a balance's) their `availableBalance`. Undefined otherwise.
 */
function pointsAfter(result: OperationResult | undefined): number | undefined {
  const accounts = result !== undefined && 'accounts' in result ? result.accounts : undefined;
  if (accounts === undefined || accounts.length === 0) return undefined;
  let sum = 0;
  for (const a of accounts) {
    const v = typeof a.availableBalance === 'number' ? a.availableBalance : a.balance;
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    sum += Math.max(0, v);
  }
  return sum;
}
