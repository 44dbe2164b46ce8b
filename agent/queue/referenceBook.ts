import type Database from 'better-sqlite3';
import type { PosOperationKind, PosRef, PosRefRecord } from './queueTypes.js';

interface RefRow {
  reference: string;
  kind: PosOperationKind;
  body: string;
  op_ids: string;
  answer: string | null;
  created_at: number;
}

/**
 * The POS references (idempotency keys, DESIGN.md "reference is the
 * idempotency key") in the queue's database: which operations each started,
 * and the answer the POS was given. `link` runs inside the transaction that
 * inserts the operation, so a reference is never recorded without its work,
 * nor work without its reference.
 */
export class ReferenceBook {
  readonly #s;

  constructor(db: Database.Database) {
    this.#s = {
      get: db.prepare<[string], RefRow>(`SELECT reference, kind, body, op_ids, answer, created_at FROM pos_refs WHERE reference = ?`),
      link: db.prepare<{ ref: string; kind: string; body: string; id: string; now: number }>(
        `INSERT INTO pos_refs (reference, kind, body, op_ids, answer, created_at, updated_at) VALUES (@ref, @kind, @body, @id, NULL, @now, @now)
         ON CONFLICT (reference) DO UPDATE SET op_ids = op_ids || ',' || excluded.op_ids, updated_at = excluded.updated_at`,
      ),
      attach: db.prepare<{ ref: string; id: string; now: number }>(
        `UPDATE pos_refs SET op_ids = op_ids || ',' || @id, updated_at = @now WHERE reference = @ref`,
      ),
      // The operation names its reference too (schema 3): retention prunes a reference with all its operations.
      own: db.prepare<{ ref: string; id: number }>(`UPDATE ops SET pos_ref = @ref WHERE id = @id`),
      answer: db.prepare<{ ref: string; kind: string; body: string; answer: string; now: number }>(
        `INSERT INTO pos_refs (reference, kind, body, op_ids, answer, created_at, updated_at) VALUES (@ref, @kind, @body, '', @answer, @now, @now)
         ON CONFLICT (reference) DO UPDATE SET answer = excluded.answer, updated_at = excluded.updated_at`,
      ),
      drop: db.prepare<[string]>(`DELETE FROM pos_refs WHERE reference = ?`),
    };
  }

  get(reference: string): PosRefRecord | undefined {
    const r = this.#s.get.get(reference);
    if (!r) return undefined;
    return {
      reference: r.reference,
      kind: r.kind,
      body: r.body,
      opIds: r.op_ids === '' ? [] : r.op_ids.split(',').map(Number),
      answer: r.answer === null ? null : (JSON.parse(r.answer) as unknown),
      createdAt: r.created_at,
    };
  }

  /** Records that operation `id` belongs to `ref` (creating the reference on its first operation). */
  link(ref: PosRef, id: number, now: number): void {
    this.#s.link.run({ ref: ref.reference, kind: ref.kind, body: ref.body, id: String(id), now });
  }

  /** Adds operation `id` (a reversal the agent made) to an existing reference, if there is one. */
  attach(reference: string, id: number, now: number): void {
    if (this.#s.attach.run({ ref: reference, id: String(id), now }).changes === 1) this.#s.own.run({ ref: reference, id });
  }

  /** Records the POS answer: the reference is final from now on. */
  recordAnswer(ref: PosRef, answer: unknown, now: number): void {
    this.#s.answer.run({ ref: ref.reference, kind: ref.kind, body: ref.body, answer: JSON.stringify(answer), now });
  }

  /** Forgets a reference whose outcome was not final (nothing reached the host), so it may be used again. */
  drop(reference: string): void {
    this.#s.drop.run(reference);
  }
}
