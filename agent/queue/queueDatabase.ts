import { chmodSync, statSync, type Stats } from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { CardCipher } from './cardCipher.js';
import { HighWaterMark } from './highWaterMark.js';
import { QueueError, storageError } from './queueError.js';
import { ACCEPTED_SQL, applyWriterPragmas, migrate } from './schema.js';
import { WriterLock } from './writerLock.js';

/** What opening the queue's file takes. */
export interface QueueFileOptions {
  /** SQLite file, or ':memory:' (tests). */
  path: string;
  /** The 32-byte queue key: its check value must match the one the file was created with. */
  key: Buffer;
  /** SQLite busy_timeout, ms. */
  busyTimeoutMs: number;
  /** Accept that the database holds fewer operations than were once accepted (`queue accept-loss`). */
  acceptLoss: boolean;
}

/** The writer connection with what guards it: the writer lock and the high-water mark (none for ':memory:'). */
export interface QueueDatabase {
  db: Database.Database;
  lock: WriterLock | null;
  hwm: HighWaterMark | null;
  /** Closes the connection and releases the lock (after a failed open). */
  discard(): void;
}

/**
 * Opens the queue's database for writing, after the checks that keep a
 * damaged or rolled-back file from being written (DESIGN.md, "Queue
 * storage"): the writer lock on the file's real path; then, read-only, a
 * regular file that passes `PRAGMA quick_check` and holds at least the
 * high-water mark; then the writer pragmas, the migrations, the key check and
 * mode 0600. Every failure is a typed QueueError naming the file and the fix.
 */
export function openQueueDatabase(opts: QueueFileOptions): QueueDatabase {
  const memory = opts.path === ':memory:';
  const lock = memory ? null : WriterLock.acquire(opts.path);
  let db: Database.Database | undefined;
  try {
    const hwm = memory ? null : new HighWaterMark(opts.path);
    // Judge the files read-only first: a read-write connection that is closed again after a refusal
    // would checkpoint a damaged -wal into the file and delete it, the very evidence a technician keeps.
    if (hwm) inspectBeforeWriting(opts.path, hwm, opts.acceptLoss);
    db = new Database(opts.path);
    applyWriterPragmas(db, opts.busyTimeoutMs);
    migrate(db);
    checkKey(db, new CardCipher(opts.key).keyCheck(), opts.path);
    if (!memory) restrictModes(opts.path);
    if (hwm && opts.acceptLoss) hwm.accept(acceptedIn(db));
    const opened = db;
    return {
      db: opened,
      lock,
      hwm,
      discard: () => {
        try {
          opened.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (err) {
    try {
      db?.close();
    } catch {
      /* closing a damaged file may fail too */
    }
    lock?.release();
    throw storageError(err, opts.path);
  }
}

/**
 * Checkpoints the WAL into the database file every `everyMs` (PASSIVE: it
 * never waits for readers), on top of SQLite's own every 1000 pages. Returns
 * a function that stops it.
 */
export function startCheckpoints(db: Database.Database, everyMs: number, path: string, log: Logger | undefined): () => void {
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      log?.warn({ code: (storageError(err, path) as { code?: string }).code }, 'WAL checkpoint failed; SQLite retries at the next one');
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

function acceptedIn(db: Database.Database): number {
  return (db.prepare(`SELECT ${ACCEPTED_SQL} AS value`).get() as { value: number }).value;
}

/** Records the key's check value on first open; refuses a different key later (its card data would not open). */
function checkKey(db: Database.Database, check: string, path: string): void {
  const row = db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE name = 'key_check'`).get();
  if (row === undefined) {
    db.prepare(`INSERT INTO meta (name, value) VALUES ('key_check', ?)`).run(check);
  } else if (row.value !== check) {
    throw new QueueError(
      'QUEUE_ERR_KEY_MISMATCH',
      `queue ${path} is under a different key; point queue.keyFile at the key it was created with (after a "pos-agent queue rekey", at the new key)`,
    );
  }
}

/**
 * The checks before the first write, on a read-only connection (closing it
 * leaves every file as it was): queue.path is a regular file; the database
 * passes `PRAGMA quick_check`; it holds at least the high-water mark of
 * accepted operations (a missing file counts as none), unless the loss is
 * being accepted.
 */
function inspectBeforeWriting(path: string, hwm: HighWaterMark, acceptLoss: boolean): void {
  let st: Stats | undefined;
  try {
    st = statSync(path);
  } catch {
    st = undefined; // not there yet: SQLite creates it
  }
  if (st && !st.isFile()) {
    throw new QueueError('QUEUE_ERR_IO', `queue.path ${path} is not a regular file; point queue.path at a file (it is created if missing)`);
  }
  let accepted = 0;
  if (st && st.size > 0) {
    const ro = new Database(path, { readonly: true, fileMustExist: true });
    try {
      quickCheck(ro, path);
      const hasCounters = ro.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'counters'`).get() !== undefined;
      accepted = hasCounters ? (ro.prepare(`SELECT ${ACCEPTED_SQL} AS value`).get() as { value: number | null }).value ?? 0 : 0;
    } finally {
      ro.close();
    }
  }
  if (!acceptLoss) hwm.check(accepted);
}

/** `PRAGMA quick_check`: a damaged page is found at start, not in the middle of a sale. */
function quickCheck(db: Database.Database, path: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  if (rows.length === 1 && rows[0]?.quick_check === 'ok') return;
  throw new QueueError(
    'QUEUE_ERR_CORRUPT',
    `queue ${path} failed its integrity check (${rows.length} problem(s), first: ${rows[0]?.quick_check ?? 'unknown'}); stop the agent, keep the file and its -wal for the vendor, restore the last backup or start a new queue file, then run "pos-agent queue accept-loss"`,
  );
}

/** The queue holds card data (encrypted) and money owed: the file and its -wal / -shm are the agent's user's alone. */
function restrictModes(path: string): void {
  for (const f of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
