/**
 * `whenSettled`: a promise the queue resolves from the commit that settles an
 * operation (done, dead, abandoned), or with null when the wait ends first
 * (the deadline on the queue's clock, an abort, the queue closing).
 */
import { afterEach, expect, it, vi } from 'vitest';
import { HostError } from '../../../agent/host/hostClient.js';
import { type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { FakeHost } from './fakeHost.js';
import { clock, earn, HAPPY, openQueue } from './queueTestKit.js';

let q: OperationQueue | undefined;
afterEach(() => {
  vi.useRealTimers();
  q?.close();
  q = undefined;
});

const direct = (queue: OperationQueue, transactionId: string) =>
  queue.beginDirect({ kind: 'burn', card: HAPPY, payload: { points: 5, rewardTrxId: 'rt', mandates: [{ accountId: '12', accountType: '1', debit: 5 }] }, transactionId });

it('resolves with done once the forwarder\'s send is committed, and not before', async () => {
  q = openQueue(':memory:');
  const op = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'e-1' });
  let settled: string | null | undefined;
  const waiting = q.whenSettled(op.id).then((s) => (settled = s));
  await Promise.resolve();
  expect(settled).toBeUndefined();
  const host = new FakeHost();
  expect(await new Forwarder({ queue: q, host }).flush()).toEqual({ sent: 1, failed: 0, dead: 0 });
  await waiting;
  expect(settled).toBe('done');
  expect(host.line('e-1')).toMatchObject({ received: 1, applied: 1 });
});

it('resolves with dead for a refusal and with abandoned for a direct send that never left', async () => {
  q = openQueue(':memory:');
  const refused = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'refused' });
  const refusedWait = q.whenSettled(refused.id);
  const host = new FakeHost();
  host.fail = () => new HostError('HOST_ERR_REJECTED', 'no', { outcome: 'rejected', status: 400, hostCode: '1013' });
  await new Forwarder({ queue: q, host }).flush();
  expect(await refusedWait).toBe('dead');

  const never = direct(q, 'never');
  const neverWait = q.whenSettled(never.id);
  q.abandonDirect(never.id, 'not-sent');
  expect(await neverWait).toBe('abandoned');
});

it('a retry is not final: the wait goes on through it', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  const op = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'flaky' });
  let settled: string | null | undefined;
  const waiting = q.whenSettled(op.id).then((s) => (settled = s));
  const host = new FakeHost();
  let drops = 1;
  host.fail = () => (drops-- > 0 ? 'drop' : undefined);
  const fwd = new Forwarder({ queue: q, host, now: c.now });
  expect(await fwd.flush()).toEqual({ sent: 0, failed: 1, dead: 0 });
  await Promise.resolve();
  expect(settled).toBeUndefined();
  expect(await fwd.flush()).toEqual({ sent: 1, failed: 0, dead: 0 });
  await waiting;
  expect(settled).toBe('done');
});

it('resolves at once with the state of an operation already final, and with null for an unknown id', async () => {
  q = openQueue(':memory:');
  const op = direct(q, 'd-1');
  q.rejectDirect(op.id, 'declined');
  expect(await q.whenSettled(op.id)).toBe('dead');
  expect(await q.whenSettled(9999)).toBeNull();
});

it('ends with null at the deadline, read on the queue\'s clock', async () => {
  vi.useFakeTimers();
  const start = Date.now();
  q = openQueue(':memory:', { now: () => Date.now() });
  const op = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
  let settled: string | null | undefined;
  void q.whenSettled(op.id, { deadline: start + 1500 }).then((s) => (settled = s));
  await vi.advanceTimersByTimeAsync(1499);
  expect(settled).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1);
  expect(settled).toBeNull();
  expect(q.get(op.id)?.state).toBe('pending');
});

it('a deadline already past ends the wait at once; so does an aborted signal, or closing the queue', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  const op = q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
  expect(await q.whenSettled(op.id, { deadline: c.t })).toBeNull();
  const ctl = new AbortController();
  const aborted = q.whenSettled(op.id, { signal: ctl.signal });
  ctl.abort();
  expect(await aborted).toBeNull();
  const closing = q.whenSettled(op.id);
  q.close();
  expect(await closing).toBeNull();
  q = undefined;
});
