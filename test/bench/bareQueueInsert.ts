import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { CardCipher } from '../../agent/queue/cardCipher.js';
import { applyWriterPragmas, migrate, NEXT_ID_SQL } from '../../agent/queue/schema.js';
import type { CardRef } from '../../protocol/cardRef.js';
import { maskPan } from '../../protocol/index.js';

/**
 * The enqueue benchmark's floor (issue 16, "measure where the time goes"):
 * what any enqueue into the queue's file must do, as bare statements and
 * nothing else. A database made by the queue's own migrations (its table,
 * indexes, trigger, auto-vacuum) under the writer pragmas; per insert, in one
 * IMMEDIATE transaction (one fsync), the card fingerprinted and sealed with the
 * queue's CardCipher, the card's last due time and the next id read, and the
 * row inserted. No OperationQueue, no typed errors, no row mapping, no events.
 *
 * `protectCard: false` prices the card's protection (the PAN never stored in
 * clear, found by its keyed fingerprint) in the same rounds: each card's
 * fingerprint and sealed blob are made once, up front, and reused, so the
 * rows and the pages they touch are the same and only the crypto is gone.
 */
export function bareQueueInsert(
  path: string,
  key: Buffer,
  cards: readonly CardRef[],
  payload: object,
  { protectCard = true }: { protectCard?: boolean } = {},
): { insert: () => void; close: () => void } {
  const db = new Database(path);
  applyWriterPragmas(db, 5000);
  migrate(db);
  const cipher = new CardCipher(key);
  const next = db.prepare<[string], { id: number; d: number | null }>(
    `SELECT ${NEXT_ID_SQL} AS id, (SELECT next_due_at FROM ops WHERE card_fp = ? AND state IN ('pending', 'sending') ORDER BY seq DESC LIMIT 1) AS d`,
  );
  const ins = db.prepare(
    `INSERT INTO ops (id, transaction_id, kind, offline, state, card_fp, card_masked, card_blob, payload, points, seq, created_at, next_due_at, sent_at, updated_at, pos_ref)
     VALUES (?, ?, 'earn', 0, 'pending', ?, ?, ?, ?, 0, ?, ?, ?, NULL, ?, NULL)`,
  );
  const fps = cards.map((c) => cipher.fingerprint(c.pan));
  const blobs = cards.map((c) => cipher.seal(c, 0));
  let i = 0;
  const one = db.transaction(() => {
    const k = i++ % cards.length;
    const card = cards[k]!;
    const now = Date.now();
    const fp = protectCard ? cipher.fingerprint(card.pan) : fps[k]!;
    const n = next.get(fp)!;
    const blob = protectCard ? cipher.seal(card, n.id) : blobs[k]!;
    ins.run(n.id, randomBytes(16).toString('hex'), fp, maskPan(card.pan), blob, JSON.stringify(payload), n.id, now, Math.max(now, n.d ?? now), now);
  });
  return { insert: () => one.immediate(), close: () => db.close() };
}
