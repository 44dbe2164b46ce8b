import { afterEach, expect, it } from 'vitest';
import { HostError } from '../../../agent/host/hostClient.js';
import { type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { FakeHost } from '../queue/fakeHost.js';
import { clock, EMPTY, earn, HAPPY, openQueue } from '../queue/queueTestKit.js';

let q: OperationQueue;
afterEach(() => q.close());

it('a permanently rejected item goes dead with its reason; the items behind it (same card and others) still drain', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  const poison = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'poison' });
  const sameCard = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'same-card' });
  const otherCard = q.enqueue({ kind: 'earn', card: EMPTY, payload: earn(), transactionId: 'other-card' });
  const host = new FakeHost();
  host.fail = (call) =>
    call.transactionId === 'poison' ? new HostError('HOST_ERR_REJECTED', 'invalid amount', { outcome: 'rejected', status: 400, hostCode: '1013' }) : undefined;
  const fwd = new Forwarder({ queue: q, host, now: c.now });

  expect(await fwd.flush()).toEqual({ sent: 2, failed: 0, dead: 1 });
  expect(q.get(poison.id)).toMatchObject({ state: 'dead', deadReason: 'HOST_ERR_REJECTED status 400 host code 1013: invalid amount' });
  expect(q.get(sameCard.id)?.state).toBe('done');
  expect(q.get(otherCard.id)?.state).toBe('done');
  expect([...host.applied.keys()].sort()).toEqual(['other-card', 'same-card']);
  expect(host.line('poison')).toMatchObject({ received: 1, applied: 0 });
  expect(q.stats()).toMatchObject({ pending: 0, done: 2, dead: 1, counters: { accepted: 3, sent: 2, dead: 1 }, invariantHolds: true });
  // It stays dead: a second flush does not resend it.
  expect(await fwd.flush()).toEqual({ sent: 0, failed: 0, dead: 0 });
});

it('expires an item older than maxAgeS as dead "expired" without sending it', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  const old = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
  c.advance(3_601_000);
  const host = new FakeHost();
  const fwd = new Forwarder({ queue: q, host, now: c.now, maxAgeS: 3600 });
  expect(await fwd.flush()).toEqual({ sent: 0, failed: 0, dead: 1 });
  expect(q.get(old.id)).toMatchObject({ state: 'dead', deadReason: 'expired' });
  expect(host.calls).toEqual([]);
  expect(fwd.counters()).toMatchObject({ expired: 1, dead: 1, sent: 0 });
});

it('a 5xx holds up only the failed item: it is retried with backoff, and the card\'s later earning goes at once (rule 5)', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  const head = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'head' });
  const next = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'next' });
  const host = new FakeHost();
  let failures = 1;
  host.fail = (call) => (call.transactionId === 'head' && failures-- > 0 ? new HostError('HOST_ERR_SERVER', 'boom', { outcome: 'failed', status: 500 }) : undefined);
  const fwd = new Forwarder({ queue: q, host, now: c.now, backoff: { baseMs: 500, jitter: 0 } });
  expect(await fwd.flush()).toEqual({ sent: 1, failed: 1, dead: 0 });
  expect(q.get(head.id)).toMatchObject({ state: 'pending', attempts: 1, nextDueAt: c.t + 500 });
  expect(q.get(next.id)?.state).toBe('done');
  expect(host.calls.map((x) => x.transactionId)).toEqual(['head', 'next']);
  expect(await fwd.flush()).toEqual({ sent: 1, failed: 0, dead: 0 });
  expect(host.calls.map((x) => x.transactionId)).toEqual(['head', 'next', 'head']);
  expect(host.line('head')).toMatchObject({ received: 2, applied: 1 });
  expect(host.line('next')).toMatchObject({ received: 1, applied: 1 });
  expect(fwd.counters()).toMatchObject({ sent: 2, retried: 1 });
});
