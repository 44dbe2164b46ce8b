import type Database from 'better-sqlite3';
import type { SaleUndo } from './queueTypes.js';

interface UndoRow {
  reference: string;
  sale_reference: string;
  kind: 'void' | 'return';
  amount: number;
  created_at: number;
}

/**
 * The voids and returns of each sale (table `sale_undos`, schema 4): how much
 * of a sale they have covered decides what the next one may take back. Each
 * is recorded in the transaction that queues its operations, so the book and
 * the queue never disagree.
 */
export class SaleUndoBook {
  readonly #s;

  constructor(db: Database.Database) {
    this.#s = {
      insert: db.prepare<UndoRow>(
        `INSERT INTO sale_undos (reference, sale_reference, kind, amount, created_at) VALUES (@reference, @sale_reference, @kind, @amount, @created_at)`,
      ),
      get: db.prepare<[string], UndoRow>(`SELECT reference, sale_reference, kind, amount, created_at FROM sale_undos WHERE reference = ?`),
      ofSale: db.prepare<[string], UndoRow>(
        `SELECT reference, sale_reference, kind, amount, created_at FROM sale_undos WHERE sale_reference = ? ORDER BY created_at, reference`,
      ),
    };
  }

  record(u: SaleUndo): void {
    this.#s.insert.run({ reference: u.reference, sale_reference: u.saleReference, kind: u.kind, amount: u.amount, created_at: u.createdAt });
  }

  get(reference: string): SaleUndo | undefined {
    const r = this.#s.get.get(reference);
    return r ? undoOf(r) : undefined;
  }

  /** The voids and returns of a sale, oldest first. */
  ofSale(saleReference: string): SaleUndo[] {
    return this.#s.ofSale.all(saleReference).map(undoOf);
  }
}

function undoOf(r: UndoRow): SaleUndo {
  return { reference: r.reference, saleReference: r.sale_reference, kind: r.kind, amount: r.amount, createdAt: r.created_at };
}
