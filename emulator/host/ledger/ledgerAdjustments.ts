import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { LedgerError } from './ledgerError.js';
import type { LedgerStatements } from './ledgerStatements.js';
import type { AdjustmentOutcome, BurnLine, BurnOutcome, EarnOutcome, TerminalRef } from './ledgerTypes.js';

/** How much to take back from an earn: `points`, or down to `leave` (ISO 8583 DE95), or (neither) all it has left. */
export type EarnReversalAmount = { points: number } | { leave: number } | Record<string, never>;

export interface EarnReversalRequest {
  originalTransactionId: string;
  /** This reversal's own id: the idempotency key. */
  transactionId: string;
  amount: EarnReversalAmount;
  /** When given, must be the earn's merchant, terminal and card fingerprint (else L58). */
  check?: AdjustmentCheck;
}

export interface RefundRequest {
  originalTransactionId: string;
  /** This refund's own id: the idempotency key. */
  transactionId: string;
  points: number;
  check?: AdjustmentCheck;
}

/** What a request says of where it comes from; each field given must be the original's. `fp`: the card's keyed fingerprint (ISO 8583 carries the card). */
export type AdjustmentCheck = Partial<TerminalRef> & { fp?: string };

const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('base64');

type OpRow = { fp: string; request_hash: string; response: string };
type EntryRow = { account_id: string; merchant_id: string | null; terminal_id: string | null };

/**
 * Earn reversals and refunds: the returns and voids extension of the host
 * ledger (README "Returns and voids"). Each is an operation of its own kind
 * (`earn-reversal`, `refund`) keyed by its own transactionId: the same id
 * with the same request returns the first answer, with another request 2020.
 * Each runs in one IMMEDIATE transaction and refuses before writing anything:
 * L25 (no such original), L58 (another merchant or terminal), L13 (more than
 * the original has left), L51 (an earn reversal the balance cannot cover).
 *
 * Refund split over a multi-account burn: in reverse mandate order (the
 * account debited last is credited back first), each up to what the burn
 * debited on it net of earlier refunds.
 */
export class LedgerAdjustments {
  constructor(
    private readonly db: Database.Database,
    private readonly s: LedgerStatements,
    private readonly clock: Clock,
    private readonly noIdempotency: boolean,
  ) {}

  /** Takes back points an earn credited, from the account it credited. */
  reverseEarn(req: EarnReversalRequest): AdjustmentOutcome {
    const hash = hashOf({ o: req.originalTransactionId, a: req.amount });
    return this.db.transaction((): AdjustmentOutcome => {
      const op = this.s.getOp.get('earn', req.originalTransactionId) as OpRow | undefined;
      const entry = op && (this.s.firstEntry.get('earn', req.originalTransactionId) as EntryRow | undefined);
      if (!op || !entry) throw LedgerError.of('original-not-found');
      this.checkTerminal(entry, op.fp, req.check);
      const prior = this.replay('earn-reversal', req.transactionId, hash);
      if (prior) return prior;
      const credited = (JSON.parse(op.response) as EarnOutcome).points;
      const left = credited - this.adjusted('earn-reversal', req.originalTransactionId);
      const a = req.amount;
      const points = 'points' in a ? a.points : 'leave' in a ? left - a.leave : left;
      if (points <= 0 || points > left) throw LedgerError.of('over-reversal', `Amount exceeds what the earn has left to reverse (${left} points)`);
      const row = this.s.getBalance.get(op.fp, entry.account_id) as { balance: number; account_type: string } | undefined;
      if (!row || row.balance < points) throw LedgerError.of('insufficient-points', 'Insufficient points: the account no longer holds the points to take back');
      this.s.debit.run(points, op.fp, entry.account_id);
      const line: BurnLine = { accountId: entry.account_id, accountType: row.account_type, debit: points, balance: row.balance - points };
      this.record('earn-reversal', req, op.fp, [line], -1, entry);
      const out: AdjustmentOutcome = {
        originalTransactionId: req.originalTransactionId, transactionId: req.transactionId, points, remaining: left - points,
        accounts: [line], fp: op.fp, replay: false,
      };
      this.s.insertOp.run('earn-reversal', req.transactionId, op.fp, hash, JSON.stringify(out), this.clock());
      return out;
    }).immediate();
  }

