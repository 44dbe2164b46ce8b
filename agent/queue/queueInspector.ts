import Database from 'better-sqlite3';
import { QueueError, storageError } from './queueError.js';
import { QueueView } from './queueView.js';
import { resendRefusal } from './reversalRules.js';
import { REVIVE_SQL } from './sendLifecycle.js';
import type { QueuedOperation, QueueStats } from './queueTypes.js';
import { SCHEMA_VERSION } from './schema.js';

/**
 * Read-only view of a queue file for `pos-agent queue status|list|dead`,
 * safe while the agent writes it (WAL readers never block the writer).
 * Needs no key: it shows masked PANs only.
 */
export class QueueInspector extends QueueView {
  readonly #db: Database.Database;
  readonly #now: () => number;

  private constructor(db: Database.Database, now: () => number) {
    super(db);
    this.#db = db;
    this.#now = now;
  }

  static open(path: string, opts: { now?: () => number } = {}): QueueInspector {
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
    } catch (err) {
      throw new QueueError('QUEUE_ERR_NOT_FOUND', `cannot open queue database ${path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      db.pragma('busy_timeout = 5000');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version === 0 || version > SCHEMA_VERSION) {
        throw new QueueError('QUEUE_ERR_SCHEMA', `${path} is not a queue database this agent understands (schema version ${version}, expected 1-${SCHEMA_VERSION})`);
      }
      return new QueueInspector(db, opts.now ?? Date.now);
    } catch (err) {
      db.close();
      throw storageError(err, path);
    }
  }

  /** The queue's counts as of now. */
  override stats(now = this.#now()): QueueStats {
    return super.stats(now);
  }

  close(): void {
    this.#db.close();
  }
}

/**
 * Moves a dead item back to pending with a short write transaction, without
 * the writer lock: safe beside a running agent because the agent never
 * touches dead rows, and SQLite serializes the two writers (busy_timeout).
 * Needs no key.
 */
export function retryDeadOperation(path: string, id: number, now: number = Date.now()): QueuedOperation {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = FULL');
    const view = new QueueView(db);
    db.transaction(() => {
      const op = view.get(id);
      if (!op) throw new QueueError('QUEUE_ERR_NOT_FOUND', `no queue record with id ${id}`);
      const refusal = resendRefusal(op, view.undosOf(op.transactionId));
      if (refusal !== null) throw new QueueError('QUEUE_ERR_STATE', refusal);
      db.prepare(REVIVE_SQL).run(now, now, id);
    }).immediate();
    return view.get(id) as QueuedOperation;
  } finally {
    db.close();
  }
}
