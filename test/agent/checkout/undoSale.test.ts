/**
 * Voids and returns at the checkout level: a scripted host and card reader,
 * the real durable queue in memory (forwarder offline, so what is queued
 * stays visible). Each case checks what the POS is told and what the queue
 * holds afterwards.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CheckoutService } from '../../../agent/checkout/checkoutService.js';
import { HostError, type HostClient } from '../../../agent/host/hostClient.js';
import type { CardReader } from '../../../agent/cardSources/serial/cardReader.js';
import { OperationQueue, generateQueueKey } from '../../../agent/queue/index.js';
import { parsePan, parseYymm } from '../../../protocol/pan.js';
import { noAdjustments } from '../../support/noAdjustments.js';

const HAPPY = { pan: parsePan('6280000000000016'), expiry: parseYymm('3012') };
const OTHER = { pan: parsePan('6280000000000057'), expiry: parseYymm('3012') };
const DAY_MS = 86_400_000;

/** A reader that hands out the cards given, one per read; `during` runs while the card is read. */
function reader(cards: (typeof HAPPY)[], during?: { hook?: () => void }): CardReader {
  return {
    state: 'connected',
    readCard: async () => {
      during?.hook?.();
      const c = cards.shift();
      if (!c) throw new Error('no more cards scripted');
      return { ...c, kind: 'card' };
    },
    counters: () => ({ frames: 0, noiseBytes: 0, badLrc: 0, oversize: 0, truncated: 0, naksSent: 0, invalidCards: 0, reconnects: 0 }),
    close: async () => undefined,
  } as CardReader;
}

/** A host that approves every balance (500 points) and burn, and offers a 10% discount (minimum spend 500). */
const host: HostClient = {
  balance: async () => ({ rewardTrxId: 'R1', accounts: [{ accountId: '12', accountName: '', accountType: '1', availableBalance: 500 }] }),
  burn: async (r) => ({ rewardTrxId: r.rewardTrxId, accounts: [{ accountId: '12', accountType: '1', debit: 100, balance: 400 }] }),
  reverse: async () => ({ reversed: true }),
  earn: async () => ({ rewardTrxId: 'R2', accounts: [], earnedPoints: 10 }),
  offers: async () => [{ cardOfferId: 'co1', offerId: 'of1', displayText: '10% off', type: 'discount', value: 10, valueType: 'percent', benefit: 100, minSpend: 500 }],
  redeemOffer: async () => {
    throw new HostError('HOST_ERR_TIMEOUT', 'sent, no answer', { outcome: 'unknown' });
  },
  ...noAdjustments,
  ping: async () => undefined,
  close: async () => undefined,
};

function counter(cards: (typeof HAPPY)[], clock: { t: number }, retainDoneS = 0, during?: { hook?: () => void }) {
  const queue = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), now: () => clock.t, retainDoneS, pruneEveryMs: 3_600_000 });
  const checkout = new CheckoutService(
    {
      reader: reader(cards, during),
      host,
      queue,
      forwarder: { online: false, flush: async () => ({}), onOnlineChange: () => () => undefined },
      logger: pino({ level: 'silent' }),
      now: () => clock.t,
    },
    { retainDoneS: retainDoneS || 2_592_000 },
  );
  return { checkout, queue };
}

