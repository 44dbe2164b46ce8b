import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { classifyIdentifier, IdentifierError, type IdentifierKind } from '../../../protocol/loyalty/index.js';
import { isExpired, maskPan, panFingerprint, type Yymm } from '../../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { CardBehaviour, CardFixture, Fixtures } from '../fixtures.js';
import { LedgerAdjustments, type EarnReversalRequest, type RefundRequest } from './ledgerAdjustments.js';
import { LedgerError } from './ledgerError.js';
import { LedgerStatements } from './ledgerStatements.js';
import {
  REWARD_TRX_TTL_S,
  type AdjustmentOutcome, type BalanceOutcome, type BurnLine, type BurnOutcome, type EarnOutcome, type Identity,
  type JournalEntry, type LedgerAccount, type LedgerKind, type Mandate, type ReverseOutcome, type TerminalRef,
} from './ledgerTypes.js';

/** A resolved member: who the identifier belongs to. */
export interface Member {
  fp: string;
  kind: IdentifierKind;
  name: string;
  behaviour: CardBehaviour;
}

/** What the ledger remembers of a reversal that came before its original. */
interface Tombstone {
  tombstone: true;
}

/** Most identifiers whose fingerprint is cached. */
const FP_CACHE_MAX = 10_000;
/** How long a cached fingerprint lives after it was computed, ms (10 min). */
const FP_CACHE_TTL_MS = 10 * 60_000;

const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('base64');

/**
 * The host's points ledger, transport-agnostic: the REST routes and the ISO
 * 8583 front-end call these methods, which throw {@link LedgerError} with a
 * catalog code. Every write is one `IMMEDIATE` SQLite transaction; balances
 * carry a `CHECK (balance >= 0)`, so no interleaving can overdraw a card.
 * Identifiers are stored only as keyed fingerprints plus a masked form.
 */
export class Ledger {
  readonly hostKey: Buffer;
  private readonly s: LedgerStatements;
  private readonly adjustments: LedgerAdjustments;
  private readonly cardsByFp = new Map<string, CardFixture>();
  /**
   * identifier → fingerprint: saves an HMAC per request. Memory only. Bounded
   * by {@link FP_CACHE_MAX} (past it the least recently used goes) and by a TTL
   * of {@link FP_CACHE_TTL_MS}, so that an identifier in the clear does not stay
   * in memory long after its last use. Timed by the injected clock (see the constructor).
   */
  private readonly fpCache: LRUCache<string, string>;
  /** fingerprint → member name; members are only ever added, through this class. */
  private readonly members = new Map<string, string>();

  constructor(
    readonly db: Database.Database,
    hostKey: Buffer,
    readonly fixtures: Fixtures,
    private readonly clock: Clock,
    /** TEST ONLY (`pos-emulator host --unsafe-no-idempotency`): repeats are applied again, to prove a check can fail. */
    private readonly noIdempotency = false,
  ) {
    this.hostKey = hostKey;
    // lru-cache reads time through `perf.now()` and treats a start time of 0 as
    // "no TTL", so its time base is the injected clock counted from here, plus
    // 1 ms. `ttlResolution: 0`: no caching timer; no `ttlAutopurge`: no timers.
    // An expired entry is dropped when next read (and recomputed) or evicted.
    const origin = clock();
    this.fpCache = new LRUCache<string, string>({ max: FP_CACHE_MAX, ttl: FP_CACHE_TTL_MS, ttlResolution: 0, perf: { now: () => clock() - origin + 1 } });
    this.s = new LedgerStatements(db);
    this.adjustments = new LedgerAdjustments(db, this.s, clock, noIdempotency);
    db.transaction(() => {
      for (const card of fixtures.cards) {
        const fp = this.fingerprint(card.pan);
        this.cardsByFp.set(fp, card);
        if (!card.enrolled) continue;
        this.enrol(card.pan, 'card', card.name);
        for (const a of card.accounts) this.s.insertBalance.run(fp, a.accountId, a.accountName, a.accountType, a.balance);
      }
    }).immediate();
  }

  /** Keyed fingerprint of an identifier (HMAC-SHA256 with the host key). */
  fingerprint(identifier: string): string {
    let fp = this.fpCache.get(identifier);
    if (fp === undefined) {
      fp = panFingerprint(this.hostKey, identifier);
      this.fpCache.set(identifier, fp);
    }
    return fp;
  }

  /** Enrols a member (no-op when it exists). `masked` is what the ledger view shows. */
  enrol(identifier: string, kind: IdentifierKind, name: string): string {
    const fp = this.fingerprint(identifier);
    this.s.insertMember.run(fp, kind, maskPan(identifier), identifier.slice(-4), name);
    this.members.delete(fp);
    return fp;
  }