  /** Gives back points a burn debited, to the accounts it debited (see the class comment for the split). */
  refund(req: RefundRequest): AdjustmentOutcome {
    const hash = hashOf({ o: req.originalTransactionId, p: req.points });
    return this.db.transaction((): AdjustmentOutcome => {
      const op = this.s.getOp.get('burn', req.originalTransactionId) as OpRow | undefined;
      const entry = op && (this.s.firstEntry.get('burn', req.originalTransactionId) as EntryRow | undefined);
      if (!op || !entry) throw LedgerError.of('original-not-found');
      this.checkTerminal(entry, op.fp, req.check);
      const prior = this.replay('refund', req.transactionId, hash);
      if (prior) return prior;
      const open = this.refundable(req.originalTransactionId, (JSON.parse(op.response) as BurnOutcome).accounts);
      const left = open.reduce((n, l) => n + l.left, 0);
      if (req.points <= 0 || req.points > left) throw LedgerError.of('over-reversal', `Amount exceeds what the burn has left to refund (${left} points)`);
      let need = req.points;
      const lines: BurnLine[] = [];
      for (const l of [...open].reverse()) {
        const take = Math.min(need, l.left);
        if (take === 0) continue;
        need -= take;
        this.s.credit.run(take, op.fp, l.accountId);
        const after = (this.s.getBalance.get(op.fp, l.accountId) as { balance: number }).balance;
        lines.push({ accountId: l.accountId, accountType: l.accountType, debit: take, balance: after });
      }
      this.record('refund', req, op.fp, lines, 1, entry);
      const out: AdjustmentOutcome = {
        originalTransactionId: req.originalTransactionId, transactionId: req.transactionId, points: req.points,
        remaining: left - req.points, accounts: lines, fp: op.fp, replay: false,
      };
      this.s.insertOp.run('refund', req.transactionId, op.fp, hash, JSON.stringify(out), this.clock());
      return out;
    }).immediate();
  }

  /**
   * What each account of a burn can still get back: its debit net of the refunds so far, in mandate order; all
   * zero once the burn is reversed (a reversal gives back everything not yet refunded).
   */
  refundable(burnTransactionId: string, lines: readonly BurnLine[]): { accountId: string; accountType: string; left: number }[] {
    const rev = this.s.getOp.get('reversal', burnTransactionId) as { response: string } | undefined;
    const reversed = rev !== undefined && !rev.response.includes('"tombstone"');
    const refunded = new Map(
      (this.s.adjustedByAccount.all('refund', burnTransactionId) as { account_id: string; points: number }[]).map((r) => [r.account_id, r.points]),
    );
    return lines.map((l) => {
      const left = reversed ? 0 : l.debit - (refunded.get(l.accountId) ?? 0);
      refunded.set(l.accountId, Math.max(0, (refunded.get(l.accountId) ?? 0) - l.debit));
      return { accountId: l.accountId, accountType: l.accountType, left: Math.max(0, left) };
    });
  }

  private adjusted(kind: 'earn-reversal' | 'refund', original: string): number {
    return (this.s.adjustedByAccount.all(kind, original) as { points: number }[]).reduce((n, r) => n + r.points, 0);
  }

  private checkTerminal(entry: EntryRow, fp: string, check: AdjustmentCheck | undefined): void {
    if (check === undefined) return;
    if (
      (check.merchantId !== undefined && check.merchantId !== entry.merchant_id) ||
      (check.terminalId !== undefined && check.terminalId !== entry.terminal_id) ||
      (check.fp !== undefined && check.fp !== fp)
    ) {
      throw LedgerError.of('wrong-terminal');
    }
  }

  private replay(kind: 'earn-reversal' | 'refund', transactionId: string, hash: string): AdjustmentOutcome | undefined {
    const op = this.s.getOp.get(kind, transactionId) as OpRow | undefined;
    if (!op) return undefined;
    if (this.noIdempotency) {
      this.s.dropOp.run(kind, transactionId);
      return undefined;
    }
    if (op.request_hash !== hash) throw LedgerError.of('duplicate', 'Duplicate transactionId with a different request');
    return { ...(JSON.parse(op.response) as AdjustmentOutcome), replay: true };
  }

  /** The entries (signed: `sign` -1 debits) and the adjustment rows of one operation. */
  private record(kind: 'earn-reversal' | 'refund', req: { transactionId: string; originalTransactionId: string }, fp: string, lines: BurnLine[], sign: 1 | -1, entry: EntryRow): void {
    const now = this.clock();
    for (const l of lines) {
      this.s.insertEntry.run(kind, req.transactionId, fp, l.accountId, sign * l.debit, l.balance, null, entry.merchant_id, entry.terminal_id, now);
      this.s.insertAdjustment.run(kind, req.transactionId, req.originalTransactionId, fp, l.accountId, l.debit);
    }
  }
}
