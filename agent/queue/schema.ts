import type Database from 'better-sqlite3';
import { QueueError } from './queueError.js';

/**
 * Forward migrations; index i brings the schema from version i to i + 1
 * (PRAGMA user_version). Never edit a shipped step: append a new one.
 *
 * The indexes, and the partial-index trick:
 * - `ops_state_due (state, next_due_at)` finds due work in due order, and the
 *   oldest open item (MIN(id) over it), without reading rows.
 * - `ops_card_open (card_fp, seq) WHERE state IN ('pending', 'sending')` is a
 *   partial index: it holds only the open rows, a handful per card, however
 *   many done rows the retention keeps (30 days of them by default). Every
 *   per-card question on the hot paths reads it alone: "is an older item of
 *   this card still open?" (the claim's FIFO check), the card's chain in seq
 *   order, its last due time at enqueue, pushing its later items back after
 *   a retry, and its open count before an online burn. A row leaves the index
 *   when it settles, so it stays small and cheap to keep up to date.
 * - `ops_offline_open (created_at) WHERE kind = 'burn' AND offline = 1 AND
 *   state IN ('pending', 'sending')` holds only the outstanding offline burns:
 *   the offline limits (count, points, oldest) are checked on every offline
 *   burn, in its immediate transaction, from this small index.
 * - `ops_pos_ref (pos_ref) WHERE pos_ref IS NOT NULL` is the link from a POS
 *   reference to its operations (schema 8: stored there only): a reference's
 *   operations in id order, and "has this reference any operation?".
 *
 * SQLite uses a partial index only when the query's WHERE clause contains the
 * index's WHERE terms as written; it does not infer that `state = 'pending'`
 * implies `state IN ('pending', 'sending')`. So queries that mean "pending"
 * say `state IN ('pending', 'sending') AND state = 'pending'`: the first term
 * admits the index, the second is the condition meant. Without the "redundant"
 * term SQLite picks ops_state_due and walks every pending row of every card
 * (checked with EXPLAIN QUERY PLAN) instead of the card's few open ones.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ops (
    id INTEGER PRIMARY KEY,
    transaction_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('earn', 'burn', 'reversal', 'offer-redeem')),
    offline INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'done', 'dead')),
    card_fp TEXT NOT NULL,
    card_masked TEXT NOT NULL,
    card_blob BLOB NOT NULL,
    payload TEXT NOT NULL,
    points INTEGER NOT NULL DEFAULT 0,
    seq REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    dead_reason TEXT,
    result TEXT,
    created_at INTEGER NOT NULL,
    next_due_at INTEGER NOT NULL,
    sent_at INTEGER,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX ops_state_due ON ops (state, next_due_at);
  CREATE INDEX ops_card_open ON ops (card_fp, seq) WHERE state IN ('pending', 'sending');
  CREATE INDEX ops_offline_open ON ops (created_at) WHERE kind = 'burn' AND offline = 1 AND state IN ('pending', 'sending');
  CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT INTO counters (name, value) VALUES ('accepted', 0), ('sent', 0), ('retried', 0), ('dead', 0), ('expired', 0);
  `,
  // 2: the 'abandoned' state (an operation that never left the terminal), and the POS references
  // (idempotency keys) with the operations each one started and the answer the POS was given.
  `
  CREATE TABLE ops_v2 (
    id INTEGER PRIMARY KEY,
    transaction_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('earn', 'burn', 'reversal', 'offer-redeem')),
    offline INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'done', 'dead', 'abandoned')),
    card_fp TEXT NOT NULL,
    card_masked TEXT NOT NULL,
    card_blob BLOB NOT NULL,
    payload TEXT NOT NULL,
    points INTEGER NOT NULL DEFAULT 0,
    seq REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    dead_reason TEXT,
    result TEXT,
    created_at INTEGER NOT NULL,
    next_due_at INTEGER NOT NULL,
    sent_at INTEGER,
    updated_at INTEGER NOT NULL
  );
  INSERT INTO ops_v2 SELECT * FROM ops;
  DROP TABLE ops;
  ALTER TABLE ops_v2 RENAME TO ops;
  CREATE INDEX ops_state_due ON ops (state, next_due_at);
  CREATE INDEX ops_card_open ON ops (card_fp, seq) WHERE state IN ('pending', 'sending');
  CREATE INDEX ops_offline_open ON ops (created_at) WHERE kind = 'burn' AND offline = 1 AND state IN ('pending', 'sending');
  CREATE TABLE pos_refs (
    reference TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    op_ids TEXT NOT NULL,
    answer TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO counters (name, value) VALUES ('abandoned', 0);
  `,
  // 3: retention (retention.ts). Each operation names its POS reference (pos_ref, filled from pos_refs.op_ids for
  // the rows already there), so a reference and all its operations are pruned together, never one without the
  // other; the partial index ops_done_at finds the done rows by the time they settled; pos_refs_answer_only finds
  // the references answered without any operation (a refusal); the 'pruned' counter keeps the invariant
  // (accepted = pending + sending + done + dead + abandoned + pruned). The file also switches to
  // auto_vacuum=INCREMENTAL, which takes a VACUUM outside any transaction: ensureIncrementalVacuum, right after.
  `
  ALTER TABLE ops ADD COLUMN pos_ref TEXT;
  UPDATE ops SET pos_ref = x.reference
    FROM (SELECT r.reference AS reference, CAST(j.value AS INTEGER) AS id
          FROM pos_refs r, json_each('[' || trim(r.op_ids, ',') || ']') j
          WHERE trim(r.op_ids, ',') <> '') AS x
    WHERE ops.id = x.id;
  CREATE INDEX ops_done_at ON ops (updated_at) WHERE state = 'done';
  CREATE INDEX ops_pos_ref ON ops (pos_ref) WHERE pos_ref IS NOT NULL;
  CREATE INDEX pos_refs_answer_only ON pos_refs (updated_at) WHERE op_ids = '';
  INSERT INTO counters (name, value) VALUES ('pruned', 0);
  `,
  // 4: returns and voids. Three kinds that undo part of a sale (refund, earn-reversal, offer-reversal): the kind
  // CHECK is widened, which SQLite does only by rebuilding the table (same columns, same indexes). And the book of
  // voids and returns per sale (sale_undos), written in the same transaction as their operations: how much of a
  // sale has been returned decides what the next return may take back.
  `
  CREATE TABLE ops_v4 (
    id INTEGER PRIMARY KEY,
    transaction_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('earn', 'burn', 'reversal', 'offer-redeem', 'refund', 'earn-reversal', 'offer-reversal')),
    offline INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'done', 'dead', 'abandoned')),
    card_fp TEXT NOT NULL,
    card_masked TEXT NOT NULL,
    card_blob BLOB NOT NULL,
    payload TEXT NOT NULL,
    points INTEGER NOT NULL DEFAULT 0,
    seq REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    dead_reason TEXT,
    result TEXT,
    created_at INTEGER NOT NULL,
    next_due_at INTEGER NOT NULL,
    sent_at INTEGER,
    updated_at INTEGER NOT NULL,
    pos_ref TEXT
  );
  INSERT INTO ops_v4 SELECT * FROM ops;
  DROP TABLE ops;
  ALTER TABLE ops_v4 RENAME TO ops;
  CREATE INDEX ops_state_due ON ops (state, next_due_at);
  CREATE INDEX ops_card_open ON ops (card_fp, seq) WHERE state IN ('pending', 'sending');
  CREATE INDEX ops_offline_open ON ops (created_at) WHERE kind = 'burn' AND offline = 1 AND state IN ('pending', 'sending');
  CREATE INDEX ops_done_at ON ops (updated_at) WHERE state = 'done';
  CREATE INDEX ops_pos_ref ON ops (pos_ref) WHERE pos_ref IS NOT NULL;
  CREATE TABLE sale_undos (
    reference TEXT PRIMARY KEY,
    sale_reference TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('void', 'return')),
    amount INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX sale_undos_sale ON sale_undos (sale_reference);
  `,
  // 5: the enqueue no longer writes the counters table (one page fewer per commit, see ACCEPTED_SQL): the
  // operations accepted since are counted by their ids, dense above 'accepted_through' (the highest id when the
  // file migrated). A trigger folds that count back into 'accepted' before any row above the mark is deleted
  // (retention, or a person with sqlite3), so no DELETE ever lowers the accepted count.
  // A later migration that rebuilds ops (DROP TABLE fires no DELETE trigger, and drops this one) must first fold
  // the count by hand (accepted += MAX(id) - accepted_through; accepted_through = MAX(id)) and recreate the trigger.
  `
  INSERT INTO counters (name, value) VALUES ('accepted_through', COALESCE((SELECT MAX(id) FROM ops), 0));
  CREATE TRIGGER ops_accepted_fold BEFORE DELETE ON ops
    WHEN OLD.id > (SELECT value FROM counters WHERE name = 'accepted_through')
  BEGIN
    UPDATE counters SET value = value + (SELECT MAX(id) FROM ops) - (SELECT value FROM counters WHERE name = 'accepted_through')
      WHERE name = 'accepted';
    UPDATE counters SET value = (SELECT MAX(id) FROM ops) WHERE name = 'accepted_through';
  END;
  `,
  // 6: retention prunes abandoned operations too (a burn written during its balance call that never went out:
  // a decline, an offline turn), like done ones: the partial index that finds them by the time they settled
  // holds both states.
  `
  DROP INDEX ops_done_at;
  CREATE INDEX ops_settled_at ON ops (updated_at) WHERE state IN ('done', 'abandoned');
  `,
  // 7: order only where it matters, and the offline stand-in (DESIGN.md, rules 5 and 9, "Offline stand-in").
  // `original_txn` is the operation an undo or a reversal depends on (its payload's originalTransactionId): the claim
  // holds it while that one, or an older undo of the same original, is still open. `refusal` is the host's refusal
  // of a dead operation as a stable reason (unknown-card, expired-card, insufficient-points...), a value to count and
  // switch on, not text to match. `card_memory` is what this terminal last learnt of each card online (its balance,
  // the host's refusal of it), keyed by the keyed card fingerprint and sealed like the card data; retention prunes it
  // by updated_at.
  `
  ALTER TABLE ops ADD COLUMN original_txn TEXT;
  UPDATE ops SET original_txn = json_extract(payload, '$.originalTransactionId')
    WHERE kind IN ('reversal', 'refund', 'earn-reversal', 'offer-reversal');
  ALTER TABLE ops ADD COLUMN refusal TEXT;
  CREATE TABLE card_memory (
    card_fp TEXT PRIMARY KEY,
    blob BLOB NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX card_memory_at ON card_memory (updated_at);
  `,
  // 8: the POS reference is stored once. `ops.pos_ref` is the one link from an operation to its reference (a
  // reference's operations: its ops rows by pos_ref, through ops_pos_ref, in id order); `pos_refs` keeps only what
  // belongs to the reference itself (body, answer, times), and payloads no longer carry `reference`.
  // pos_refs.op_ids, the list the answers were built from, decides: each operation it names gets that pos_ref, and
  // one it does not name gets none (an operation of a reference dropped as not final, freed for a new sale: the
  // reference's new operations are not its). A reference without operations (answered without any: a refusal) is
  // found by NOT EXISTS on ops_pos_ref; pos_refs_at finds the old ones for retention.
  // And why a direct burn died is a value, not a prefix of its reason text: `unknown_outcome` 1 for one whose
  // answer never came (it may have applied; its reversal is queued), read by every rule that treats it apart.
  `
  UPDATE ops SET pos_ref = x.reference
    FROM (SELECT r.reference AS reference, CAST(j.value AS INTEGER) AS id
          FROM pos_refs r, json_each('[' || trim(r.op_ids, ',') || ']') j
          WHERE trim(r.op_ids, ',') <> '') AS x
    WHERE ops.id = x.id AND ops.pos_ref IS NOT x.reference;
  UPDATE ops SET pos_ref = NULL
    WHERE pos_ref IS NOT NULL AND id NOT IN
      (SELECT CAST(j.value AS INTEGER) FROM pos_refs r, json_each('[' || trim(r.op_ids, ',') || ']') j
       WHERE trim(r.op_ids, ',') <> '');
  UPDATE ops SET payload = json_remove(payload, '$.reference') WHERE json_type(payload, '$.reference') IS NOT NULL;
  DROP INDEX pos_refs_answer_only;
  ALTER TABLE pos_refs DROP COLUMN op_ids;
  CREATE INDEX pos_refs_at ON pos_refs (updated_at);
  ALTER TABLE ops ADD COLUMN unknown_outcome INTEGER NOT NULL DEFAULT 0;
  UPDATE ops SET unknown_outcome = 1 WHERE kind = 'burn' AND state = 'dead' AND dead_reason LIKE 'unknown-outcome%';
  `,
];

/**
 * The number of operations ever accepted, as an SQL expression (schema 5):
 * 'accepted' counts those with ids up to 'accepted_through', and every id
 * above it is one more operation, because the intake gives each operation the
 * next id (NEXT_ID_SQL) in the transaction that inserts it: a rolled-back
 * insert leaves no gap. A file of an older schema has no 'accepted_through'
 * (the read-only inspector may open one): there 'accepted' counts them all.
 */
