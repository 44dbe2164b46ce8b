import Database from 'better-sqlite3';
import { applyWriterPragmas } from '../../agent/queue/schema.js';

/**
 * A raw better-sqlite3 table with the queue's writer pragmas (WAL,
 * synchronous=FULL) and a row the size of a queue record, with one index:
 * the benchmarks' baseline durable write. `insert()` is one INSERT in its own
 * commit (one fsync); the payload is serialized each time, as the queue does.
 */
export function queueSizedTable(path: string, row: { kind: string; state: string; payload: object }): { insert: () => void; close: () => void } {
  const db = new Database(path);
  applyWriterPragmas(db, 5000);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, txn TEXT, kind TEXT, state TEXT, fp TEXT, masked TEXT, blob BLOB, payload TEXT, created INTEGER, due INTEGER)');
  db.exec('CREATE INDEX t_state_due ON t (state, due)');
  const ins = db.prepare('INSERT INTO t (txn, kind, state, fp, masked, blob, payload, created, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const blob = Buffer.alloc(50, 1); // version + nonce + tag + "PAN|YYMM" sealed
  const fp = 'f'.repeat(64);
  let i = 0;
  return {
    insert: () => {
      const now = Date.now();
      ins.run(`t${i++}`.padEnd(32, '0'), row.kind, row.state, fp, '628000******0016', blob, JSON.stringify(row.payload), now, now);
    },
    close: () => db.close(),
  };
}