describe('voids and returns at the checkout', () => {
  it('a void of a redemption queues the reversal of its burn, for the same card only', async () => {
    const clock = { t: Date.UTC(2026, 11, 1) };
    const { checkout, queue } = counter([HAPPY, OTHER, HAPPY], clock);
    const sale = await checkout.redeem({ reference: 'S1', points: 100 });
    expect(sale).toMatchObject({ status: 'approved', debited: 100 });

    const wrong = await checkout.undo({ kind: 'void', reference: 'V1', originalReference: 'S1' });
    expect(wrong).toMatchObject({ status: 'declined', reason: 'card-mismatch' });
    expect(queue.list().map((o) => o.kind)).toEqual(['burn']);

    const v = await checkout.undo({ kind: 'void', reference: 'V1', originalReference: 'S1' });
    expect(v).toMatchObject({ status: 'accepted', amount: 100, remaining: 0, refund: { status: 'queued', points: 100 }, earnReversal: { status: 'none' }, queued: true });
    // A void reverses the burn itself (REST reversal, ISO 8583 0420).
    const reversal = queue.getByTransactionId(v.refund.transactionId as string);
    expect(reversal).toMatchObject({ kind: 'reversal', state: 'pending', payload: { originalTransactionId: sale.transactionId } });
    expect(queue.saleUndos('S1')).toMatchObject([{ reference: 'V1', kind: 'void', amount: 100 }]);
    // Its retry is the first answer; another void of the same sale is refused.
    expect(await checkout.undo({ kind: 'void', reference: 'V1', originalReference: 'S1' })).toEqual(v);
    expect(await checkout.undo({ kind: 'void', reference: 'V2', originalReference: 'S1' })).toMatchObject({ status: 'declined', reason: 'sale-voided' });
    // A void is not a sale to undo.
    expect(await checkout.undo({ kind: 'void', reference: 'V3', originalReference: 'V1' })).toMatchObject({ status: 'declined', reason: 'not-a-sale' });
    expect(queue.stats()).toMatchObject({ pending: 1, done: 1, invariantHolds: true });
  });

  it('refuses a return over what is left, and one of a sale pruned by retention, naming why', async () => {
    const clock = { t: Date.UTC(2026, 11, 1) };
    const { checkout, queue } = counter([HAPPY], clock, 3600);
    await checkout.redeem({ reference: 'S2', points: 100 });
    expect(await checkout.undo({ kind: 'return', reference: 'R1', originalReference: 'S2', amount: 101 })).toMatchObject({ status: 'declined', reason: 'return-exceeds-sale', remaining: 100 });
    expect(await checkout.undo({ kind: 'return', reference: 'R2', originalReference: 'S2', amount: 0 })).toMatchObject({ status: 'declined', reason: 'amount-not-positive' });

    clock.t += 2 * DAY_MS;
    expect(queue.pruneDone()).toMatchObject({ ops: 1, refs: 1 });
    const pruned = await checkout.undo({ kind: 'void', reference: 'V3', originalReference: 'S2' });
    expect(pruned).toMatchObject({ status: 'declined', reason: 'sale-not-found' });
    expect(queue.stats()).toMatchObject({ pending: 0, counters: { accepted: 1, pruned: 1 }, invariantHolds: true });
  });

  it('a partial return of an earning the host has not seen yet keeps the share, to work out when it is sent', async () => {
    const clock = { t: Date.UTC(2026, 11, 1) };
    const { checkout, queue } = counter([HAPPY, HAPPY], clock);
    const sale = await checkout.earn({ reference: 'S3', amount: 1000 });
    expect(sale).toMatchObject({ status: 'accepted', queued: true });
    const r = await checkout.undo({ kind: 'return', reference: 'R3', originalReference: 'S3', amount: 250 });
    expect(r).toMatchObject({ status: 'accepted', remaining: 750, earnReversal: { status: 'queued', points: null } });
    const op = queue.getByTransactionId(r.earnReversal.transactionId as string);
    expect(op).toMatchObject({ kind: 'earn-reversal', payload: { share: { saleAmount: 1000, before: 0, upTo: 250 } } });
    // Queued behind the earning, for the same card.
    expect(queue.claim({ maxCards: 4, chainLength: 4 }).map((chain) => chain.map((o) => o.kind))).toEqual([['earn', 'earn-reversal']]);
  });
});

