import type Database from 'better-sqlite3';
import type { LedgerKind } from './ledgerTypes.js';

/** One applied debit or credit, as the ledger shows it. */
export interface LedgerEntry {
  id: number;
  /** Links entries of one operation (the burn a reversal undoes shares its transactionId). */
  transactionId: string;
  kind: LedgerKind;
  /** Earn reversals and refunds: the original's transactionId. */
  originalTransactionId: string | null;
  fp: string;
  /** The member's masked identifier (first 6 / last 4 for a card). */
  masked: string;
  name: string;
  accountId: string;
  accountName: string;
  /** Signed: a burn is negative. */
  points: number;
  balanceAfter: number;
  /** Purchase amount in minor units (earn only). */
  amount: number | null;
  merchantId: string | null;
  terminalId: string | null;
  /** Epoch milliseconds. */
  at: number;
}

export interface HistoryQuery {
  /** Only this member's entries. */
  fp?: string;
  /** Inclusive lower bound, epoch ms. */
  from?: number;
  /** Exclusive upper bound, epoch ms. */
  to?: number;
  /** 1-based page. */
  page: number;
  pageSize: number;
}

export interface MemberBalance {
  name: string;
  masked: string;
  kind: string;
  accounts: { accountId: string; accountName: string; accountType: string; balance: number }[];
}

const SELECT = `SELECT e.id, e.transaction_id, e.kind, e.fp, m.masked, m.name, e.account_id, COALESCE(b.account_name, '') AS account_name,
  e.points, e.balance_after, e.amount, e.merchant_id, e.terminal_id, e.created_at,
  (SELECT a.original_id FROM adjustments a WHERE a.kind = e.kind AND a.transaction_id = e.transaction_id LIMIT 1) AS original_id
  FROM entries e JOIN members m ON m.fp = e.fp LEFT JOIN balances b ON b.fp = e.fp AND b.account_id = e.account_id`;
const WHERE = `WHERE (@fp IS NULL OR e.fp = @fp) AND e.created_at >= @from AND e.created_at < @to`;

type Row = {
  id: number; transaction_id: string; kind: LedgerEntry['kind']; fp: string; masked: string; name: string; account_id: string;
  account_name: string; points: number; balance_after: number; amount: number | null; merchant_id: string | null;
  terminal_id: string | null; created_at: number; original_id: string | null;
};

const toEntry = (r: Row): LedgerEntry => ({
  id: r.id, transactionId: r.transaction_id, kind: r.kind, originalTransactionId: r.original_id, fp: r.fp, masked: r.masked, name: r.name, accountId: r.account_id,
  accountName: r.account_name, points: r.points, balanceAfter: r.balance_after, amount: r.amount, merchantId: r.merchant_id,
  terminalId: r.terminal_id, at: r.created_at,
});

/** Read-side queries over the ledger: the transaction history and the balance sheet. */
export class LedgerHistory {
  private readonly page: Database.Statement;
  private readonly count: Database.Statement;
  private readonly all: Database.Statement;
  private readonly members: Database.Statement;
  private readonly balances: Database.Statement;

  constructor(db: Database.Database) {
    this.page = db.prepare(`${SELECT} ${WHERE} ORDER BY e.id LIMIT @limit OFFSET @offset`);
    this.count = db.prepare(`SELECT COUNT(*) AS n FROM entries e ${WHERE}`);
    this.all = db.prepare(`${SELECT} ORDER BY e.id`);
    this.members = db.prepare('SELECT fp, name, masked, kind FROM members ORDER BY rowid');
    this.balances = db.prepare('SELECT fp, account_id, account_name, account_type, balance FROM balances ORDER BY rowid');
  }

  /** One page of entries plus the total count matching the filter. */
  query(q: HistoryQuery): { entries: LedgerEntry[]; total: number } {
    const params = { fp: q.fp ?? null, from: q.from ?? 0, to: q.to ?? Number.MAX_SAFE_INTEGER };
    const total = (this.count.get(params) as { n: number }).n;
    const rows = this.page.all({ ...params, limit: q.pageSize, offset: (q.page - 1) * q.pageSize }) as Row[];
    return { entries: rows.map(toEntry), total };
  }

  /** Every entry, oldest first. */
  entries(): LedgerEntry[] {
    return (this.all.all() as Row[]).map(toEntry);
  }

  /** Every member with its balances. */
  balanceSheet(): MemberBalance[] {
    const byFp = new Map<string, MemberBalance>();
    for (const m of this.members.all() as { fp: string; name: string; masked: string; kind: string }[]) {
      byFp.set(m.fp, { name: m.name, masked: m.masked, kind: m.kind, accounts: [] });
    }
    for (const b of this.balances.all() as { fp: string; account_id: string; account_name: string; account_type: string; balance: number }[]) {
      byFp.get(b.fp)?.accounts.push({ accountId: b.account_id, accountName: b.account_name, accountType: b.account_type, balance: b.balance });
    }
    return [...byFp.values()];
  }
}
