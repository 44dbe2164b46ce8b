import type { Database } from 'better-sqlite3';

/**
 * The Pay with Points tables, all prefixed `offers_`, created idempotently
 * in the host's ledger database. Cards hold a keyed fingerprint (HMAC-SHA256
 * with the host key) and the last 4 digits: never the PAN or the expiry.
 * Redemptions hold an HMAC of the request (for idempotency), not the request.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS offers_offers (
  id INTEGER PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('discount','cashback')),
  value INTEGER NOT NULL,
  value_type TEXT NOT NULL CHECK (value_type IN ('percent','amount')),
  min_spend INTEGER,
  start_date TEXT,
  end_date TEXT,
  activation_limit INTEGER,
  fixture_key TEXT UNIQUE,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS offers_offers_merchant ON offers_offers (merchant_id);
CREATE TABLE IF NOT EXISTS offers_persons (
  id INTEGER PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS offers_cards (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES offers_persons (id),
  fingerprint TEXT NOT NULL UNIQUE,
  last4 TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS offers_card_offers (
  id INTEGER PRIMARY KEY,
  card_id INTEGER NOT NULL REFERENCES offers_cards (id),
  offer_id INTEGER NOT NULL REFERENCES offers_offers (id),
  created_at TEXT NOT NULL,
  UNIQUE (card_id, offer_id)
);
CREATE TABLE IF NOT EXISTS offers_redemptions (
  id INTEGER PRIMARY KEY,
  card_offer_id INTEGER NOT NULL REFERENCES offers_card_offers (id),
  merchant_id TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  request_mac TEXT NOT NULL,
  amount INTEGER NOT NULL,
  benefit INTEGER NOT NULL,
  type TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (merchant_id, terminal_id, transaction_id)
);
CREATE INDEX IF NOT EXISTS offers_redemptions_card_offer ON offers_redemptions (card_offer_id);
-- Returns and voids (project extension): a redemption undone. One per redemption; idempotent by transaction_id.
CREATE TABLE IF NOT EXISTS offers_redemption_reversals (
  id INTEGER PRIMARY KEY,
  redemption_id INTEGER NOT NULL UNIQUE REFERENCES offers_redemptions (id),
  transaction_id TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
`;

/** Creates the `offers_` tables and indexes if they are missing. Safe to run on every start. */
export function ensureOffersSchema(db: Database): void {
  db.exec(DDL);
}
