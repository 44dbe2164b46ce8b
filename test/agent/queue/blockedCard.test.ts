/**
 * An item due behind its card's direct send (a burn the checkout sends
 * itself) cannot be claimed until that send ends, and the end wakes no one.
 * The pump used to look again at once, claiming nothing about once a
 * millisecond for as long as the send lasted, on the cashier's event loop.
 * It now looks again after a short pause, and the item is still delivered
 * once the send is over; other cards' work is not held up.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { Forwarder, type OperationQueue } from '../../../agent/queue/index.js';
import { FakeHost } from './fakeHost.js';
import { earn, EMPTY, HAPPY, openQueue } from './queueTestKit.js';

let q: OperationQueue | undefined;
let fwd: Forwarder | undefined;
afterEach(async () => {
  await fwd?.stop();
  q?.close();
});

/** Resolves once `cond()` holds, polled every 10 ms (at most 500 times). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i >= 500) throw new Error('condition not reached in 5 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('waits quietly behind a direct send in flight, then delivers the card\'s item once it is over', async () => {
  q = openQueue(':memory:');
  const burn = q.beginDirect({ kind: 'burn', card: HAPPY, payload: { rewardTrxId: 'rt', mandates: [], points: 100 }, transactionId: 'burn-1' });
  q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'behind-burn' });
  q.enqueue({ kind: 'earn', card: EMPTY, payload: earn(), transactionId: 'other-card' });
  const claims = vi.spyOn(q, 'settleAndClaim');
  const host = new FakeHost();
  fwd = new Forwarder({ queue: q, host, concurrency: 2, claimCards: 4, chainLength: 3 });
  fwd.start();

  await until(() => host.line('other-card').applied === 1);
  const before = claims.mock.calls.length;
  await new Promise((r) => setTimeout(r, 300));
  // A pause of 250 ms between looks: one or two claims in 300 ms, where the old pump made about 250.
  expect(claims.mock.calls.length - before).toBeLessThanOrEqual(3);
  expect(host.line('behind-burn')).toMatchObject({ received: 0, applied: 0 });

  q.completeDirect(burn.id, { approved: true });
  await until(() => host.line('behind-burn').applied === 1);
  expect(host.line('behind-burn')).toMatchObject({ received: 1, applied: 1 });
  expect(host.line('burn-1')).toMatchObject({ received: 0 }); // the checkout's own send: never the forwarder's
  expect(q.stats()).toMatchObject({ pending: 0, sending: 0, invariantHolds: true });
});