  private memberName(fp: string): string | undefined {
    let name = this.members.get(fp);
    if (name === undefined) {
      name = (this.s.getMember.get(fp) as { name: string } | undefined)?.name;
      if (name !== undefined) this.members.set(fp, name);
    }
    return name;
  }

  /** The fixture behaviour of a member ('normal' for anything not in the fixtures). */
  behaviourOf(fp: string): CardBehaviour {
    return this.cardsByFp.get(fp)?.behaviour ?? 'normal';
  }

  /**
   * Finds the member for an identifier. Throws 1013 (bad identifier), L14
   * (not enrolled), L54 (card expired by the host clock, or an expiry that is
   * not the card's).
   */
  resolve(id: Identity): Member {
    let kind: IdentifierKind;
    try {
      kind = classifyIdentifier(id.pan, id.expiry);
    } catch (err) {
      if (err instanceof IdentifierError) throw LedgerError.of('invalid-identifier', err.message, { cause: err });
      throw err;
    }
    const fp = this.fingerprint(id.pan);
    const name = this.memberName(fp);
    if (name === undefined) throw LedgerError.of('unknown-card');
    const card = this.cardsByFp.get(fp);
    if (kind === 'card' && card) {
      if (id.expiry !== card.expiry) throw LedgerError.of('expired-card', 'Expired card: expiryDate does not match the card');
      if (isExpired(card.expiry as Yymm, new Date(this.clock()))) throw LedgerError.of('expired-card');
    }
    return { fp, kind, name, behaviour: card?.behaviour ?? 'normal' };
  }

  /** The member's balances and a fresh rewardTrxId bound to it and the terminal. */
  balance(id: Identity, terminal: TerminalRef): BalanceOutcome {
    return this.balanceOfMember(this.resolve(id), terminal);
  }

  /** {@link balance} for a member already resolved. */
  balanceOfMember(m: Member, terminal: TerminalRef): BalanceOutcome {
    return { rewardTrxId: this.issueRewardTrx(m.fp, terminal), accounts: this.accountsOf(m.fp), fp: m.fp };
  }

  /** The fingerprint a rewardTrxId is bound to, if it is live. */
  rewardTrxOwner(rewardTrxId: string): string | undefined {
    const row = this.s.getRewardTrx.get(Number(rewardTrxId)) as { fp: string; expires_at: number } | undefined;
    return row && row.expires_at > this.clock() ? row.fp : undefined;
  }

  /**
   * Burns points against a rewardTrxId from a balance call. `check` (optional)
   * must match what the rewardTrxId is bound to. Idempotent by transactionId:
   * the same request returns the first answer, a different one gets 2020.
   * Refuses L30 (bad rewardTrxId), L51 (more than the live balance).
   */
  burn(req: { rewardTrxId: string; transactionId: string; mandates: Mandate[]; check?: Partial<TerminalRef> & { pan?: string } }): BurnOutcome {
    const hash = hashOf({ r: req.rewardTrxId, m: req.mandates.map((x) => [x.accountId, x.accountType, x.debit]) });
    return this.db.transaction((): BurnOutcome => {
      const prior = this.replay<BurnOutcome>('burn', req.transactionId, hash);
      if (prior) return prior;
      this.refuseLateOriginal(req.transactionId);
      const trx = /^[0-9]{1,15}$/.test(req.rewardTrxId)
        ? (this.s.getRewardTrx.get(Number(req.rewardTrxId)) as { fp: string; merchant_id: string; terminal_id: string; expires_at: number } | undefined)
        : undefined;
      const c = req.check ?? {};
      if (
        !trx || trx.expires_at <= this.clock() ||
        (c.merchantId !== undefined && c.merchantId !== trx.merchant_id) ||
        (c.terminalId !== undefined && c.terminalId !== trx.terminal_id) ||
        (c.pan !== undefined && this.fingerprint(c.pan) !== trx.fp)
      ) throw LedgerError.of('stale-balance-enquiry');
      const terminal = { merchantId: trx.merchant_id, terminalId: trx.terminal_id };
      return this.applyBurn(trx.fp, req.rewardTrxId, req.transactionId, req.mandates, terminal, hash);
    }).immediate();
  }

