/**
 * Schema 8: the POS reference is stored once. A file of schema 7, built by hand as schema 7 wrote it (the
 * reference in pos_refs with its op_ids, in ops.pos_ref, and in payloads), opens with the current code: each
 * operation names its reference in pos_ref alone (op_ids decided), op_ids and the payloads' `reference` are gone,
 * and the references, their answers, the retention and the counters are what they were.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { CardRef } from '../../../protocol/cardRef.js';
import { CardCipher, generateQueueKey, OperationQueue, SCHEMA_VERSION } from '../../../agent/queue/index.js';
import { migrate } from '../../../agent/queue/schema.js';
import { EMPTY, HAPPY, OFFER, tempDir } from './queueTestKit.js';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2030, 0, 1);
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const TS = '20300101120000';
const accepted = (transactionId: string) => ({ status: 'accepted', transactionId, queued: false });

interface V7Op {
  id: number;
  txn: string;
  kind: 'earn' | 'burn';
  state: 'pending' | 'sending' | 'done' | 'dead' | 'abandoned';
  card: CardRef;
  payload: object;
  posRef: string | null;
  offline?: number;
  points?: number;
  sentAt?: number | null;
  deadReason?: string | null;
}

/**
 * A schema 7 file: what the operations and references of a few sales look like on disk, including the shapes
 * the old triple storage allowed (an operation named by op_ids only, one named by pos_ref only after its
 * reference was dropped and used again, op_ids starting with a comma after an answer recorded first).
 */
function makeV7(path: string, key: Buffer): void {
  const cipher = new CardCipher(key);
  const db = new Database(path);
  migrate(db, 7);
  expect(db.pragma('user_version', { simple: true })).toBe(7);
  db.prepare(`INSERT INTO meta (name, value) VALUES ('key_check', ?)`).run(cipher.keyCheck());
  const ins = db.prepare(
    `INSERT INTO ops (id, transaction_id, kind, offline, state, card_fp, card_masked, card_blob, payload, points, seq,
       dead_reason, created_at, next_due_at, sent_at, updated_at, pos_ref)
     VALUES (@id, @txn, @kind, @offline, @state, @fp, @masked, @blob, @payload, @points, @id, @deadReason, @t, @t, @sentAt, @t, @posRef)`,
  );
  const ops: V7Op[] = [
    // S-1: an earning as schema 7 wrote it, the reference in all three places.
    { id: 1, txn: 'v7-earn-1', kind: 'earn', state: 'done', card: HAPPY, payload: { amount: 100, timeStamp: TS, reference: 'S-1' }, posRef: 'S-1' },
    // S-2: linked through pos_refs.op_ids only (ops.pos_ref missing).
    { id: 2, txn: 'v7-earn-2', kind: 'earn', state: 'done', card: EMPTY, payload: { amount: 200, timeStamp: TS, reference: 'S-2' }, posRef: null },
    // S-3: a burn that never left the terminal, its reference dropped (not final) and used again by the earning 4:
    // the burn still names S-3 in pos_ref, but S-3's op_ids holds only 4.
    { id: 3, txn: 'v7-burn-3', kind: 'burn', state: 'abandoned', card: OFFER, payload: { points: 50, reference: 'S-3' }, posRef: 'S-3', deadReason: 'not-sent' },
    { id: 4, txn: 'v7-earn-4', kind: 'earn', state: 'done', card: OFFER, payload: { amount: 400, timeStamp: TS, reference: 'S-3' }, posRef: 'S-3' },
    // S-5: an earning the host refused later: kept (dead), with its reference.
    { id: 5, txn: 'v7-earn-5', kind: 'earn', state: 'dead', card: HAPPY, payload: { amount: 500, timeStamp: TS, reference: 'S-5' }, posRef: 'S-5', deadReason: '1013 format' },
    // No reference at all.
    { id: 6, txn: 'v7-earn-6', kind: 'earn', state: 'done', card: EMPTY, payload: { amount: 600, timeStamp: TS }, posRef: null },
    // S-7: an offline burn, still pending, whose answer was recorded before its link (op_ids ',7', which schema 7
    // code read as [0, 7]), op_ids only.
    { id: 7, txn: 'v7-offline-7', kind: 'burn', state: 'pending', card: HAPPY, payload: { points: 70, reference: 'S-7' }, posRef: null, offline: 1, points: 70 },
    // S-8: a direct burn in flight when the agent stopped, op_ids only: the open reverses it, and its reversal joins S-8.
    { id: 8, txn: 'v7-direct-8', kind: 'burn', state: 'sending', card: OFFER, payload: { points: 80, reference: 'S-8' }, posRef: null, sentAt: T0 },
  ];
  for (const o of ops) {
    ins.run({
      id: o.id, txn: o.txn, kind: o.kind, offline: o.offline ?? 0, state: o.state, fp: cipher.fingerprint(o.card.pan), masked: `${o.card.pan.slice(0, 6)}******${o.card.pan.slice(-4)}`,
      blob: cipher.seal(o.card, o.id), payload: JSON.stringify(o.payload), points: o.points ?? 0, deadReason: o.deadReason ?? null, t: T0, sentAt: o.sentAt ?? null, posRef: o.posRef,
    });
  }
  const ref = db.prepare(
    `INSERT INTO pos_refs (reference, kind, body, op_ids, answer, created_at, updated_at) VALUES (@ref, @kind, @body, @opIds, @answer, @t, @t)`,
  );
  const refs: { ref: string; kind: string; opIds: string; answer: unknown; t?: number }[] = [
    { ref: 'S-1', kind: 'earning', opIds: '1', answer: accepted('v7-earn-1') },
    { ref: 'S-2', kind: 'earning', opIds: '2', answer: accepted('v7-earn-2') },
    { ref: 'S-3', kind: 'earning', opIds: '4', answer: accepted('v7-earn-4') },
    // Answered without any operation (a refusal): the old answer-only index's case.
    { ref: 'S-4', kind: 'redemption', opIds: '', answer: { status: 'declined', reason: 'unknown-card' } },
    { ref: 'S-5', kind: 'earning', opIds: '5', answer: accepted('v7-earn-5') },
    { ref: 'S-7', kind: 'redemption', opIds: ',7', answer: { status: 'approved', queued: true } },
    { ref: 'S-8', kind: 'redemption', opIds: '8', answer: null },
    // A refusal too recent to prune.
    { ref: 'S-9', kind: 'redemption', opIds: '', answer: { status: 'declined', reason: 'expired-card' }, t: T0 + 5 * DAY_MS },
  ];
  for (const r of refs) {
    ref.run({ ref: r.ref, kind: r.kind, body: `{"reference":"${r.ref}"}`, opIds: r.opIds, answer: r.answer === null ? null : JSON.stringify(r.answer), t: r.t ?? T0 });
  }
  db.close();
}