describe('voids and returns at the checkout (returns)', () => {
  it('a return of part of a redemption queues a refund of its share, rounded up', async () => {
    const clock = { t: Date.UTC(2026, 11, 1) };
    const { checkout, queue } = counter([HAPPY, HAPPY], clock);
    const sale = await checkout.redeem({ reference: 'S4', points: 100 });
    // 100 points redeemed, 33 of 100 returned: 33 back.
    const r = await checkout.undo({ kind: 'return', reference: 'R4', originalReference: 'S4', amount: 33 });
    expect(r).toMatchObject({ status: 'accepted', remaining: 67, refund: { status: 'queued', points: 33 } });
    expect(queue.getByTransactionId(r.refund.transactionId as string)).toMatchObject({ kind: 'refund', payload: { originalTransactionId: sale.transactionId, points: 33 } });
  });
});

describe('voids and returns at the checkout (what the till heard, and the sale changing under it)', () => {
  it('takes back no discount the till never gave: an offer whose answer never came, redeemed later by the queue', async () => {
    const clock = { t: Date.UTC(2026, 11, 1) };
    const { checkout, queue } = counter([HAPPY, HAPPY], clock);
    const sale = await checkout.checkout({ reference: 'S5', amount: 1000, acceptOffer: true });
    expect(sale).toMatchObject({ offer: { status: 'unavailable', benefit: 0, reason: 'no-answer-queued' }, amountDue: 1000 });
    // The queue resends the redemption later, and the host applies it.
    const [chain] = queue.claim({ maxCards: 1, chainLength: 4 });
    const redeem = chain?.find((o) => o.kind === 'offer-redeem');
    queue.settle([{ id: redeem?.id as number, outcome: 'done', result: { redemptionId: 'red-9', type: 'discount', benefit: 100 } }, ...(chain ?? []).filter((o) => o !== redeem).map((o) => ({ id: o.id, outcome: 'release' as const }))]);
    // Returning 300 keeps 700 (above the minimum spend): the redemption stands, and the customer had no discount to give back.
    const r = await checkout.undo({ kind: 'return', reference: 'R5', originalReference: 'S5', amount: 300 });
    expect(r).toMatchObject({ status: 'accepted', offer: { status: 'kept', clawBack: 0 } });
  });

  it('a dead operation of a sale that was returned cannot be revived by a technician', async () => {
    const clock = { t: Date.UTC(2026, 11, 1) };
    const { checkout, queue } = counter([HAPPY, HAPPY], clock);
    await checkout.checkout({ reference: 'S6', amount: 1000, redeemPoints: 100 });
    const [chain] = queue.claim({ maxCards: 1, chainLength: 4 });
    const earn = chain?.find((o) => o.kind === 'earn');
    queue.settle([{ id: earn?.id as number, outcome: 'dead', reason: 'HOST_ERR_REJECTED: refused' }]);
    const r = await checkout.undo({ kind: 'return', reference: 'R6', originalReference: 'S6', amount: 500 });
    expect(r).toMatchObject({ status: 'accepted', refund: { points: 50 }, earnReversal: { status: 'none' } });
    expect(() => queue.retry(earn?.id as number)).toThrow(expect.objectContaining({ code: 'QUEUE_ERR_STATE', message: expect.stringMatching(/a void or return has undone/) as string }) as Error);
  });

  it('refuses, writing nothing, when another return of the sale landed while the card was read', async () => {
    const clock = { t: Date.UTC(2026, 11, 1) };
    const during: { hook?: () => void } = {};
    const { checkout, queue } = counter([HAPPY, HAPPY], clock, 0, during);
    await checkout.redeem({ reference: 'S7', points: 100 });
    during.hook = () => {
      during.hook = undefined;
      const ref = { reference: 'R7-other', kind: 'return' as const, body: '{}' };
      queue.enqueueUndo({ undo: { reference: 'R7-other', saleReference: 'S7', kind: 'return', amount: 80 }, returnedBefore: 0, ref, ops: [], answer: {} });
    };
    const r = await checkout.undo({ kind: 'return', reference: 'R7', originalReference: 'S7', amount: 50 });
    expect(r).toMatchObject({ status: 'declined', reason: 'sale-changed' });
    expect(queue.saleUndos('S7').map((u) => u.reference)).toEqual(['R7-other']);
    expect(queue.reference('R7')).toBeUndefined();
  });
});
