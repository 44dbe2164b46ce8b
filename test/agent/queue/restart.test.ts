import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HostError } from '../../../agent/host/hostClient.js';
import { generateQueueKey, type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { FakeHost } from './fakeHost.js';
import { clock, EMPTY, earn, HAPPY, openQueue, tempDir } from './queueTestKit.js';

let tmp: ReturnType<typeof tempDir>;
let q: OperationQueue | undefined;
const key = generateQueueKey();
const LIMITS = { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 500, maxTotalPoints: 1000, maxCount: 5, maxAgeS: 3600 };
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  q?.close();
  tmp.cleanup();
});

it('after a restart the retry schedule (attempts, next_due_at, last error) survives and pending work resumes without a duplicate', async () => {
  const c = clock();
  const path = join(tmp.dir, 'q.db');
  q = openQueue(path, { key, now: c.now });
  const a = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'a' });
  q.enqueue({ kind: 'earn', card: EMPTY, payload: earn(), transactionId: 'b' });
  const host = new FakeHost();
  host.fail = (call) => (call.transactionId === 'a' ? new HostError('HOST_ERR_SERVER', 'down', { outcome: 'failed', status: 503 }) : undefined);
  await new Forwarder({ queue: q, host, now: c.now, backoff: { baseMs: 1000, jitter: 0 } }).flush();
  const before = q.get(a.id);
  expect(before).toMatchObject({ state: 'pending', attempts: 1, nextDueAt: c.t + 1000 });
  q.close();

  q = openQueue(path, { key, now: c.now });
  expect(q.get(a.id)).toEqual(before);
  expect(q.nextDueAt()).toBe(c.t + 1000);
  expect(q.claim({ maxCards: 4, chainLength: 4 })).toEqual([]); // still backing off
  c.advance(1000);
  host.fail = () => undefined;
  const fwd = new Forwarder({ queue: q, host, now: c.now });
  const [chain] = q.claim({ maxCards: 4, chainLength: 4 });
  expect(chain?.map((o) => o.transactionId)).toEqual(['a']);
  q.settle([{ id: a.id, outcome: 'release' }]);
  expect(await fwd.flush()).toEqual({ sent: 1, failed: 0, dead: 0 });
  expect(host.calls.map((x) => x.transactionId)).toEqual(['a', 'b', 'a']);
  expect([...host.applied.entries()]).toEqual([
    ['b', 1],
    ['a', 1],
  ]);
  // 'a' failed once (a 5xx) and was resent after the restart: received twice, applied once.
  expect(host.line('a')).toMatchObject({ received: 2, applied: 1 });
  expect(host.line('b')).toMatchObject({ received: 1, applied: 1 });
});

it('recovers rows left in "sending" by a crash: earnings and offline burns (sent or not) requeued with the same id, a sent direct burn reversed', () => {
  const c = clock();
  const path = join(tmp.dir, 'q.db');
  q = openQueue(path, { key, now: c.now, limits: LIMITS });
  const e = q.enqueue({ kind: 'earn', card: EMPTY, payload: earn(), transactionId: 'earn-x' });
  const sent = q.tryEnqueueOfflineBurn({ card: HAPPY, payload: { points: 10 }, transactionId: 'sent-burn' });
  const direct = q.beginDirect({ kind: 'burn', card: EMPTY, payload: { rewardTrxId: 'rt', mandates: [], points: 3 }, transactionId: 'direct' });
  const unsent = q.tryEnqueueOfflineBurn({ card: HAPPY, payload: { points: 10 }, transactionId: 'unsent-burn' });
  if (!sent.ok || !unsent.ok) throw new Error('refused');
  q.claim({ maxCards: 4, chainLength: 4 });
  q.markSent(sent.op.id);
  // Simulate the crash: drop the handle without settling (the rows stay 'sending').
  expect(q.stats()).toMatchObject({ sending: 4 }); // earn-x, both offline burns, the direct burn
  q.close();

  q = openQueue(path, { key, now: c.now, limits: LIMITS });
  expect(q.get(e.id)).toMatchObject({ state: 'pending', transactionId: 'earn-x', attempts: 1 });
  // The POS heard "approved" for the offline burn: it may have reached the host, so it is resent, never reversed.
  expect(q.get(sent.op.id)).toMatchObject({ state: 'pending', sentAt: c.t, attempts: 1, lastError: 'interrupted mid-send (agent restart)' });
  expect(q.getByTransactionId('sent-burn-rev')).toBeUndefined();
  expect(q.get(direct.id)).toMatchObject({ state: 'dead', deadReason: 'unknown-outcome: interrupted mid-send (agent restart)' });
  expect(q.get(unsent.op.id)).toMatchObject({ state: 'pending', sentAt: null });
  expect(q.getByTransactionId('direct-rev')).toMatchObject({ kind: 'reversal', state: 'pending', payload: { originalTransactionId: 'direct' } });
  const chains = q.claim({ maxCards: 4, chainLength: 4 });
  expect(chains.map((ch) => ch.map((o) => o.transactionId)).sort()).toEqual([['earn-x', 'direct-rev'], ['sent-burn', 'unsent-burn']]);
  expect(q.stats()).toMatchObject({ counters: { accepted: 5 }, invariantHolds: true });
});

it('an operation interrupted mid-send and then done keeps no "interrupted" reason: its last error goes with its success', async () => {
  const c = clock();
  const path = join(tmp.dir, 'q.db');
  q = openQueue(path, { key, now: c.now });
  const e = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'earn-y' });
  q.claim({ maxCards: 4, chainLength: 4 });
  q.close(); // the crash: the row stays 'sending'

  q = openQueue(path, { key, now: c.now });
  expect(q.get(e.id)).toMatchObject({ state: 'pending', lastError: 'interrupted mid-send (agent restart)' });
  const host = new FakeHost();
  expect(await new Forwarder({ queue: q, host, now: c.now }).flush()).toEqual({ sent: 1, failed: 0, dead: 0 });
  expect(q.get(e.id)).toMatchObject({ state: 'done', attempts: 1, lastError: null });
  expect(host.line('earn-y')).toMatchObject({ received: 1, applied: 1 });
});
