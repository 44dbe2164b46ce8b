import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CardCipher, generateQueueKey, OperationQueue, SCHEMA_VERSION, type PosRef } from '../../../agent/queue/index.js';
import { migrate } from '../../../agent/queue/schema.js';
import { clock, earn, EMPTY, HAPPY, OFFER, tempDir } from './queueTestKit.js';

const DAY_MS = 86_400_000;
const RETAIN_S = 10 * 86_400;
const tmp = tempDir();
const open: OperationQueue[] = [];
afterEach(() => {
  for (const q of open.splice(0)) q.close();
});
afterAll(() => tmp.cleanup());

function queueAt(path: string, c: { now: () => number }, retainDoneS = RETAIN_S, key = generateQueueKey()): OperationQueue {
  const q = OperationQueue.open({ path, key, now: c.now, retainDoneS, pruneEveryMs: 3_600_000 });
  open.push(q);
  return q;
}

const ref = (reference: string): PosRef => ({ reference, kind: 'earning', body: `{"reference":"${reference}"}` });

/** Claims everything due and settles each claimed id with the outcome `outcomeOf` gives it (default done). */
function drain(q: OperationQueue, outcomeOf: (id: number) => 'done' | 'dead' | 'keep' = () => 'done'): void {
  for (;;) {
    const chains = q.claim({ maxCards: 64, chainLength: 64 });
    if (chains.length === 0) return;
    const items = chains.flat().map((o) => {
      const out = outcomeOf(o.id);
      if (out === 'dead') return { id: o.id, outcome: 'dead' as const, reason: 'declined by the host' };
      if (out === 'keep') return undefined;
      return { id: o.id, outcome: 'done' as const, result: { rewardTrxId: `ok-${o.id}` } };
    });
    q.settle(items.filter((i) => i !== undefined));
    if (items.some((i) => i === undefined)) return; // left in 'sending' on purpose
  }
}

