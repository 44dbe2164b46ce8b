import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateQueueKey, type OperationQueue, type QueueError } from '../../../agent/queue/index.js';
import { clock, EMPTY, earn, HAPPY, openQueue, OFFER, tempDir } from './queueTestKit.js';

// One contract, two stores (STYLE.md): ':memory:' and a real file.
describe.each([
  { name: ':memory:', file: false },
  { name: 'file DB', file: true },
])('OperationQueue contract ($name)', ({ file }) => {
  let q: OperationQueue;
  let tmp: ReturnType<typeof tempDir>;
  const c = clock();

  beforeEach(() => {
    tmp = tempDir();
    q = openQueue(file ? join(tmp.dir, 'q.db') : ':memory:', { now: c.now });
  });
  afterEach(() => {
    q.close();
    tmp.cleanup();
  });

  it('enqueues an earning as pending with a fixed transactionId and a masked PAN', () => {
    const op = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(1250), transactionId: 'txn-0001' });
    expect(op).toMatchObject({ kind: 'earn', state: 'pending', transactionId: 'txn-0001', attempts: 0, maskedPan: '628000******0016' });
    expect(op.payload).toEqual({ amount: 1250, timeStamp: '20300101120000' });
    expect(q.get(op.id)).toEqual(op);
    expect(JSON.stringify(q.list({}))).not.toContain('6280000000000016');
  });

  it('generates a 32-hex transactionId when none is given, and refuses a duplicate one', () => {
    const op = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    expect(op.transactionId).toMatch(/^[0-9a-f]{32}$/);
    expect(() => q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: op.transactionId })).toThrow(
      expect.objectContaining({ code: 'QUEUE_ERR_INPUT' }) as QueueError,
    );
  });

  it('keeps accepted = pending + sending + done + dead through every transition', () => {
    const a = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    q.enqueue({ kind: 'offer-redeem', card: OFFER, payload: { cardOfferId: 'co-1', amount: 900 } });
    const b = q.beginDirect({ kind: 'burn', card: EMPTY, payload: { rewardTrxId: 'rt', mandates: [], points: 10 } });
    expect(q.stats()).toMatchObject({ pending: 2, sending: 1, done: 0, dead: 0, counters: { accepted: 3 }, invariantHolds: true });
    q.completeDirect(b.id, { rewardTrxId: 'ok' });
    const [chain] = q.claim({ maxCards: 1, chainLength: 5 });
    expect(chain?.map((o) => o.id)).toEqual([a.id]);
    q.settle([{ id: a.id, outcome: 'dead', reason: 'rejected' }]);
    expect(q.stats()).toMatchObject({ pending: 1, sending: 0, done: 1, dead: 1, counters: { accepted: 3, sent: 1, dead: 1 }, invariantHolds: true });
  });

  it('claims FIFO per card: a card is claimed as one ordered chain, never two items of a card in separate chains', () => {
    const ids = [HAPPY, EMPTY, HAPPY, EMPTY, HAPPY].map((cd) => q.enqueue({ kind: 'earn', card: cd, payload: earn() }).id);
    const chains = q.claim({ maxCards: 4, chainLength: 10 });
    expect(chains.map((ch) => ch.map((o) => o.id))).toEqual([
      [ids[0], ids[2], ids[4]],
      [ids[1], ids[3]],
    ]);
    // Nothing else is claimable while those are in flight.
    expect(q.claim({ maxCards: 4, chainLength: 10 })).toEqual([]);
  });

  it('claims a card\'s later earning while an older one waits in backoff, but not an undo behind it (rule 5)', () => {
    const first = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    q.claim({ maxCards: 1, chainLength: 1 });
    q.settle([{ id: first.id, outcome: 'retry', error: 'HOST_ERR_SERVER', dueAt: c.now() + 5000 }]);
    const later = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    const undo = q.enqueue({ kind: 'earn-reversal', card: HAPPY, payload: { originalTransactionId: first.transactionId } });
    const afterUndo = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    const other = q.enqueue({ kind: 'earn', card: EMPTY, payload: earn() });
    const claimed = q.claim({ maxCards: 4, chainLength: 10 }).map((ch) => ch.map((o) => o.id));
    // The undo waits for the earning it may undo; the earning queued after it depends on neither.
    expect(claimed.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([[later.id, afterUndo.id], [other.id]]);
    expect(q.get(first.id)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HOST_ERR_SERVER', nextDueAt: c.now() + 5000 });
    expect(q.get(undo.id)).toMatchObject({ state: 'pending' });
    // Once the older earning is due again, the undo goes in the same chain, after it.
    c.advance(5000);
    q.settle([{ id: later.id, outcome: 'done' }, { id: afterUndo.id, outcome: 'done' }, { id: other.id, outcome: 'done' }]);
    expect(q.claim({ maxCards: 4, chainLength: 10 }).map((ch) => ch.map((o) => o.id))).toEqual([[first.id, undo.id]]);
  });

  it('holds a void\'s reversal behind its offline burn in backoff, and a second return behind the first, nothing else (rule 5)', () => {
    q.limits = { ...q.limits, enabled: true, maxPointsPerTxn: 500, maxTotalPoints: 500, maxCount: 5, maxAgeS: 3600, unknownCards: 'allow' };
    const burn = q.tryEnqueueOfflineBurn({ card: HAPPY, payload: { points: 100 }, transactionId: 'off-b' });
    if (!burn.ok) throw new Error(burn.reason.message);
    const earnOp = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'sale-earn' });
    q.claim({ maxCards: 4, chainLength: 10 });
    q.settle([
      { id: burn.op.id, outcome: 'retry', error: 'HOST_ERR_CONNECT', dueAt: c.now() + 5000 },
      { id: earnOp.id, outcome: 'retry', error: 'HOST_ERR_SERVER', dueAt: c.now() + 5000 },
    ]);
    const rev = q.enqueue({ kind: 'reversal', card: HAPPY, payload: { originalTransactionId: 'off-b' } });
    const ret1 = q.enqueue({ kind: 'earn-reversal', card: HAPPY, payload: { originalTransactionId: 'sale-earn', part: { points: 10, kept: 90 } } });
    const ret2 = q.enqueue({ kind: 'earn-reversal', card: HAPPY, payload: { originalTransactionId: 'sale-earn', part: { points: 10, kept: 80 } } });
    const free = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'free' });
    expect(q.claim({ maxCards: 4, chainLength: 10 }).map((ch) => ch.map((o) => o.id))).toEqual([[free.id]]);
    // Once the burn and the earning are due again, each goes before what depends on it, in one chain.
    c.advance(5000);
    q.settle([{ id: free.id, outcome: 'done' }]);
    expect(q.claim({ maxCards: 4, chainLength: 10 }).map((ch) => ch.map((o) => o.id))).toEqual([[burn.op.id, earnOp.id, rev.id, ret1.id, ret2.id]]);
  });

  it('unknownOutcome: the burn goes dead and its reversal is queued before anything newer for that card', () => {
    const older = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    const burn = q.beginDirect({ kind: 'burn', card: HAPPY, payload: { rewardTrxId: 'rt', mandates: [], points: 100 }, transactionId: 'burn-1' });
    const newer = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    const rev = q.unknownOutcome(burn.id, 'response timeout');
    expect(rev).toMatchObject({ kind: 'reversal', state: 'pending', payload: { originalTransactionId: 'burn-1' }, maskedPan: '628000******0016' });
    expect(q.get(burn.id)).toMatchObject({ state: 'dead', deadReason: 'unknown-outcome: response timeout' });
    const [chain] = q.claim({ maxCards: 1, chainLength: 10 });
    expect(chain?.map((o) => o.id)).toEqual([older.id, rev.id, newer.id]);
    expect(chain?.[1]?.card).toEqual(HAPPY);
    expect(q.stats().invariantHolds).toBe(true);
  });

  it('rejectDirect keeps the reason; retry refuses a direct burn but revives a dead earning', () => {
    const burn = q.beginDirect({ kind: 'burn', card: HAPPY, payload: { rewardTrxId: 'rt', mandates: [], points: 5 } });
    q.rejectDirect(burn.id, 'L51 insufficient points');
    expect(q.get(burn.id)).toMatchObject({ state: 'dead', deadReason: 'L51 insufficient points' });
    expect(() => q.retry(burn.id)).toThrow(expect.objectContaining({ code: 'QUEUE_ERR_STATE' }) as QueueError);
    const e = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    expect(() => q.retry(e.id)).toThrow(expect.objectContaining({ code: 'QUEUE_ERR_STATE' }) as QueueError);
    q.claim({ maxCards: 1, chainLength: 1 });
    q.settle([{ id: e.id, outcome: 'dead', reason: '1013 format' }]);
    expect(q.retry(e.id)).toMatchObject({ state: 'pending', deadReason: null });
    expect(() => q.retry(999)).toThrow(expect.objectContaining({ code: 'QUEUE_ERR_NOT_FOUND' }) as QueueError);
  });

  it('lists by state with limit and offset', () => {
    for (let i = 0; i < 5; i++) q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(i + 1) });
    expect(q.list({ state: 'pending', limit: 2, offset: 1 }).map((o) => (o.payload as { amount: number }).amount)).toEqual([2, 3]);
    expect(q.list({ state: 'dead' })).toEqual([]);
  });

  it.skipIf(!file)('refuses a different key for the same file', () => {
    const path = join(tmp.dir, 'q.db');
    q.close();
    expect(() => openQueue(path, { key: generateQueueKey() })).toThrow(expect.objectContaining({ code: 'QUEUE_ERR_KEY_MISMATCH' }) as QueueError);
    q = openQueue(join(tmp.dir, 'other.db'));
  });
});
