/**
 * The accepted count since schema 5: the enqueue writes no counter; the operations accepted are counted by
 * their ids, dense above 'accepted_through', and no DELETE lowers the count (schema.ts, ACCEPTED_SQL).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CardCipher, generateQueueKey, OperationQueue, SCHEMA_VERSION } from '../../../agent/queue/index.js';
import { migrate } from '../../../agent/queue/schema.js';
import { clock, earn, EMPTY, HAPPY, tempDir } from './queueTestKit.js';

const DAY_MS = 86_400_000;
const tmp = tempDir();
const open: OperationQueue[] = [];
afterEach(() => {
  for (const q of open.splice(0)) q.close();
});
afterAll(() => tmp.cleanup());

function queueAt(path: string, key: Buffer, now: () => number, retainDoneS = 0): OperationQueue {
  const q = OperationQueue.open({ path, key, now, retainDoneS, pruneEveryMs: 3_600_000 });
  open.push(q);
  return q;
}

function drainAll(q: OperationQueue): void {
  for (let round = 0; round < 100; round++) {
    const chains = q.claim({ maxCards: 64, chainLength: 64 });
    if (chains.length === 0) return;
    q.settle(chains.flat().map((o) => ({ id: o.id, outcome: 'done' as const })));
  }
  throw new Error('queue did not drain');
}

describe('the accepted count', () => {
  it('opens a schema 4 file whose ids have gaps: its rows and count are kept, and the next ids count on from there', () => {
    const path = join(tmp.dir, 'v4.db');
    const key = generateQueueKey();
    const cipher = new CardCipher(key);
    const v4 = new Database(path);
    migrate(v4, 4);
    v4.prepare(`INSERT INTO meta (name, value) VALUES ('key_check', ?)`).run(cipher.keyCheck());
    const t0 = Date.UTC(2030, 0, 1);
    const ins = v4.prepare(
      `INSERT INTO ops (id, transaction_id, kind, state, card_fp, card_masked, card_blob, payload, seq, created_at, next_due_at, updated_at)
       VALUES (?, ?, 'earn', ?, ?, '628000******0016', ?, '{"amount":100,"timeStamp":"20300101120000"}', ?, ?, ?, ?)`,
    );
    // A schema 4 agent skipped ids after a rolled-back transaction (id 2 here) and counted each row it accepted.
    ins.run(1, 'v4-done', 'done', cipher.fingerprint(HAPPY.pan), cipher.seal(HAPPY, 1), 1, t0, t0, t0);
    ins.run(3, 'v4-pending', 'pending', cipher.fingerprint(EMPTY.pan), cipher.seal(EMPTY, 3), 3, t0, t0, t0);
    ins.run(7, 'v4-dead', 'dead', cipher.fingerprint(HAPPY.pan), cipher.seal(HAPPY, 7), 7, t0, t0, t0);
    v4.prepare(`UPDATE counters SET value = 3 WHERE name = 'accepted'`).run();
    v4.close();

    const q = queueAt(path, key, () => t0);
    expect(q.stats()).toMatchObject({ pending: 1, done: 1, dead: 1, counters: { accepted: 3 }, invariantHolds: true });
    expect(q.getByTransactionId('v4-pending')).toMatchObject({ id: 3, state: 'pending', maskedPan: '628000******0016' });
    const next = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(1) });
    expect(next.id).toBe(8);
    expect(q.stats()).toMatchObject({ pending: 2, counters: { accepted: 4 }, invariantHolds: true });
    const chains = q.claim({ maxCards: 4, chainLength: 4 });
    expect(chains.flat().map((o) => [o.transactionId, o.card.pan])).toEqual(
      expect.arrayContaining([['v4-pending', EMPTY.pan], [next.transactionId, HAPPY.pan]]),
    );
    q.close();
    open.splice(0);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  });

  it('a transaction rolled back after its operations were written leaves no gap: the count and the invariant stay right', () => {
    const q = queueAt(join(tmp.dir, 'rollback.db'), generateQueueKey(), Date.now);
    const sale = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(100), ref: { reference: 'S1', kind: 'earning', body: '{}' } });
    // The return's operation is written, then its answer cannot be recorded (a BigInt has no JSON): all rolls back.
    expect(() =>
      q.enqueueUndo({
        undo: { reference: 'R1', saleReference: 'S1', kind: 'return', amount: 50 },
        returnedBefore: 0,
        ref: { reference: 'R1', kind: 'return', body: '{}' },
        ops: [{ kind: 'earn-reversal', card: HAPPY, payload: { originalTransactionId: sale.transactionId } }],
        answer: { n: 1n },
      }),
    ).toThrow(TypeError);
    expect(q.stats()).toMatchObject({ pending: 1, counters: { accepted: 1 }, invariantHolds: true });
    const later = q.enqueueMany([{ kind: 'earn', card: EMPTY, payload: earn(5) }, { kind: 'earn', card: HAPPY, payload: earn(6) }]);
    expect(later.map((o) => o.id)).toEqual([sale.id + 1, sale.id + 2]);
    expect(q.stats()).toMatchObject({ pending: 3, counters: { accepted: 3 }, invariantHolds: true });
  });

  it('a row deleted by hand, even the newest, still counts as accepted: the invariant shows it missing', () => {
    const path = join(tmp.dir, 'byhand.db');
    const key = generateQueueKey();
    let q = queueAt(path, key, Date.now);
    const ops = [1, 2, 3].map((n) => q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(n) }));
    q.close();
    open.splice(0);
    const raw = new Database(path);
    raw.prepare(`DELETE FROM ops WHERE id = ?`).run(ops[2]!.id);
    raw.close();
    q = queueAt(path, key, Date.now);
    expect(q.stats()).toMatchObject({ pending: 2, counters: { accepted: 3 }, invariantHolds: false });
    // The next operation is counted on top, under an id never used before.
    expect(q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(4) }).id).toBe(4);
    expect(q.counters().accepted).toBe(4);
  });

  it('retention may prune every row, the newest too: the count stays and ids are never used again', () => {
    const c = clock();
    const path = join(tmp.dir, 'pruned.db');
    const key = generateQueueKey();
    let q = queueAt(path, key, c.now, 86_400);
    for (let n = 0; n < 5; n++) q.enqueue({ kind: 'earn', card: n % 2 ? HAPPY : EMPTY, payload: earn(n) });
    drainAll(q);
    c.advance(2 * DAY_MS);
    expect(q.pruneDone()).toMatchObject({ ops: 5 });
    expect(q.stats()).toMatchObject({ pending: 0, done: 0, counters: { accepted: 5, pruned: 5 }, invariantHolds: true });
    q.close();
    open.splice(0);
    q = queueAt(path, key, c.now, 86_400);
    const next = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(9) });
    expect(next.id).toBe(6);
    expect(q.stats()).toMatchObject({ pending: 1, counters: { accepted: 6, pruned: 5 }, invariantHolds: true });
  });
});
