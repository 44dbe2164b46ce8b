import { afterEach, expect, it } from 'vitest';
import { type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { FakeHost } from './fakeHost.js';
import { clock, earn, HAPPY, openQueue } from './queueTestKit.js';

let q: OperationQueue;
afterEach(() => q.close());

const LIMITS = { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 500, maxTotalPoints: 1000, maxCount: 5, maxAgeS: 3600 };

it('an offline burn whose answer is lost is never reversed: it is resent to the letter, and the host\'s replayed answer closes it as done', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now, limits: LIMITS });
  const res = q.tryEnqueueOfflineBurn({ card: HAPPY, payload: { points: 300 }, transactionId: 'burn-9' });
  if (!res.ok) throw new Error(res.reason.message);
  q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'earn-after' });
  const host = new FakeHost();
  let drops = 1;
  host.fail = (call) => (call.op === 'burn' && drops-- > 0 ? 'drop' : undefined); // applied, then the answer is lost
  const fwd = new Forwarder({ queue: q, host, now: c.now });

  // The POS heard "approved": the lost answer is retried with the same transactionId. The card's newer earning
  // does not depend on it (rule 5) and goes at once; the host's answer to it brings the forwarder back online,
  // which makes the waiting burn due again within the same flush.
  expect(await fwd.flush()).toEqual({ sent: 2, failed: 1, dead: 0 });
  // Retried once after the lost answer; done, it keeps no error.
  expect(q.get(res.op.id)).toMatchObject({ state: 'done', attempts: 1, lastError: null });
  // The resend repeats the stored request (no new balance enquiry, which could see the debited balance and refuse).
  expect(q.get(res.op.id)?.payload).toMatchObject({ points: 300, rewardTrxId: expect.any(String), mandates: [{ accountId: '12', debit: 300 }] });
  expect(host.calls.map((x) => [x.op, x.transactionId])).toEqual([
    ['balance', expect.any(String)],
    ['burn', 'burn-9'],
    ['earn', 'earn-after'],
    ['burn', 'burn-9'],
  ]);
  expect(host.calls.some((x) => x.op === 'reverse')).toBe(false);
  expect(host.balances.get(HAPPY.pan)).toBe(10_000 - 300); // debited once
  // Per transactionId: the burn reached the host twice and was applied once, never reversed.
  expect(host.line('burn-9')).toMatchObject({ received: 2, applied: 1, reversed: 0 });
  expect(host.line('earn-after')).toMatchObject({ received: 1, applied: 1 });
  expect(q.get(res.op.id)?.state).toBe('done');
  expect(q.getByTransactionId('burn-9-rev')).toBeUndefined();
  expect(q.stats()).toMatchObject({ pending: 0, sending: 0, done: 2, dead: 0, counters: { accepted: 2 }, invariantHolds: true });
});

it('an offline burn sent without its request on record (an older agent) is resent with a fresh enquiry: the 2020 its new body earns means applied', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now, limits: LIMITS });
  const again = q.tryEnqueueOfflineBurn({ card: HAPPY, payload: { points: 300 }, transactionId: 'burn-old' });
  if (!again.ok) throw new Error(again.reason.message);
  const host = new FakeHost();
  // The first send reached the host; the agent kept only that it was sent, not what.
  await host.burn({ card: HAPPY, rewardTrxId: 'rt-first', transactionId: 'burn-old', mandates: [{ accountId: '12', accountType: '1', debit: 300 }] });
  q.claim({ maxCards: 1, chainLength: 1 });
  q.markSent(again.op.id);
  q.settle([{ id: again.op.id, outcome: 'retry', error: 'interrupted', dueAt: c.t }]);
  expect(await new Forwarder({ queue: q, host, now: c.now }).flush()).toEqual({ sent: 1, failed: 0, dead: 0 });
  expect(q.get(again.op.id)).toMatchObject({ state: 'done', result: { duplicateOfEarlierAttempt: true } });
  expect(host.balances.get(HAPPY.pan)).toBe(10_000 - 300);
  // The first send and the resend both reached the host; the burn was applied once.
  expect(host.line('burn-old')).toMatchObject({ received: 2, applied: 1, reversed: 0 });
});