  /**
   * Debits a card directly (ISO 8583 0200: no balance call first). Same
   * idempotency and refusals as {@link burn}; issues a rewardTrxId for the record.
   */
  debitCard(req: { card: Identity; terminal: TerminalRef; transactionId: string; points: number; accountId?: string }): BurnOutcome {
    const m = this.resolve(req.card);
    const first = this.s.firstAccount.get(m.fp) as { account_id: string; account_type: string } | undefined;
    const accountId = req.accountId ?? first?.account_id ?? '12';
    const mandates = [{ accountId, accountType: first?.account_type ?? '1', debit: req.points }];
    const hash = hashOf({ fp: m.fp, t: req.terminal, m: mandates.map((x) => [x.accountId, x.debit]) });
    return this.db.transaction((): BurnOutcome => {
      const prior = this.replay<BurnOutcome>('burn', req.transactionId, hash);
      if (prior) return prior;
      this.refuseLateOriginal(req.transactionId);
      const rewardTrxId = this.issueRewardTrx(m.fp, req.terminal);
      return this.applyBurn(m.fp, rewardTrxId, req.transactionId, mandates, req.terminal, hash);
    }).immediate();
  }

  /**
   * Credits floor(amount * earnRate) points (amount in minor units) to the
   * member's first account (account "12" is opened if it has none).
   * Idempotent by transactionId: a repeat never credits twice.
   */
  earn(req: { card: Identity; terminal: TerminalRef; transactionId: string; amount: number }): EarnOutcome {
    const m = this.resolve(req.card);
    const hash = hashOf({ fp: m.fp, t: req.terminal, a: req.amount });
    return this.db.transaction((): EarnOutcome => {
      const prior = this.replay<EarnOutcome>('earn', req.transactionId, hash);
      if (prior) return prior;
      // The epsilon keeps binary rounding (e.g. 0.57 * 100 = 56.999...) from losing a point.
      const points = Math.floor(req.amount * this.fixtures.earnRate + 1e-9);
      let acct = this.s.firstAccount.get(m.fp) as { account_id: string } | undefined;
      if (!acct) {
        this.s.insertBalance.run(m.fp, '12', 'Reward Points', '1', 0);
        acct = { account_id: '12' };
      }
      this.s.credit.run(points, m.fp, acct.account_id);
      const after = (this.s.getBalance.get(m.fp, acct.account_id) as { balance: number }).balance;
      const now = this.clock();
      this.s.insertEntry.run('earn', req.transactionId, m.fp, acct.account_id, points, after, req.amount, req.terminal.merchantId, req.terminal.terminalId, now);
      const out: EarnOutcome = { rewardTrxId: this.issueRewardTrx(m.fp, req.terminal), accounts: this.accountsOf(m.fp), points, fp: m.fp, replay: false };
      this.s.insertOp.run('earn', req.transactionId, m.fp, hash, JSON.stringify(out), now);
      return out;
    }).immediate();
  }

  /**
   * Reverses a burn, giving its points back (what it debited net of any refunds). Idempotent: reversing again
   * returns the first answer. L25 when no burn has that transactionId; like a
   * real switch, the host then remembers the reversal (a tombstone), so that a
   * late original with that transactionId is refused with L94, not applied.
   */
  reverse(req: { originalTransactionId: string }): ReverseOutcome {
    const out = this.db.transaction((): ReverseOutcome | undefined => {
      const done = this.s.getOp.get('reversal', req.originalTransactionId) as { response: string } | undefined;
      if (done) {
        const prior = JSON.parse(done.response) as ReverseOutcome | Tombstone;
        return 'tombstone' in prior ? undefined : { ...prior, replay: true };
      }
      const op = this.s.getOp.get('burn', req.originalTransactionId) as { fp: string; response: string } | undefined;
      const now = this.clock();
      if (!op) {
        const tombstone: Tombstone = { tombstone: true };
        this.s.insertOp.run('reversal', req.originalTransactionId, '', '', JSON.stringify(tombstone), now);
        return undefined;
      }
      const burned = JSON.parse(op.response) as BurnOutcome;
      const lines: BurnLine[] = [];
      for (const l of this.adjustments.refundable(req.originalTransactionId, burned.accounts)) {
        if (l.left === 0) continue;
        this.s.credit.run(l.left, op.fp, l.accountId);
        const after = (this.s.getBalance.get(op.fp, l.accountId) as { balance: number }).balance;
        this.s.insertEntry.run('reversal', req.originalTransactionId, op.fp, l.accountId, l.left, after, null, null, null, now);
        lines.push({ accountId: l.accountId, accountType: l.accountType, debit: l.left, balance: after });
      }
      this.s.markReversed.run(req.originalTransactionId);
      const reversed: ReverseOutcome = { originalTransactionId: req.originalTransactionId, reversed: true, accounts: lines, fp: op.fp, replay: false };
      this.s.insertOp.run('reversal', req.originalTransactionId, op.fp, '', JSON.stringify(reversed), now);
      return reversed;
    }).immediate();
    // Thrown after the commit, so that the tombstone stays.
    if (out === undefined) throw LedgerError.of('original-not-found');
    return out;
  }