describe('schema 8: the POS reference stored once', () => {
  it('migrates a schema 7 file: pos_ref is the one link, op_ids and payload references are gone, answers and retention as before', () => {
    const path = join(tmp.dir, 'v7.db');
    const key = generateQueueKey();
    makeV7(path, key);

    const now = T0 + 11 * DAY_MS;
    const q = OperationQueue.open({ path, key, now: () => now, retainDoneS: 10 * 86_400, pruneEveryMs: 3_600_000 });
    const raw = new Database(path, { readonly: true });
    try {
      // The file's shape.
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(8);
      expect((raw.pragma('table_info(pos_refs)') as { name: string }[]).map((c) => c.name)).toEqual(['reference', 'kind', 'body', 'answer', 'created_at', 'updated_at']);
      expect(raw.prepare(`SELECT name FROM sqlite_master WHERE name = 'pos_refs_answer_only'`).all()).toEqual([]);
      expect(raw.prepare(`SELECT COUNT(*) AS n FROM ops WHERE json_type(payload, '$.reference') IS NOT NULL`).get()).toEqual({ n: 0 });
      const rev = q.getByTransactionId('v7-direct-8-rev');
      expect(rev).toMatchObject({ kind: 'reversal', state: 'pending', payload: { originalTransactionId: 'v7-direct-8' } });
      expect(raw.prepare(`SELECT id, pos_ref AS ref FROM ops ORDER BY id`).all()).toEqual([
        { id: 1, ref: 'S-1' },
        { id: 2, ref: 'S-2' },
        { id: 3, ref: null },
        { id: 4, ref: 'S-3' },
        { id: 5, ref: 'S-5' },
        { id: 6, ref: null },
        { id: 7, ref: 'S-7' },
        { id: 8, ref: 'S-8' },
        { id: rev!.id, ref: 'S-8' },
      ]);
      // The rest of each payload as it was.
      expect(q.get(1)?.payload).toEqual({ amount: 100, timeStamp: TS });
      expect(q.get(3)?.payload).toEqual({ points: 50 });
      expect(q.get(7)?.payload).toEqual({ points: 70 });

      // The references as the POS sees them: the same operations, in the same order, and the same answers.
      const seen = (r: string) => {
        const rec = q.reference(r);
        return rec && { kind: rec.kind, body: rec.body, opIds: rec.opIds, answer: rec.answer, createdAt: rec.createdAt };
      };
      expect(seen('S-1')).toEqual({ kind: 'earning', body: '{"reference":"S-1"}', opIds: [1], answer: accepted('v7-earn-1'), createdAt: T0 });
      expect(seen('S-2')).toEqual({ kind: 'earning', body: '{"reference":"S-2"}', opIds: [2], answer: accepted('v7-earn-2'), createdAt: T0 });
      expect(seen('S-3')).toEqual({ kind: 'earning', body: '{"reference":"S-3"}', opIds: [4], answer: accepted('v7-earn-4'), createdAt: T0 });
      expect(seen('S-4')).toEqual({ kind: 'redemption', body: '{"reference":"S-4"}', opIds: [], answer: { status: 'declined', reason: 'unknown-card' }, createdAt: T0 });
      expect(seen('S-5')?.opIds).toEqual([5]);
      expect(seen('S-7')).toMatchObject({ opIds: [7], answer: { status: 'approved', queued: true } });
      expect(seen('S-8')).toMatchObject({ opIds: [8, rev!.id], answer: null });
      expect(seen('S-9')).toMatchObject({ opIds: [], answer: { status: 'declined', reason: 'expired-card' } });
      expect(q.stats()).toMatchObject({
        pending: 2, sending: 0, done: 4, dead: 2, abandoned: 1,
        counters: { accepted: 9, sent: 0, retried: 0, dead: 1, expired: 0, abandoned: 0, pruned: 0 },
        invariantHolds: true,
      });

      // Retention as before: S-1, S-3 with their operations (and the burn 3 S-3 once dropped), the old refusal S-4,
      // and the operation 6 without a reference; a reference with a dead or open operation stays whole. S-2 goes
      // with its operation too (schema 7 code, reading only ops.pos_ref, would have pruned operation 2 alone and kept
      // S-2 for ever, naming an operation gone; schema 7 never wrote an op_ids-only link, migration 3 had filled them).
      expect(q.pruneDone()).toMatchObject({ ops: 5, refs: 4 });
      for (const id of [1, 2, 3, 4, 6]) expect(q.get(id)).toBeUndefined();
      for (const r of ['S-1', 'S-2', 'S-3', 'S-4']) expect(q.reference(r)).toBeUndefined();
      expect(['S-5', 'S-7', 'S-8', 'S-9'].map((r) => q.reference(r)?.opIds)).toEqual([[5], [7], [8, rev!.id], []]);
      expect(q.stats()).toMatchObject({ pending: 2, done: 0, dead: 2, abandoned: 0, counters: { accepted: 9, dead: 1, pruned: 5 }, invariantHolds: true });
      expect(q.pruneDone()).toMatchObject({ ops: 0, refs: 0 });
    } finally {
      raw.close();
      q.close();
    }
  });

  it('keeps the reference out of new payloads, links a reversal through pos_ref, and frees a dropped reference\'s operations', () => {
    const q = OperationQueue.open({
      path: join(tmp.dir, 'new.db'), key: generateQueueKey(), now: () => T0,
      limits: { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 500, maxTotalPoints: 2000, maxCount: 10, maxAgeS: 3600 },
    });
    try {
      const r1 = { reference: 'N-1', kind: 'redemption' as const, body: '{}' };
      const burn = q.beginDirect({ kind: 'burn', card: HAPPY, payload: { points: 10 }, transactionId: 'n-burn', ref: r1 });
      const rev = q.unknownOutcome(burn.id, 'HOST_ERR_TIMEOUT');
      expect(q.reference('N-1')?.opIds).toEqual([burn.id, rev.id]);

      // Dropped (every operation abandoned): used again, the reference is a new sale without the old operations.
      const r3 = { reference: 'N-3', kind: 'redemption' as const, body: '{}' };
      const first = q.beginDirect({ kind: 'burn', card: OFFER, payload: { points: 10 }, ref: r3 });
      q.abandonDirect(first.id, 'not-sent');
      expect(q.reference('N-3')?.opIds).toEqual([first.id]);
      q.dropReference('N-3');
      expect(q.reference('N-3')).toBeUndefined();
      const again = q.enqueue({ kind: 'earn', card: OFFER, payload: { amount: 100, timeStamp: TS }, ref: { ...r3, kind: 'earning' } });
      expect(q.reference('N-3')?.opIds).toEqual([again.id]);
      expect(q.stats().invariantHolds).toBe(true);
    } finally {
      q.close();
    }
  });
});
