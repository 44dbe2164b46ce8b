/**
 * What the console counts as a refusal the POS heard, over hand-written POS
 * API answers: a redemption, an earning, each step of a checkout, a balance,
 * a void; never an approval, an acceptance or an error answer; and the tally
 * in words, most first.
 */
import { describe, expect, it } from 'vitest';
import { HeardNoTally, heardNo } from '../../../emulator/console/heardNo.js';

const card = { pan: '628000******0024', kind: 'card' };

describe('heardNo', () => {
  it('finds the no of a redemption, an earning, a balance and a void', () => {
    expect(heardNo('redeem', 200, { status: 'declined', transactionId: 'T', card, debited: 0, balanceAfter: 0, reason: 'insufficient-points' })).toEqual([
      { what: 'Redemption', status: 'declined', reason: 'insufficient-points' },
    ]);
    expect(heardNo('earn', 200, { status: 'timeout', reason: 'no-card' })).toEqual([{ what: 'Earning', status: 'timeout', reason: 'no-card' }]);
    expect(heardNo('balance', 200, { status: 'unavailable', accounts: [], reason: 'host-unreachable' })).toEqual([{ what: 'Balance', status: 'unavailable', reason: 'host-unreachable' }]);
    expect(heardNo('void', 200, { status: 'declined', kind: 'void', reason: 'sale-not-found' })).toEqual([{ what: 'Void', status: 'declined', reason: 'sale-not-found' }]);
  });

  it('finds each refused step of a checkout, and a checkout that got no card', () => {
    const body = {
      reference: 'r', card, amount: 2500, amountDue: 2500,
      offer: { status: 'unavailable', benefit: 0, reason: 'host-timeout' },
      redemption: { status: 'declined', transactionId: 'T', debited: 0, balanceAfter: 0, reason: 'insufficient-points' },
      earning: { status: 'accepted', transactionId: 'E', queued: true },
    };
    expect(heardNo('checkout', 200, body)).toEqual([
      { what: 'Offer', status: 'unavailable', reason: 'host-timeout' },
      { what: 'Redemption', status: 'declined', reason: 'insufficient-points' },
    ]);
    expect(heardNo('checkout', 200, { status: 'timeout', reason: 'no-card' })).toEqual([{ what: 'Checkout', status: 'timeout', reason: 'no-card' }]);
  });

  it('finds none in a yes, in an error answer, or in a call that is not a sale', () => {
    expect(heardNo('redeem', 200, { status: 'approved', transactionId: 'T', debited: 100, balanceAfter: 2350 })).toEqual([]);
    expect(heardNo('earn', 200, { status: 'accepted', transactionId: 'E', queued: false })).toEqual([]);
    expect(heardNo('checkout', 200, { amount: 2500, amountDue: 2400, offer: { status: 'applied', benefit: 100 }, redemption: null, earning: null })).toEqual([]);
    expect(heardNo('redeem', 409, { error: { code: 'reader-busy', message: 'busy' }, status: 'declined' })).toEqual([]);
    expect(heardNo('health', 200, { status: 'unavailable', reasons: ['host offline'] })).toEqual([]);
  });
});

describe('HeardNoTally', () => {
  it('counts the refusals in the cashier\'s words, most first', () => {
    const t = new HeardNoTally();
    t.add('redeem', 200, { status: 'declined', reason: 'insufficient-points' });
    t.add('earn', 200, { status: 'accepted', transactionId: 'E', queued: false });
    t.add('redeem', 200, { status: 'unavailable', reason: 'host-unreachable' });
    t.add('redeem', 200, { status: 'declined', reason: 'insufficient-points' });
    t.add('balance', 200, { status: 'declined', accounts: [], reason: 'expired-card' });
    expect(t.view()).toEqual([
      { words: 'Redemption declined: not enough points on the card', count: 2 },
      { words: 'Balance declined: the card has expired', count: 1 },
      { words: 'Redemption not available: the loyalty host cannot be reached', count: 1 },
    ]);
  });
});
