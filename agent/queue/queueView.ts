import type Database from 'better-sqlite3';
import { toQueuedOperation, VIEW_COLUMNS, type OpRow } from './opRow.js';
import { earnedToTakeBack } from '../../protocol/loyalty/index.js';
import type { EarnReversalPayload, OperationState, QueueCounters, QueuedOperation, QueueStats } from './queueTypes.js';
import { ACCEPTED_SQL } from './schema.js';

export interface ListOptions {
  state?: OperationState;
  /** Default 50, at most 1000. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

/**
 * What the queue holds, as a technician or the checkout sees it: operations
 * (PANs masked), their counts by state, the persistent counters and the
 * offline exposure. Shared by the writer (OperationQueue) and the read-only
 * inspector the CLI uses while the agent runs. Every query is bounded
 * (LIMIT) or an aggregate: the queue is never loaded whole.
 */
export class QueueView {
  readonly #db: Database.Database;
  readonly #get: Database.Statement<[number], OpRow>;
  readonly #getByTxn: Database.Statement<[string], OpRow>;
  readonly #listAll: Database.Statement<[number, number], OpRow>;
  readonly #listState: Database.Statement<[string, number, number], OpRow>;
  readonly #counts: Database.Statement<[], { state: OperationState; n: number }>;
  readonly #counters: Database.Statement<[], { name: string; value: number }>;
  readonly #oldest: Database.Statement<[], { t: number | null }>;
  readonly #offline: Database.Statement<[], { n: number; p: number | null; oldest: number | null }>;
  readonly #pendingDebits: Database.Statement<[string], { p: number | null }>;
  readonly #openEarnReversals: Database.Statement<[string], { payload: string; earn: string | null }>;
  readonly #unresolvedBurns: Database.Statement<[string], { p: number | null }>;
  readonly #dueCredits: Database.Statement<[string, number], { id: number }>;
  readonly #refusedAfterYes: Database.Statement<[], { kind: string; refusal: string; n: number }>;
  readonly #cardFp: Database.Statement<[number], { fp: string }>;
  #undos: Database.Statement<{ txn: string }, { n: number }> | undefined;
  readonly #refusedEarnReversals: Database.Statement<[string], { transaction_id: string; payload: string }>;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#get = db.prepare(`SELECT ${VIEW_COLUMNS} FROM ops WHERE id = ?`);
    this.#getByTxn = db.prepare(`SELECT ${VIEW_COLUMNS} FROM ops WHERE transaction_id = ?`);
    this.#cardFp = db.prepare(`SELECT card_fp AS fp FROM ops WHERE id = ?`);
    this.#listAll = db.prepare(`SELECT ${VIEW_COLUMNS} FROM ops ORDER BY id LIMIT ? OFFSET ?`);
    this.#listState = db.prepare(`SELECT ${VIEW_COLUMNS} FROM ops WHERE state = ? ORDER BY id LIMIT ? OFFSET ?`);
    this.#counts = db.prepare(`SELECT state, COUNT(*) AS n FROM ops GROUP BY state`);
    // 'accepted' is counted by ids since schema 5 (ACCEPTED_SQL); 'accepted_through' is its bookkeeping, not a counter.
    this.#counters = db.prepare(
      `SELECT name, CASE name WHEN 'accepted' THEN ${ACCEPTED_SQL} ELSE value END AS value FROM counters WHERE name <> 'accepted_through'`,
    );
    // The earliest-inserted open item (ids grow with time). MIN(id) is read from the
    // (state, next_due_at) index alone; MIN(created_at) would fetch every open row.
    this.#oldest = db.prepare(
      `SELECT created_at AS t FROM ops WHERE id = (SELECT MIN(id) FROM ops INDEXED BY ops_state_due WHERE state IN ('pending', 'sending'))`,
    );
    // Dead rows are few, and retention never prunes them: found by state in (state, next_due_at).
    this.#refusedEarnReversals = db.prepare(
      `SELECT transaction_id, payload FROM ops INDEXED BY ops_state_due
       WHERE state = 'dead' AND kind = 'earn-reversal' AND json_extract(payload, '$.originalTransactionId') = ?`,
    );
    // Dead rows are few, and retention never prunes them: found by state in (state, next_due_at). An earning the
    // POS heard declined (the host's word within the wait) was no yes: its recorded answer says so.
    this.#refusedAfterYes = db.prepare(
      `SELECT o.kind AS kind, o.refusal AS refusal, COUNT(*) AS n FROM ops o INDEXED BY ops_state_due
         LEFT JOIN pos_refs r ON r.reference = o.pos_ref
       WHERE o.state = 'dead' AND o.refusal IS NOT NULL AND (o.kind = 'earn' OR (o.kind = 'burn' AND o.offline = 1))
         AND NOT (o.kind = 'earn' AND COALESCE(json_extract(r.answer, '$.status'), json_extract(r.answer, '$.earning.status')) IS 'declined')
       GROUP BY o.kind, o.refusal`,
    );
    // The rest read the partial index ops_card_open (schema.ts): the card's open rows are all in it.
    this.#dueCredits = db.prepare(
      `SELECT id FROM ops INDEXED BY ops_card_open WHERE card_fp = ? AND state IN ('pending', 'sending') AND kind IN ('earn', 'refund', 'reversal')
         AND (state = 'sending' OR next_due_at <= ?) LIMIT 16`,
    );
    this.#pendingDebits = db.prepare(
      `SELECT SUM(points) AS p FROM ops INDEXED BY ops_card_open WHERE card_fp = ? AND state IN ('pending', 'sending') AND kind = 'burn' AND offline = 1`,
    );
    this.#openEarnReversals = db.prepare(
      `SELECT r.payload AS payload, (SELECT e.result FROM ops e WHERE e.transaction_id = r.original_txn AND e.state = 'done') AS earn
       FROM ops r INDEXED BY ops_card_open WHERE r.card_fp = ? AND r.state IN ('pending', 'sending') AND r.kind = 'earn-reversal'`,
    );
    this.#unresolvedBurns = db.prepare(
      `SELECT SUM(json_extract(b.payload, '$.points')) AS p FROM ops r INDEXED BY ops_card_open JOIN ops b ON b.transaction_id = r.original_txn
       WHERE r.card_fp = ? AND r.state IN ('pending', 'sending') AND r.kind = 'reversal' AND b.kind = 'burn' AND b.offline = 0`,
    );
    // Reads the partial index ops_offline_open (schema.ts): only outstanding offline burns are in it.
    this.#offline = db.prepare(
      `SELECT COUNT(*) AS n, SUM(points) AS p, MIN(created_at) AS oldest FROM ops INDEXED BY ops_offline_open WHERE kind = 'burn' AND offline = 1 AND state IN ('pending', 'sending')`,
    );
  }

  /**
   * How many undos concern the operation `transactionId`: reversals, refunds and the like that name it as
   * their original, and voids or returns of its sale. Only a technician's retry asks (a scan, prepared on
   * first use, so a file of an older schema without `sale_undos` still opens for reading).
   */
  undosOf(transactionId: string): number {
    this.#undos ??= this.#db.prepare(
      `SELECT (SELECT COUNT(*) FROM ops WHERE kind IN ('reversal', 'refund', 'earn-reversal', 'offer-reversal')
                 AND json_extract(payload, '$.originalTransactionId') = @txn)
            + (SELECT COUNT(*) FROM sale_undos WHERE sale_reference = (SELECT pos_ref FROM ops WHERE transaction_id = @txn)) AS n`,
    );
    return this.#undos.get({ txn: transactionId })?.n ?? 0;
  }

  /** The reversals of earn `earnTransactionId` that the host refused (dead; an undo is never abandoned), with what they asked. */
  refusedEarnReversals(earnTransactionId: string): { transactionId: string; payload: EarnReversalPayload }[] {
    return this.#refusedEarnReversals.all(earnTransactionId).map((r) => ({ transactionId: r.transaction_id, payload: JSON.parse(r.payload) as EarnReversalPayload }));
  }

  /** The keyed card fingerprint of a record, or undefined when there is no such record. */
  cardFingerprintOf(id: number): string | undefined {
    return this.#cardFp.get(id)?.fp;
  }

  get(id: number): QueuedOperation | undefined {
    const row = this.#get.get(id);
    return row ? toQueuedOperation(row) : undefined;
  }

  getByTransactionId(transactionId: string): QueuedOperation | undefined {
    const row = this.#getByTxn.get(transactionId);
    return row ? toQueuedOperation(row) : undefined;
  }

  list(opts: ListOptions = {}): QueuedOperation[] {
    const limit = Math.max(1, Math.min(1000, Math.trunc(opts.limit ?? 50)));
    const offset = Math.max(0, Math.trunc(opts.offset ?? 0));
    const rows = opts.state === undefined ? this.#listAll.all(limit, offset) : this.#listState.all(opts.state, limit, offset);
    return rows.map(toQueuedOperation);
  }

  counters(): QueueCounters {
    const out: QueueCounters = { accepted: 0, sent: 0, retried: 0, dead: 0, expired: 0, abandoned: 0, pruned: 0 };
    for (const { name, value } of this.#counters.all()) {
      if (name in out) out[name as keyof QueueCounters] = value;
    }
    return out;
  }

  /** Outstanding offline burns (pending or sending). */
  offlineExposure(): { count: number; points: number; oldestCreatedAt: number | null } {
    const r = this.#offline.get() ?? { n: 0, p: 0, oldest: null };
    return { count: r.n, points: r.p ?? 0, oldestCreatedAt: r.oldest };
  }

  /**
   * What the POS heard as a yes (an accepted earning, an offline burn approved) and the host refused later,
   * by kind and the host's reason.
   */
  refusedAfterYes(): { kind: 'earn' | 'burn'; reason: string; count: number }[] {
    return this.#refusedAfterYes.all().map((r) => ({ kind: r.kind as 'earn' | 'burn', reason: r.refusal, count: r.n }));
  }

  /** Earnings and refunds of the card with fingerprint `cardFp` due or in flight (not in backoff), at most 16. */
  dueCredits(cardFp: string, now: number): number[] {
    return this.#dueCredits.all(cardFp, now).map((r) => r.id);
  }

  /**
   * Points the host will still take from the card with fingerprint `cardFp` (rule 9): its offline burns not yet
   * applied, and what its open earn reversals (returns, voids) will take back of earnings already credited (the
   * part worked out, or at most all the earn credited).
   */
  pendingDebits(cardFp: string): number {
    let points = this.#pendingDebits.get(cardFp)?.p ?? 0;
    for (const r of this.#openEarnReversals.all(cardFp)) {
      const p = JSON.parse(r.payload) as EarnReversalPayload;
      const credited = (r.earn === null ? null : (JSON.parse(r.earn) as { earnedPoints?: unknown }).earnedPoints) ?? null;
      if (p.part !== undefined) points += p.part.points;
      else if (typeof credited === 'number') points += p.share === undefined ? credited : earnedToTakeBack(credited, p.share);
    }
    return points;
  }

  /**
   * Points of the card's direct burns whose answer never came and whose reversal is still open: applied or not,
   * nobody knows yet. The host's balance already shows one that applied; a balance known from before does not,
   * so the offline stand-in counts them as spent.
   */
  unresolvedBurns(cardFp: string): number {
    return this.#unresolvedBurns.get(cardFp)?.p ?? 0;
  }

  /** Counts, counters and the accounting invariant, read in one snapshot. */
  stats(now: number): QueueStats {
    return this.#db.transaction(() => {
      const byState = { pending: 0, sending: 0, done: 0, dead: 0, abandoned: 0 };
      for (const { state, n } of this.#counts.all()) byState[state] = n;
      const counters = this.counters();
      const oldest = this.#oldest.get()?.t ?? null;
      const off = this.offlineExposure();
      return {
        ...byState,
        counters,
        oldestPendingAgeS: oldest === null ? 0 : Math.max(0, Math.floor((now - oldest) / 1000)),
        offline: { count: off.count, points: off.points },
        invariantHolds: counters.accepted === byState.pending + byState.sending + byState.done + byState.dead + byState.abandoned + counters.pruned,
      };
    })();
  }
}