describe('retention of done operations', () => {
  it('prunes done and abandoned rows past queue.retainDoneS only; pending, sending and dead stay; the invariant holds', () => {
    const c = clock();
    const q = queueAt(join(tmp.dir, 'states.db'), c);
    const done = [1, 2, 3].map(() => q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() }));
    const dead = q.enqueue({ kind: 'earn', card: EMPTY, payload: earn() });
    drain(q, (id) => (id === dead.id ? 'dead' : 'done'));
    const abandoned = q.beginDirect({ kind: 'offer-redeem', card: OFFER, payload: { cardOfferId: 'o-1', amount: 100 } });
    q.abandonDirect(abandoned.id, 'not-sent');
    const sending = q.enqueue({ kind: 'earn', card: OFFER, payload: earn() });
    drain(q, () => 'keep');
    const pending = q.enqueue({ kind: 'earn', card: OFFER, payload: earn() }); // behind the sending one: stays pending
    expect(q.stats()).toMatchObject({ pending: 1, sending: 1, done: 3, dead: 1, abandoned: 1, counters: { accepted: 7, pruned: 0 }, invariantHolds: true });

    c.advance(RETAIN_S * 1000 - 1); // not yet past retention
    expect(q.pruneDone()).toMatchObject({ ops: 0, refs: 0 });
    c.advance(2);
    expect(q.pruneDone()).toMatchObject({ ops: 4, refs: 0 });
    expect(q.stats()).toMatchObject({ pending: 1, sending: 1, done: 0, dead: 1, abandoned: 0, counters: { accepted: 7, pruned: 4 }, invariantHolds: true });
    for (const o of done) expect(q.get(o.id)).toBeUndefined();
    expect(q.get(dead.id)?.state).toBe('dead');
    expect(q.get(abandoned.id)).toBeUndefined();
    expect(q.get(sending.id)?.state).toBe('sending');
    expect(q.get(pending.id)?.state).toBe('pending');

    c.advance(365 * DAY_MS); // however old they get
    expect(q.pruneDone().ops).toBe(0);
    expect(q.stats()).toMatchObject({ pending: 1, sending: 1, dead: 1, abandoned: 0, invariantHolds: true });
  });

  it('prunes the burn a declined redemption wrote during its balance call, and an offline turn\'s two burns, with their references', () => {
    const c = clock();
    const q = OperationQueue.open({
      path: join(tmp.dir, 'abandoned-burns.db'), key: generateQueueKey(), now: c.now, retainDoneS: RETAIN_S, pruneEveryMs: 3_600_000,
      limits: { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 500, maxTotalPoints: 2000, maxCount: 10, maxAgeS: 3600 },
    });
    open.push(q);
    const redemption = (reference: string): PosRef => ({ reference, kind: 'redemption', body: `{"points":10,"reference":"${reference}"}` });
    // A decline: the burn written during the balance call is abandoned, the decline recorded final.
    const declined = redemption('r-declined');
    const written = q.beginDirect({ kind: 'burn', card: HAPPY, payload: { points: 10 }, ref: declined });
    q.abandonDirect(written.id, 'not-sent');
    q.recordAnswer(declined, { status: 'declined', reason: 'unknown-card' });
    // An offline turn: the written burn abandoned, an offline burn approved under the same reference, later sent.
    const offline = redemption('r-offline');
    const first = q.beginDirect({ kind: 'burn', card: EMPTY, payload: { points: 10 }, ref: offline });
    q.abandonDirect(first.id, 'not-sent');
    const queued = q.tryEnqueueOfflineBurn({ card: EMPTY, payload: { points: 10 }, ref: offline });
    expect(queued.ok).toBe(true);
    q.recordAnswer(offline, { status: 'approved', queued: true });
    drain(q);
    expect(q.stats()).toMatchObject({ done: 1, abandoned: 2, counters: { accepted: 3 }, invariantHolds: true });

    c.advance(RETAIN_S * 1000 + 1);
    expect(q.pruneDone()).toMatchObject({ ops: 3, refs: 2 });
    expect(q.reference('r-declined')).toBeUndefined();
    expect(q.reference('r-offline')).toBeUndefined();
    expect(q.stats()).toMatchObject({ done: 0, abandoned: 0, counters: { accepted: 3, pruned: 3 }, invariantHolds: true });
  });

  it('the agent prunes by itself every pruneEveryMs, and stops when the queue closes', () => {
    vi.useFakeTimers();
    try {
      const c = clock();
      const q = OperationQueue.open({ path: join(tmp.dir, 'timer.db'), key: generateQueueKey(), now: c.now, retainDoneS: RETAIN_S, pruneEveryMs: 60_000 });
      [1, 2].forEach(() => q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() }));
      drain(q);
      c.advance(RETAIN_S * 1000 + 1);
      vi.advanceTimersByTime(59_999);
      expect(q.stats().counters.pruned).toBe(0); // not yet a tick
      vi.advanceTimersByTime(1);
      expect(q.stats()).toMatchObject({ done: 0, counters: { pruned: 2 }, invariantHolds: true });
      q.close();
      expect(vi.getTimerCount()).toBe(0); // nothing left ticking
    } finally {
      vi.useRealTimers();
    }
  });

  it('ages a done row from when it settled, not from when it was accepted', () => {
    const c = clock();
    const q = queueAt(join(tmp.dir, 'age.db'), c);
    const early = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    drain(q);
    const late = q.enqueue({ kind: 'earn', card: EMPTY, payload: earn() });
    c.advance(8 * DAY_MS); // accepted 8 days ago, settles now
    drain(q);
    c.advance(3 * DAY_MS); // early settled 11 days ago, late 3 days ago
    expect(q.pruneDone().ops).toBe(1);
    expect(q.get(early.id)).toBeUndefined();
    expect(q.get(late.id)?.state).toBe('done');
  });

  it('0 keeps done rows forever', () => {
    const c = clock();
    const q = queueAt(join(tmp.dir, 'forever.db'), c, 0);
    q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    drain(q);
    c.advance(10_000 * DAY_MS);
    expect(q.pruneDone()).toEqual({ ops: 0, refs: 0, freedPages: 0 });
    expect(q.stats()).toMatchObject({ done: 1, counters: { pruned: 0 } });
  });

  it('prunes a POS reference only with all its operations, all done and old; then the reference is free (a new sale)', () => {
    const c = clock();
    const q = queueAt(join(tmp.dir, 'refs.db'), c);
    const allDone = [q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), ref: ref('R-done') }), q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), ref: ref('R-done') })];
    q.recordAnswer(ref('R-done'), { status: 'accepted' });
    const mixedDone = q.enqueue({ kind: 'earn', card: EMPTY, payload: earn(), ref: ref('R-mixed') });
    const mixedDead = q.enqueue({ kind: 'earn', card: OFFER, payload: earn(), ref: ref('R-mixed') });
    const openDone = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), ref: ref('R-open') });
    drain(q, (id) => (id === mixedDead.id ? 'dead' : 'done'));
    const openPending = q.enqueue({ kind: 'earn', card: EMPTY, payload: earn(), ref: ref('R-open') });
    q.recordAnswer({ reference: 'R-refused', kind: 'redemption', body: '{}' }, { status: 'unavailable' }); // answered, no operation
    c.advance(5 * DAY_MS);
    const freshDone = q.enqueue({ kind: 'earn', card: OFFER, payload: earn(), ref: ref('R-fresh') });
    drain(q, (id) => (id === openPending.id ? 'keep' : 'done'));
    c.advance(6 * DAY_MS); // the first group settled 11 days ago, R-fresh 6 days ago

    const r = q.pruneDone();
    expect(r).toMatchObject({ ops: 2, refs: 2 });
    expect(q.reference('R-done')).toBeUndefined();
    expect(q.reference('R-refused')).toBeUndefined();
    for (const o of allDone) expect(q.get(o.id)).toBeUndefined();
    // A reference with a dead or an open operation keeps all of them, its done one included.
    expect(q.reference('R-mixed')?.opIds).toEqual([mixedDone.id, mixedDead.id]);
    expect(q.get(mixedDone.id)?.state).toBe('done');
    expect(q.reference('R-open')?.opIds).toEqual([openDone.id, openPending.id]);
    expect(q.get(openDone.id)?.state).toBe('done');
    expect(q.reference('R-fresh')?.opIds).toEqual([freshDone.id]);
    expect(q.stats()).toMatchObject({ counters: { accepted: 7, pruned: 2 }, invariantHolds: true });
  });

  it('a reference written recently keeps its old done operations', () => {
    const c = clock();
    const q = queueAt(join(tmp.dir, 'touched.db'), c);
    const op = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), ref: ref('R-late-answer') });
    drain(q);
    c.advance(9 * DAY_MS);
    q.recordAnswer(ref('R-late-answer'), { status: 'accepted' }); // e.g. rebuilt after a crash, 9 days later
    c.advance(2 * DAY_MS);
    expect(q.pruneDone().ops).toBe(0);
    expect(q.get(op.id)?.state).toBe('done');
    c.advance(9 * DAY_MS);
    expect(q.pruneDone()).toMatchObject({ ops: 1, refs: 1 });
  });

  it('works through many rows in batches of 500, a few batches a call', () => {
    const c = clock();
    const q = queueAt(join(tmp.dir, 'batches.db'), c);
    const cards = [HAPPY, EMPTY, OFFER];
    for (let i = 0; i < 30; i++) q.enqueueMany(Array.from({ length: 100 }, (_, j) => ({ kind: 'earn' as const, card: cards[j % 3]!, payload: earn() })));
    drain(q);
    c.advance(11 * DAY_MS);
    expect(q.pruneDone({ maxBatches: 2 }).ops).toBe(1000);
    expect(q.pruneDone().ops).toBe(2000);
    expect(q.stats()).toMatchObject({ done: 0, counters: { accepted: 3000, pruned: 3000 }, invariantHolds: true });
  });

  it('the file stops growing across cycles of enqueue, done and prune (and keeps growing without retention)', () => {
    const sizes = (retainDoneS: number): number[] => {
      const c = clock();
      const path = join(tmp.dir, `cycle-${retainDoneS}.db`);
      const q = queueAt(path, c, retainDoneS);
      const db = new Database(path, { readonly: true });
      const out: number[] = [];
      try {
        for (let cycle = 0; cycle < 12; cycle++) {
          for (let b = 0; b < 4; b++) q.enqueueMany(Array.from({ length: 250 }, (_, j) => ({ kind: 'earn' as const, card: [HAPPY, EMPTY, OFFER][j % 3]!, payload: earn(j) })));
          drain(q);
          c.advance(RETAIN_S * 1000 + 1);
          while (q.pruneDone().ops > 0) {
            /* until nothing is left to prune */
          }
          const pages = db.pragma('page_count', { simple: true }) as number;
          out.push(pages);
        }
      } finally {
        db.close();
      }
      return out;
    };
    const kept = sizes(RETAIN_S);
    const forever = sizes(0);
    const steady = Math.max(...kept.slice(2));
    expect(steady).toBeLessThanOrEqual(Math.ceil(kept[1]! * 1.1));
    expect(forever[11]!).toBeGreaterThan(kept[11]! * 5);
    expect(statSync(join(tmp.dir, `cycle-${RETAIN_S}.db`)).size).toBeLessThan(statSync(join(tmp.dir, 'cycle-0.db')).size);
  });

  it('opens a file made by schema 2: migrated to 3 with incremental auto-vacuum, references kept, then pruned', () => {
    const path = join(tmp.dir, 'v2.db');
    const key = generateQueueKey();
    const cipher = new CardCipher(key);
    const v2 = new Database(path);
    migrate(v2, 2);
    v2.prepare(`INSERT INTO meta (name, value) VALUES ('key_check', ?)`).run(cipher.keyCheck());
    const t0 = Date.UTC(2030, 0, 1);
    const ins = v2.prepare(
      `INSERT INTO ops (id, transaction_id, kind, state, card_fp, card_masked, card_blob, payload, seq, created_at, next_due_at, updated_at)
       VALUES (?, ?, 'earn', ?, ?, '628000******0016', ?, '{"amount":100,"timeStamp":"20300101120000"}', ?, ?, ?, ?)`,
    );
    ins.run(1, 'v2-done-ref', 'done', cipher.fingerprint(HAPPY.pan), cipher.seal(HAPPY, 1), 1, t0, t0, t0);
    ins.run(2, 'v2-done', 'done', cipher.fingerprint(HAPPY.pan), cipher.seal(HAPPY, 2), 2, t0, t0, t0);
    ins.run(3, 'v2-pending-ref', 'pending', cipher.fingerprint(EMPTY.pan), cipher.seal(EMPTY, 3), 3, t0, t0, t0);
    v2.prepare(`INSERT INTO pos_refs (reference, kind, body, op_ids, answer, created_at, updated_at) VALUES (?, 'earning', '{}', ?, '{"status":"accepted"}', ?, ?)`).run('R-a', '1', t0, t0);
    v2.prepare(`INSERT INTO pos_refs (reference, kind, body, op_ids, answer, created_at, updated_at) VALUES (?, 'earning', '{}', ?, '{"status":"accepted"}', ?, ?)`).run('R-b', '3', t0, t0);
    v2.prepare(`UPDATE counters SET value = 3 WHERE name = 'accepted'`).run();
    expect(v2.pragma('auto_vacuum', { simple: true })).toBe(0);
    v2.close();

    const c = clock(t0 + 11 * DAY_MS);
    const q = queueAt(path, c, RETAIN_S, key);
    expect(q.stats()).toMatchObject({ pending: 1, done: 2, counters: { accepted: 3, pruned: 0 }, invariantHolds: true });
    expect(q.pruneDone()).toMatchObject({ ops: 2, refs: 1 });
    expect(q.reference('R-a')).toBeUndefined();
    expect(q.reference('R-b')?.opIds).toEqual([3]);
    expect(q.stats()).toMatchObject({ pending: 1, done: 0, counters: { accepted: 3, pruned: 2 }, invariantHolds: true });
    const chains = q.claim({ maxCards: 4, chainLength: 4 });
    expect(chains.flat().map((o) => [o.transactionId, o.card.pan])).toEqual([['v2-pending-ref', EMPTY.pan]]);
    q.close();
    open.splice(0);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(check.pragma('auto_vacuum', { simple: true })).toBe(2);
    check.close();
  });
});