  /**
   * Takes back points an earn credited (returns and voids extension): `amount` is `{points}`, `{leave}` (what
   * the earn keeps, ISO 8583 DE95) or `{}` (all it has left). Idempotent by its own transactionId. Refuses
   * L25, L58, L13 (over-reversal), L51 (the account no longer holds them); see {@link LedgerAdjustments}.
   */
  reverseEarn(req: EarnReversalRequest): AdjustmentOutcome {
    return this.adjustments.reverseEarn(req);
  }

  /** Gives back part of a burn's points (returns and voids extension); see {@link LedgerAdjustments.refund}. */
  refund(req: RefundRequest): AdjustmentOutcome {
    return this.adjustments.refund(req);
  }

  /** Counts one request received for (kind, transactionId), before it is handled: the journal's "received". */
  noteReceived(kind: LedgerKind, transactionId: string): void {
    this.s.noteReceived.run(kind, transactionId);
  }

  /** Every (kind, transactionId) received, with what the ledger did with it. */
  journal(): JournalEntry[] {
    type Row = { kind: JournalEntry['kind']; transaction_id: string; count: number; response: string | null; reversed: number | null; reversal: string | null };
    return (this.s.journal.all() as Row[]).map((r) => {
      const tombstoned = r.reversal !== null && r.reversal.includes('"tombstone"');
      const isTombstone = r.kind === 'reversal' && r.response !== null && r.response.includes('"tombstone"');
      const entry: JournalEntry = {
        kind: r.kind,
        transactionId: r.transaction_id,
        received: r.count,
        applied: r.response !== null && !isTombstone,
        reversed: r.kind === 'burn' && r.reversed === 1,
        lateOriginal: r.kind === 'burn' ? r.response === null && tombstoned : isTombstone,
      };
      if ((r.kind === 'earn-reversal' || r.kind === 'refund') && r.response !== null) {
        entry.originalTransactionId = (JSON.parse(r.response) as AdjustmentOutcome).originalTransactionId;
      }
      return entry;
    });
  }

  /** The member's accounts, in creation order. */
  accountsOf(fp: string): LedgerAccount[] {
    return (this.s.listBalances.all(fp) as { account_id: string; account_name: string; account_type: string; balance: number }[]).map((r) => ({
      accountId: r.account_id,
      accountName: r.account_name,
      accountType: r.account_type,
      balance: r.balance,
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private issueRewardTrx(fp: string, terminal: TerminalRef): string {
    const now = this.clock();
    const id = Number(this.s.insertRewardTrx.run(fp, terminal.merchantId, terminal.terminalId, now + REWARD_TRX_TTL_S * 1000).lastInsertRowid);
    if (id % 1024 === 0) this.s.pruneRewardTrx.run(now);
    return String(id);
  }

  /** A burn whose reversal came first (a tombstone) is refused, never applied. */
  private refuseLateOriginal(transactionId: string): void {
    const rev = this.s.getOp.get('reversal', transactionId) as { response: string } | undefined;
    if (rev !== undefined) throw LedgerError.of('late-original-refused');
  }

  private replay<T extends { replay: boolean }>(kind: 'burn' | 'earn', transactionId: string, hash: string): T | undefined {
    const op = this.s.getOp.get(kind, transactionId) as { request_hash: string; response: string } | undefined;
    if (!op) return undefined;
    if (this.noIdempotency) {
      this.s.dropOp.run(kind, transactionId);
      return undefined;
    }
    if (op.request_hash !== hash) throw LedgerError.of('duplicate', `Duplicate transactionId with a different request`);
    return { ...(JSON.parse(op.response) as T), replay: true };
  }

  private applyBurn(fp: string, rewardTrxId: string, transactionId: string, mandates: Mandate[], terminal: TerminalRef, hash: string): BurnOutcome {
    const now = this.clock();
    const lines: BurnLine[] = [];
    for (const md of mandates) {
      const row = this.s.getBalance.get(fp, md.accountId) as { balance: number; account_type: string } | undefined;
      if (!row) throw LedgerError.of('insufficient-points', `Insufficient points: no account ${md.accountId}`);
      if (row.balance < md.debit) throw LedgerError.of('insufficient-points');
      this.s.debit.run(md.debit, fp, md.accountId);
      const after = row.balance - md.debit;
      this.s.insertEntry.run('burn', transactionId, fp, md.accountId, -md.debit, after, null, terminal.merchantId, terminal.terminalId, now);
      lines.push({ accountId: md.accountId, accountType: row.account_type, debit: md.debit, balance: after });
    }
    const out: BurnOutcome = { rewardTrxId, accounts: lines, fp, replay: false };
    this.s.insertOp.run('burn', transactionId, fp, hash, JSON.stringify(out), now);
    return out;
  }
}
