import type Database from 'better-sqlite3';

/** Rows one prune transaction looks at, at most (a reference's sibling operations come along). */
export const PRUNE_BATCH_ROWS = 500;

/** What one prune batch removed. */
export interface PruneBatch {
  /** Done and abandoned operations deleted (counted in 'pruned'). */
  ops: number;
  /** POS references deleted: a later retry with one of them is a new sale. */
  refs: number;
}

/**
 * Retention of settled work (DESIGN.md, "Queue storage"): deletes done and
 * abandoned operations (those never left the terminal) that settled before
 * `cutoff`, a batch at a time, inside a
 * transaction the queue opens, counting each one in the durable 'pruned'
 * counter in the same transaction (accepted = pending + sending + done +
 * dead + abandoned + pruned).
 *
 * A POS reference and its operations go together or not at all, so a lookup
 * never sees a reference with some of its work missing: an operation with a
 * reference is deleted only when every operation of that reference is done or
 * abandoned and settled before the cutoff, and the reference itself was last written
 * before it; then all of them and the reference are deleted in one
 * transaction. A reference answered without any operation (a refusal) goes
 * once it is older than the cutoff. Pending, sending and dead rows are never
 * deleted, nor is a reference that holds one.
 */
export class DoneRetention {
  readonly #s;

  constructor(db: Database.Database) {
    this.#s = {
      // The partial index ops_settled_at holds only done and abandoned rows, by the time they settled. A row that
      // must stay (a sibling still open or dead) is skipped by the WHERE, so it never stalls the batches behind it.
      candidates: db.prepare<{ cutoff: number; lim: number }, { id: number; ref: string | null }>(
        `SELECT o.id AS id, o.pos_ref AS ref FROM ops o INDEXED BY ops_settled_at
         WHERE o.state IN ('done', 'abandoned') AND o.updated_at < @cutoff
           AND (o.pos_ref IS NULL OR (
             NOT EXISTS (SELECT 1 FROM ops s WHERE s.pos_ref = o.pos_ref AND (s.state NOT IN ('done', 'abandoned') OR s.updated_at >= @cutoff))
             AND NOT EXISTS (SELECT 1 FROM pos_refs r WHERE r.reference = o.pos_ref AND r.updated_at >= @cutoff)))
         ORDER BY o.updated_at LIMIT @lim`,
      ),
      deleteOne: db.prepare<[number]>(`DELETE FROM ops WHERE id = ? AND state IN ('done', 'abandoned') AND pos_ref IS NULL`),
      deleteOfRef: db.prepare<[string]>(`DELETE FROM ops WHERE pos_ref = ? AND state IN ('done', 'abandoned')`),
      deleteRef: db.prepare<[string]>(`DELETE FROM pos_refs WHERE reference = ?`),
      // A sale's book of voids and returns goes with the sale (a later return of it is refused: sale-not-found).
      deleteUndos: db.prepare<[string]>(`DELETE FROM sale_undos WHERE sale_reference = ?`),
      // A reference with no operation: none names it (ops.pos_ref, the one link, through ops_pos_ref). Walked from
      // the oldest by pos_refs_at; those that still hold operations past the cutoff are few (dead or open ones: the
      // rest went with their operations just before).
      answerOnly: db.prepare<{ cutoff: number; lim: number }>(
        `DELETE FROM pos_refs WHERE reference IN
           (SELECT r.reference FROM pos_refs r INDEXED BY pos_refs_at
            WHERE r.updated_at < @cutoff AND NOT EXISTS (SELECT 1 FROM ops o INDEXED BY ops_pos_ref WHERE o.pos_ref = r.reference)
            LIMIT @lim)`,
      ),
      bump: db.prepare<[number]>(`UPDATE counters SET value = value + ? WHERE name = 'pruned'`),
    };
  }

  /** One batch: done and abandoned rows (and their references) settled before `cutoff`, epoch ms. */
  pruneBatch(cutoff: number): PruneBatch {
    let ops = 0;
    let refs = 0;
    const seen = new Set<string>();
    for (const c of this.#s.candidates.all({ cutoff, lim: PRUNE_BATCH_ROWS })) {
      if (c.ref === null) {
        ops += this.#s.deleteOne.run(c.id).changes;
      } else if (!seen.has(c.ref)) {
        seen.add(c.ref);
        ops += this.#s.deleteOfRef.run(c.ref).changes;
        refs += this.#s.deleteRef.run(c.ref).changes;
        this.#s.deleteUndos.run(c.ref);
      }
    }
    refs += this.#s.answerOnly.run({ cutoff, lim: PRUNE_BATCH_ROWS }).changes;
    if (ops > 0) this.#s.bump.run(ops);
    return { ops, refs };
  }
}
