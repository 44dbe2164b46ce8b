import { describe, expect, it } from 'vitest';
import { cashierText, money, reasonText } from '../../emulator/stack/cashierText.js';

const card = { pan: '628000******0016', kind: 'card' };

describe('cashierText', () => {
  it.each([
    ['POST', '/v1/redemptions', 200, { status: 'approved', transactionId: 'T', card, debited: 300, balanceAfter: 2400 }, 'Approved: 300 points redeemed from card 628000******0016; 2400 points left.'],
    ['POST', '/v1/redemptions', 200, { status: 'approved', transactionId: 'T', card, debited: 150, balanceAfter: null, queued: true }, 'Approved offline: 150 points from card 628000******0016; sent to the host when it is back.'],
    ['POST', '/v1/redemptions', 200, { status: 'declined', transactionId: 'T', card, debited: 0, balanceAfter: null, reason: 'insufficient-points' }, 'Declined for card 628000******0016: not enough points on the card.'],
    ['POST', '/v1/redemptions', 200, { status: 'timeout', transactionId: '', debited: 0, balanceAfter: null, reason: 'no-card' }, 'Not done: no card was swiped in time. Nothing was charged; try again.'],
    ['POST', '/v1/earnings', 200, { status: 'accepted', transactionId: 'T', queued: false, card }, 'Points credited to card 628000******0016.'],
    ['POST', '/v1/earnings', 200, { status: 'accepted', transactionId: 'T', queued: true, card }, 'Points will be credited to card 628000******0016: saved on this terminal, sent when the host is back.'],
    ['GET', '/v1/balance?timeoutMs=500', 200, { status: 'ok', card, accounts: [{ availableBalance: 2400 }, { availableBalance: 100 }] }, 'card 628000******0016 has 2500 points in 2 accounts.'],
    ['GET', '/v1/health', 200, { status: 'ok', reasons: [], reader: 'connected', host: 'offline', queue: { pending: 2, dead: 0, oldestAgeS: 1 } }, 'Terminal ready; host offline; 2 operations waiting to be sent.'],
    ['POST', '/v1/earnings', 409, { errors: [], error: { code: 'reference-conflict', message: 'm' } }, 'Refused: this sale number was already used for something else.'],
    ['POST', '/v1/earnings', 400, { errors: [], error: { code: 'E37', message: 'amount: amount must be > 0' } }, 'Refused (400 E37): amount: amount must be > 0.'],
  ])('%s %s %d', (method, path, status, body, line) => {
    expect(cashierText(method, path, { status, body })).toBe(line);
  });

  it('tells a checkout step by step, with what is left to pay', () => {
    const body = {
      reference: 'r', card, amount: 2500, amountDue: 2200,
      offer: { status: 'applied', displayText: 'BP: 1.00 back', type: 'cashback', benefit: 100 },
      redemption: { status: 'approved', debited: 300 }, earning: { status: 'accepted', queued: false },
    };
    expect(cashierText('POST', '/v1/checkout', { status: 200, body })).toBe('Checkout 25.00, card 628000******0016: offer "BP: 1.00 back" (1.00 back); 300 points redeemed; points credited. To pay: 22.00.');
  });

  it('says an earning the agent could not record was not credited', () => {
    const body = { reference: 'r', card, amount: 2500, amountDue: 2200, offer: { status: 'none', benefit: 0 }, redemption: { status: 'approved', debited: 300 }, earning: { status: 'unavailable', reason: 'not-recorded' } };
    expect(cashierText('POST', '/v1/checkout', { status: 200, body })).toBe(
      'Checkout 25.00, card 628000******0016: 300 points redeemed; points not credited (not recorded: record the earning again). To pay: 22.00.',
    );
  });

  it('writes money and reasons for people', () => {
    expect(money(2500)).toBe('25.00');
    expect(money(5)).toBe('0.05');
    expect(reasonText('host-unreachable')).toBe('the loyalty host cannot be reached');
    expect(reasonText('card-invalid:bad-luhn')).toBe('the card could not be read (swipe again)');
    expect(reasonText('something-new')).toBe('something new');
  });
});
