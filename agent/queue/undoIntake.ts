import type Database from 'better-sqlite3';
import type { Clock } from '../../protocol/index.js';
import type { OperationIntake } from './operationIntake.js';
import { toQueuedOperation } from './opRow.js';
import { QueueError } from './queueError.js';
import type { PosRef, QueuedOperation, SaleUndo, UndoInput } from './queueTypes.js';
import type { ReferenceBook } from './referenceBook.js';
import type { SaleUndoBook } from './saleUndoBook.js';

/** What `enqueueUndo` takes: the void or return, what its plan counted as returned before, its reference, operations and planned answer. */
export interface UndoEntry {
  undo: Omit<SaleUndo, 'createdAt'>;
  returnedBefore: number;
  ref: PosRef;
  ops: readonly UndoInput[];
  answer: unknown;
}

/** The parts of the queue a void or return is written with. */
export interface UndoParts {
  db: Database.Database;
  intake: OperationIntake;
  refs: ReferenceBook;
  undos: SaleUndoBook;
  now: Clock;
  /** The queue's write (refused once closed, storage failures typed). */
  write: <T>(fn: () => T) => T;
  /** Wakes the forwarder after the commit. */
  emit: () => void;
}

/**
 * Queues a void or a return of a sale: its operations (each linked to the
 * void's or return's reference), its line in the sale's book, and its POS
 * answer as planned, in one transaction. `returnedBefore` is what the plan
 * counted as returned already: when the sale's book says otherwise, or the
 * sale is gone (pruned meanwhile), nothing is written (QUEUE_ERR_STATE).
 * Durable on return.
 */
export function enqueueUndo(p: UndoParts, u: UndoEntry): QueuedOperation[] {
  const ops = p.write(() =>
    p.db
      .transaction(() => {
        const now = p.now();
        const sale = u.undo.saleReference;
        const returned = p.undos.ofSale(sale).reduce((sum, x) => sum + x.amount, 0);
        if (!p.refs.get(sale) || returned !== u.returnedBefore) {
          throw new QueueError('QUEUE_ERR_STATE', `sale ${sale} changed while its ${u.undo.kind} was prepared (returned ${returned}, expected ${u.returnedBefore}); try again`);
        }
        p.undos.record({ ...u.undo, createdAt: now });
        const accepted = u.ops.map((i) => toQueuedOperation(p.intake.accept({ ...i, ref: u.ref, state: 'pending', offline: false, points: 0 }, now)));
        p.refs.recordAnswer(u.ref, u.answer, now);
        return accepted;
      })
      .immediate(),
  );
  p.emit();
  return ops;
}