export const ACCEPTED_SQL = `(SELECT value FROM counters WHERE name = 'accepted')
  + MAX(0, COALESCE((SELECT MAX(id) FROM ops), 0) - COALESCE((SELECT value FROM counters WHERE name = 'accepted_through'), ${Number.MAX_SAFE_INTEGER}))`;

/** The id of the next operation (schema 5): above every id in the table and every id ever counted. */
export const NEXT_ID_SQL = `MAX(COALESCE((SELECT MAX(id) FROM ops), 0), (SELECT value FROM counters WHERE name = 'accepted_through')) + 1`;

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to SCHEMA_VERSION. Refuses a database from a newer agent.
 * `target` (tests only) stops at an older version, to make a file as an older agent did.
 */
export function migrate(db: Database.Database, target: number = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new QueueError(
      'QUEUE_ERR_SCHEMA',
      `queue database schema version ${current} is newer than this agent understands (${SCHEMA_VERSION}); upgrade pos-agent`,
    );
  }
  // A new file takes incremental auto-vacuum before its first table: no VACUUM needed.
  if (current === 0 && target >= 3) db.pragma('auto_vacuum = INCREMENTAL');
  for (let v = current; v < target; v++) {
    const step = MIGRATIONS[v] as string;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  if (target >= 3) ensureIncrementalVacuum(db);
}

/** PRAGMA auto_vacuum's value for INCREMENTAL. */
const AUTO_VACUUM_INCREMENTAL = 2;

/**
 * Part of migration 3: a file made before it (auto_vacuum=NONE) switches to
 * INCREMENTAL, which SQLite applies only through a VACUUM (a rewrite of the
 * whole file, atomic, outside any transaction). Checked at every open, so a
 * crash between the migration's commit and the VACUUM just does it next time.
 * Until then (or while the disk has no room for the copy) pruned pages are
 * still reused by new rows; the file only does not shrink.
 */
export function ensureIncrementalVacuum(db: Database.Database): void {
  if (db.pragma('auto_vacuum', { simple: true }) === AUTO_VACUUM_INCREMENTAL) return;
  db.pragma('auto_vacuum = INCREMENTAL');
  try {
    db.exec('VACUUM');
  } catch (err) {
    // VACUUM needs room for a copy of the file. Without it nothing changed (VACUUM is atomic): the queue
    // works as before and the next open tries again.
    if ((err as { code?: string }).code !== 'SQLITE_FULL') throw err;
  }
}

/** Pragmas of the writer connection: WAL, full sync on every commit, wait for locks. */
export function applyWriterPragmas(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}