it('a direct (online) burn with an unknown outcome gets a durable reversal the forwarder sends', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  const burn = q.beginDirect({ kind: 'burn', card: HAPPY, payload: { rewardTrxId: 'rt-1', mandates: [{ accountId: '12', accountType: '1', debit: 50 }], points: 50 }, transactionId: 'direct-1' });
  expect(burn).toMatchObject({ state: 'sending', sentAt: c.t });
  const host = new FakeHost();
  await host.burn({ card: HAPPY, rewardTrxId: 'rt-1', transactionId: 'direct-1', mandates: [{ accountId: '12', accountType: '1', debit: 50 }] });
  const rev = q.unknownOutcome(burn.id, 'connection reset');
  expect(rev.payload).toEqual({ originalTransactionId: 'direct-1', originalSentAt: c.t });
  expect(await new Forwarder({ queue: q, host, now: c.now }).flush()).toEqual({ sent: 1, failed: 0, dead: 0 });
  expect(host.calls.slice(1)).toEqual([{ op: 'reverse', transactionId: rev.transactionId, pan: HAPPY.pan, originalTransactionId: 'direct-1' }]);
  expect(q.get(rev.id)?.state).toBe('done');
  // The burn was applied once and reversed once; the reversal was received and applied once.
  expect(host.line('direct-1')).toMatchObject({ received: 1, applied: 1, reversed: 1 });
  expect(host.line(rev.transactionId)).toMatchObject({ received: 1, applied: 1 });
});

it('a reversal answered "original not found" is retried while the original could still land, then done', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  const burn = q.beginDirect({ kind: 'burn', card: HAPPY, payload: { rewardTrxId: 'rt-1', mandates: [{ accountId: '12', accountType: '1', debit: 50 }], points: 50 }, transactionId: 'slow-1' });
  const rev = q.unknownOutcome(burn.id, 'deadline');
  const host = new FakeHost(); // has not seen slow-1 (yet)
  const fwd = new Forwarder({ queue: q, host, now: c.now, lateOriginalMs: 10_000 });
  expect(await fwd.flush()).toEqual({ sent: 0, failed: 1, dead: 0 });
  expect(q.get(rev.id)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'original-not-found' });
  c.advance(9_000); // the original may still arrive
  expect(await fwd.flush()).toEqual({ sent: 0, failed: 1, dead: 0 });
  c.advance(1_001); // past the send time + host timeout + margin: nothing can land any more
  expect(await fwd.flush()).toEqual({ sent: 1, failed: 0, dead: 0 });
  expect(q.get(rev.id)?.state).toBe('done');
  expect(host.calls.map((x) => x.op)).toEqual(['reverse', 'reverse', 'reverse']);
  expect(host.line(rev.transactionId)).toMatchObject({ received: 3, applied: 1 });
  expect(host.line('slow-1')).toEqual({ received: 0, applied: 0, reversed: 0 }); // nothing to undo
});

it('an earning with an unknown outcome is resent with the same transactionId and applied once', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'earn-1' });
  const host = new FakeHost();
  let drops = 1;
  host.fail = () => (drops-- > 0 ? 'drop' : undefined);
  const fwd = new Forwarder({ queue: q, host, now: c.now });
  expect(await fwd.flush()).toEqual({ sent: 0, failed: 1, dead: 0 });
  expect(await fwd.flush()).toEqual({ sent: 1, failed: 0, dead: 0 });
  expect(host.calls.map((x) => x.transactionId)).toEqual(['earn-1', 'earn-1']);
  expect(host.line('earn-1')).toMatchObject({ received: 2, applied: 1 });
});
