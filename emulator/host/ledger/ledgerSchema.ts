import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';

/** Schema version kept in `PRAGMA user_version`. */
export const LEDGER_SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
-- A loyalty member: a fixture card or a created account. Keyed by a keyed fingerprint, never the clear identifier.
CREATE TABLE IF NOT EXISTS members (
  fp TEXT PRIMARY KEY, kind TEXT NOT NULL, masked TEXT NOT NULL, last4 TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS balances (
  fp TEXT NOT NULL, account_id TEXT NOT NULL, account_name TEXT NOT NULL, account_type TEXT NOT NULL,
  balance INTEGER NOT NULL CHECK (balance >= 0), PRIMARY KEY (fp, account_id));
CREATE TABLE IF NOT EXISTS reward_trx (
  id INTEGER PRIMARY KEY AUTOINCREMENT, fp TEXT NOT NULL, merchant_id TEXT NOT NULL, terminal_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL);
-- One applied operation per (kind, transaction id): the idempotency record.
CREATE TABLE IF NOT EXISTS ops (
  kind TEXT NOT NULL, transaction_id TEXT NOT NULL, fp TEXT NOT NULL, request_hash TEXT NOT NULL,
  response TEXT NOT NULL, reversed INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,
  PRIMARY KEY (kind, transaction_id));
-- Every applied debit and credit.
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, transaction_id TEXT NOT NULL, fp TEXT NOT NULL,
  account_id TEXT NOT NULL, points INTEGER NOT NULL, balance_after INTEGER NOT NULL, amount INTEGER,
  merchant_id TEXT, terminal_id TEXT, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS entries_fp_time ON entries (fp, created_at);
-- How many requests the host received per (kind, transaction id), applied or not: lets tests compare what the
-- terminal sent with what the ledger applied. A reversal is counted under its original's transaction id.
CREATE TABLE IF NOT EXISTS received (
  kind TEXT NOT NULL, transaction_id TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (kind, transaction_id));
-- Returns and voids (project extension): each earn reversal and refund, per account, linked to its original.
-- Created on every start (IF NOT EXISTS), so an older ledger file gains it without a schema version change.
CREATE TABLE IF NOT EXISTS adjustments (
  kind TEXT NOT NULL, transaction_id TEXT NOT NULL, original_id TEXT NOT NULL, fp TEXT NOT NULL,
  account_id TEXT NOT NULL, points INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS adjustments_original ON adjustments (kind, original_id);
CREATE TABLE IF NOT EXISTS loyalty_accounts (account_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS products (product_id TEXT PRIMARY KEY, product_type TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS account_products (
  account_id TEXT NOT NULL, product_id TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (account_id, product_id));
`;

/** First rewardTrxId handed out on a fresh ledger (the seed's ids look like "2263234"). */
const FIRST_REWARD_TRX_ID = 2263000;

/**
 * Opens (creating if needed) the ledger database: WAL for files, a
 * busy_timeout, `synchronous=NORMAL` (an emulator survives a process crash,
 * not a power cut), the schema, and a per-database host key used to
 * fingerprint identifiers (stable across restarts on the same file).
 */
export function openLedgerDb(file: string): { db: Database.Database; hostKey: Buffer } {
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LEDGER_SCHEMA_VERSION) {
    db.close();
    throw new Error(`ledger database schema version ${version} is newer than this emulator (${LEDGER_SCHEMA_VERSION})`);
  }
  db.exec(DDL);
  if (version === 0) {
    db.prepare("INSERT OR IGNORE INTO sqlite_sequence (name, seq) VALUES ('reward_trx', ?)").run(FIRST_REWARD_TRX_ID);
    db.pragma(`user_version = ${LEDGER_SCHEMA_VERSION}`);
  }
  const row = db.prepare("SELECT value FROM meta WHERE key = 'host_key'").get() as { value: Buffer } | undefined;
  let hostKey = row?.value;
  if (!hostKey) {
    hostKey = randomBytes(32);
    db.prepare("INSERT INTO meta (key, value) VALUES ('host_key', ?)").run(hostKey);
  }
  return { db, hostKey };
}
