import { afterEach, expect, it } from 'vitest';
import { HostError } from '../../../agent/host/hostClient.js';
import { Forwarder, type OperationQueue } from '../../../agent/queue/index.js';
import { FakeHost } from './fakeHost.js';
import { clock, earn, HAPPY, openQueue } from './queueTestKit.js';

let q: OperationQueue;
afterEach(() => q.close());

const LIMITS = { enabled: true, maxPointsPerTxn: 500, maxTotalPoints: 1000, maxCount: 5, maxAgeS: 3600 };

it('an offline burn whose answer never comes is reversed: dead "unknown-outcome" and a reversal forwarded before the card\'s newer items', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now, limits: LIMITS });
  const res = q.tryEnqueueOfflineBurn({ card: HAPPY, payload: { points: 300 }, transactionId: 'burn-9' });
  if (!res.ok) throw new Error(res.reason);
  const later = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'earn-after' });
  const host = new FakeHost();
  let drops = 1;
  host.fail = (call) => (call.op === 'burn' && drops-- > 0 ? 'drop' : undefined); // applied, then the answer is lost
  const fwd = new Forwarder({ queue: q, host, now: c.now });

  // The reversal is queued in the same transaction as the burn's death, and the same flush sends it
  // before the newer earning of that card.
  expect(await fwd.flush()).toEqual({ sent: 2, failed: 1, dead: 0 });
  expect(q.get(res.op.id)).toMatchObject({ state: 'dead', deadReason: 'unknown-outcome: HOST_ERR_TIMEOUT: no answer' });
  expect(q.get(later.id)?.state).toBe('done');
  expect(host.calls.map((x) => [x.op, x.transactionId, x.originalTransactionId])).toEqual([
    ['balance', expect.any(String), undefined],
    ['burn', 'burn-9', undefined],
    ['reverse', 'burn-9-rev', 'burn-9'],
    ['earn', 'earn-after', undefined],
  ]);
  expect(q.getByTransactionId('burn-9-rev')).toMatchObject({ kind: 'reversal', state: 'done' });
  expect(q.stats()).toMatchObject({ pending: 0, sending: 0, done: 2, dead: 1, counters: { accepted: 3 }, invariantHolds: true });
});

it('a direct (online) burn with an unknown outcome gets a durable reversal the forwarder sends', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  const burn = q.beginDirect({ kind: 'burn', card: HAPPY, payload: { rewardTrxId: 'rt-1', mandates: [{ accountId: '12', accountType: '1', debit: 50 }], points: 50 }, transactionId: 'direct-1' });
  expect(burn).toMatchObject({ state: 'sending', sentAt: c.t });
  const rev = q.unknownOutcome(burn.id, 'connection reset');
  const host = new FakeHost();
  expect(await new Forwarder({ queue: q, host, now: c.now }).flush()).toEqual({ sent: 1, failed: 0, dead: 0 });
  expect(host.calls).toEqual([{ op: 'reverse', transactionId: rev.transactionId, pan: HAPPY.pan, originalTransactionId: 'direct-1' }]);
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
  expect(host.applied.get('earn-1')).toBe(1);
});
