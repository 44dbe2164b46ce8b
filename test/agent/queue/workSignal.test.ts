/**
 * The queue's work signal (`onWork`), which wakes the forwarder: it fires
 * after a commit that gives the forwarder something to send, and not after
 * the checkout's own direct write (issue 16: that wake-up ran the
 * forwarder's claim queries on the event loop just as the burn's balance
 * answer came in, for nothing it could claim).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OperationQueue } from '../../../agent/queue/index.js';
import { clock, earn, HAPPY, openQueue } from './queueTestKit.js';

const BURN = { kind: 'burn' as const, card: HAPPY, payload: { rewardTrxId: 'rt', mandates: [], points: 100 } };

/** Lets the microtasks the queue defers its signal to run. */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('the queue wakes the forwarder', () => {
  let q: OperationQueue;
  let wakes: number;
  beforeEach(() => {
    q = openQueue(':memory:', { now: clock().now });
    wakes = 0;
    q.onWork(() => wakes++);
  });
  afterEach(() => q.close());

  it('after an enqueue (pending work), once the commit is done', async () => {
    q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
    expect(wakes).toBe(0); // deferred: listeners run after the enclosing transaction
    await settle();
    expect(wakes).toBe(1);
  });

  it('not after a direct write the checkout sends itself: nothing in it is the forwarder\'s', async () => {
    q.beginDirect({ ...BURN, transactionId: 'burn-1' });
    await settle();
    expect(wakes).toBe(0);
  });

  it('when that direct burn\'s outcome is unknown: its reversal is the forwarder\'s to send', async () => {
    const burn = q.beginDirect({ ...BURN, transactionId: 'burn-2' });
    await settle();
    wakes = 0;
    const rev = q.unknownOutcome(burn.id, 'response timeout');
    await settle();
    expect(wakes).toBe(1);
    expect(q.claim({ maxCards: 1, chainLength: 10 })[0]?.map((o) => o.id)).toEqual([rev.id]);
  });
});
