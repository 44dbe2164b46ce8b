import type Database from 'better-sqlite3';

/** Every statement the ledger runs, prepared once. */
export class LedgerStatements {
  readonly insertMember: Database.Statement;
  readonly getMember: Database.Statement;
  readonly insertBalance: Database.Statement;
  readonly getBalance: Database.Statement;
  readonly listBalances: Database.Statement;
  readonly firstAccount: Database.Statement;
  readonly debit: Database.Statement;
  readonly credit: Database.Statement;
  readonly insertRewardTrx: Database.Statement;
  readonly getRewardTrx: Database.Statement;
  readonly pruneRewardTrx: Database.Statement;
  readonly getOp: Database.Statement;
  readonly insertOp: Database.Statement;
  readonly dropOp: Database.Statement;
  readonly markReversed: Database.Statement;
  readonly insertEntry: Database.Statement;
  readonly noteReceived: Database.Statement;
  readonly journal: Database.Statement;
  readonly firstEntry: Database.Statement;
  readonly insertAdjustment: Database.Statement;
  readonly adjustedByAccount: Database.Statement;

  constructor(db: Database.Database) {
    this.insertMember = db.prepare('INSERT OR IGNORE INTO members (fp, kind, masked, last4, name) VALUES (?, ?, ?, ?, ?)');
    this.getMember = db.prepare('SELECT name FROM members WHERE fp = ?');
    this.insertBalance = db.prepare(
      'INSERT OR IGNORE INTO balances (fp, account_id, account_name, account_type, balance) VALUES (?, ?, ?, ?, ?)',
    );
    this.getBalance = db.prepare('SELECT balance, account_type FROM balances WHERE fp = ? AND account_id = ?');
    this.listBalances = db.prepare('SELECT account_id, account_name, account_type, balance FROM balances WHERE fp = ? ORDER BY rowid');
    this.firstAccount = db.prepare('SELECT account_id, account_type FROM balances WHERE fp = ? ORDER BY rowid LIMIT 1');
    this.debit = db.prepare('UPDATE balances SET balance = balance - ? WHERE fp = ? AND account_id = ?');
    this.credit = db.prepare('UPDATE balances SET balance = balance + ? WHERE fp = ? AND account_id = ?');
    this.insertRewardTrx = db.prepare('INSERT INTO reward_trx (fp, merchant_id, terminal_id, expires_at) VALUES (?, ?, ?, ?)');
    this.getRewardTrx = db.prepare('SELECT fp, merchant_id, terminal_id, expires_at FROM reward_trx WHERE id = ?');
    this.pruneRewardTrx = db.prepare('DELETE FROM reward_trx WHERE expires_at <= ?');
    this.getOp = db.prepare('SELECT fp, request_hash, response, reversed FROM ops WHERE kind = ? AND transaction_id = ?');
    this.insertOp = db.prepare(
      'INSERT INTO ops (kind, transaction_id, fp, request_hash, response, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.dropOp = db.prepare('DELETE FROM ops WHERE kind = ? AND transaction_id = ?');
    this.markReversed = db.prepare("UPDATE ops SET reversed = 1 WHERE kind = 'burn' AND transaction_id = ?");
    this.noteReceived = db.prepare(
      'INSERT INTO received (kind, transaction_id, count) VALUES (?, ?, 1) ON CONFLICT (kind, transaction_id) DO UPDATE SET count = count + 1',
    );
    this.journal = db.prepare(
      `SELECT r.kind, r.transaction_id, r.count, o.response, o.reversed,
         (SELECT t.response FROM ops t WHERE t.kind = 'reversal' AND t.transaction_id = r.transaction_id) AS reversal
       FROM received r LEFT JOIN ops o ON o.kind = r.kind AND o.transaction_id = r.transaction_id ORDER BY r.rowid`,
    );
    this.firstEntry = db.prepare(
      'SELECT account_id, merchant_id, terminal_id FROM entries WHERE kind = ? AND transaction_id = ? ORDER BY id LIMIT 1',
    );
    this.insertAdjustment = db.prepare(
      'INSERT INTO adjustments (kind, transaction_id, original_id, fp, account_id, points) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.adjustedByAccount = db.prepare(
      'SELECT account_id, SUM(points) AS points FROM adjustments WHERE kind = ? AND original_id = ? GROUP BY account_id',
    );
    this.insertEntry = db.prepare(
      `INSERT INTO entries (kind, transaction_id, fp, account_id, points, balance_after, amount, merchant_id, terminal_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }
}
