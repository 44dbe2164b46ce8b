/**
 * What of an earn a reversal takes back, worked out as it is sent:
 * - a part tells an ISO 8583 host what the earn keeps (DE95), and the host
 *   takes back all above it. The figure comes from what the earn's done
 *   reversals took back, committed or earlier in the same chain. Worked out as
 *   if every earlier return had gone through, a return after one the host
 *   refused took that one's points too;
 * - a reversal of all that is left, of an earn that credited nothing, is not
 *   sent (the host would refuse it, and leave a dead-letter item).
 */
import { afterEach, expect, it, vi } from 'vitest';
import { HostError } from '../../../agent/host/index.js';
import { type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { earnedKept, earnedToTakeBack, returnShare, type ReturnShare } from '../../../protocol/loyalty/index.js';
import { FakeHost } from '../queue/fakeHost.js';
import { earn, HAPPY, openQueue } from '../queue/queueTestKit.js';

let q: OperationQueue | undefined;
afterEach(() => q?.close());

/** A fresh queue (closed after the test) holding sale `reference`'s earning of `amount`, which the host's answer will say credited `points`. */
function saleWithEarning(reference: string, amount: number, points: number) {
  const queue = openQueue(':memory:');
  q = queue;
  const host = new FakeHost();
  host.earnPoints = points;
  const fwd = new Forwarder({ queue, host });
  const sale = queue.enqueue({ kind: 'earn', card: HAPPY, payload: earn(amount), ref: { reference, kind: 'earning', body: '{}' } });
  return { queue, host, fwd, sale };
}

it('keeps the earn\'s points the host still holds less this part, after a done and a refused reversal in the same chain', async () => {
  const { queue, host, fwd, sale } = saleWithEarning('S1', 1000, 100);
  await fwd.flush();
  expect(queue.get(sale.id)).toMatchObject({ state: 'done', result: { earnedPoints: 100 } });

  // Three returns of 300, 200 and 100 of the 1000, planned as the checkout plans them: 30, 20 and 10 points.
  let before = 0;
  const returns = [300, 200, 100].map((amount, k) => {
    const share = returnShare(1000, before, amount) as ReturnShare;
    const part = { points: earnedToTakeBack(100, share), kept: earnedKept(100, share) };
    const [op] = queue.enqueueUndo({
      undo: { reference: `R${k}`, saleReference: 'S1', kind: 'return', amount },
      returnedBefore: before,
      ref: { reference: `R${k}`, kind: 'return', body: '{}' },
      ops: [{ kind: 'earn-reversal', card: HAPPY, payload: { originalTransactionId: sale.transactionId, part } }],
      answer: {},
    });
    before += amount;
    return op!;
  });
  expect(returns.map((o) => (o.payload as { part: { points: number } }).part.points)).toEqual([30, 20, 10]);
  // The host refuses the second (the customer has spent the points).
  host.fail = (c) => (c.transactionId === returns[1]!.transactionId ? new HostError('HOST_ERR_REJECTED', 'refused', { outcome: 'rejected', status: 422, hostCode: 'L13' }) : undefined);
  const sent = vi.spyOn(host, 'reverseEarn');
  await fwd.flush();

  expect(returns.map((o) => queue.get(o.id)?.state)).toEqual(['done', 'dead', 'done']);
  const parts = sent.mock.calls.map(([req]) => req.part);
  // 100 − 30 taken back by the first − 10 for the third: 60 kept (as planned, 40: the refused 20 would go too).
  expect(parts).toEqual([{ points: 30, kept: 70 }, { points: 20, kept: 50 }, { points: 10, kept: 60 }]);
});

it('sends no reversal of all that an earn has left when it credited nothing: done, nothing to undo', async () => {
  const { queue, host, fwd, sale } = saleWithEarning('S2', 5, 0);
  // The void is made before the earn reached the host, so it could not know the earn would credit nothing.
  const [rev] = queue.enqueueUndo({
    undo: { reference: 'V2', saleReference: 'S2', kind: 'void', amount: 5 },
    returnedBefore: 0,
    ref: { reference: 'V2', kind: 'void', body: '{}' },
    ops: [{ kind: 'earn-reversal', card: HAPPY, payload: { originalTransactionId: sale.transactionId } }],
    answer: {},
  });
  await fwd.flush();
  expect(queue.get(sale.id)).toMatchObject({ state: 'done', result: { earnedPoints: 0 } });
  expect(queue.get(rev!.id)).toMatchObject({ state: 'done', result: { nothingToUndo: true, nothingLeft: true } });
  expect(host.calls.filter((c) => c.op === 'reverseEarn')).toEqual([]);
});
