import type Database from 'better-sqlite3';
import type { PosOperationKind, PosRef, PosRefRecord } from './queueTypes.js';

interface RefRow {
  reference: string;
  kind: PosOperationKind;
  body: string;
  answer: string | null;
  created_at: number;
}

/**
 * The POS references (idempotency keys, DESIGN.md "reference is the
 * idempotency key") in the queue's database: the request each one was made
 * with, and the answer the POS was given. The reference is stored once
 * (schema 8): its row in `pos_refs` holds what belongs to it, and each of its
 * operations names it in `ops.pos_ref`, the one link (written by the intake
 * with the row); a reference's operations are read from there. `link` runs
 * inside the transaction that inserts the operation, so a reference is never
 * recorded without its work, nor work without its reference.
 */
export class ReferenceBook {
  readonly #s;
  readonly #drop: Database.Transaction<(reference: string) => void>;

  constructor(db: Database.Database) {
    this.#s = {
      get: db.prepare<[string], RefRow>(`SELECT reference, kind, body, answer, created_at FROM pos_refs WHERE reference = ?`),
      // The partial index ops_pos_ref holds them in id order: the order they were recorded (ids only grow).
      opIds: db.prepare<[string], number>(`SELECT id FROM ops INDEXED BY ops_pos_ref WHERE pos_ref = ? ORDER BY id`).pluck(),
      link: db.prepare<{ ref: string; kind: string; body: string; now: number }>(
        `INSERT INTO pos_refs (reference, kind, body, answer, created_at, updated_at) VALUES (@ref, @kind, @body, NULL, @now, @now)
         ON CONFLICT (reference) DO UPDATE SET updated_at = excluded.updated_at`,
      ),
      touch: db.prepare<{ ref: string; now: number }>(`UPDATE pos_refs SET updated_at = @now WHERE reference = @ref`),
      own: db.prepare<{ ref: string; id: number }>(`UPDATE ops SET pos_ref = @ref WHERE id = @id`),
      answer: db.prepare<{ ref: string; kind: string; body: string; answer: string; now: number }>(
        `INSERT INTO pos_refs (reference, kind, body, answer, created_at, updated_at) VALUES (@ref, @kind, @body, @answer, @now, @now)
         ON CONFLICT (reference) DO UPDATE SET answer = excluded.answer, updated_at = excluded.updated_at`,
      ),
      drop: db.prepare<[string]>(`DELETE FROM pos_refs WHERE reference = ?`),
      disown: db.prepare<[string]>(`UPDATE ops SET pos_ref = NULL WHERE pos_ref = ?`),
    };
    // Both or neither (a savepoint inside the caller's transaction, its own transaction outside one).
    this.#drop = db.transaction((reference: string) => {
      this.#s.drop.run(reference);
      this.#s.disown.run(reference);
    });
  }

  get(reference: string): PosRefRecord | undefined {
    const r = this.#s.get.get(reference);
    if (!r) return undefined;
    return {
      reference: r.reference,
      kind: r.kind,
      body: r.body,
      opIds: this.#s.opIds.all(reference),
      answer: r.answer === null ? null : (JSON.parse(r.answer) as unknown),
      createdAt: r.created_at,
    };
  }

  /** Creates `ref` on its first operation, or marks it used now (the operation's own row names it: `pos_ref`). */
  link(ref: PosRef, now: number): void {
    this.#s.link.run({ ref: ref.reference, kind: ref.kind, body: ref.body, now });
  }

  /** Adds operation `id` (a reversal the agent made) to an existing reference, if there is one. */
  attach(reference: string, id: number, now: number): void {
    if (this.#s.touch.run({ ref: reference, now }).changes === 1) this.#s.own.run({ ref: reference, id });
  }

  /** Records the POS answer: the reference is final from now on. */
  recordAnswer(ref: PosRef, answer: unknown, now: number): void {
    this.#s.answer.run({ ref: ref.reference, kind: ref.kind, body: ref.body, answer: JSON.stringify(answer), now });
  }

  /**
   * Forgets a reference whose outcome was not final (nothing reached the host), so it may be used again: its
   * operations (all abandoned) no longer name it, so a new sale under it does not count them as its own.
   */
  drop(reference: string): void {
    this.#drop.immediate(reference);
  }
}
