/**
 * End to end, real processes: the host emulator, the reader emulator on a
 * socat pseudo-terminal, and `pos-agent run`. Every fixture card goes through
 * /v1/redemptions, /v1/earnings, /v1/balance and /v1/checkout; the host
 * ledger is checked after each. Every test starts from the fixtures' state (a
 * fresh ledger and an empty agent queue), so each runs alone or in any order.
 * Expected values come from the fixtures (emulator/host/fixtures.ts): happy
 * 2450 points, empty 0, offer 800, expired, slow, host-error and
 * commit-then-drop 1000; earnRate 0.1 point per minor unit; the BP offer is
 * 10% off with a 5.00 minimum.
 */
import { describe, expect, it } from 'vitest';
import { e2eStackPerTest, eventually, skipWithoutSocat } from '../support/e2eStack.js';

const POS_TIMEOUT_MS = 8000;

describe.skipIf(skipWithoutSocat)('fixture cards through the POS API', () => {
  const e = e2eStackPerTest({ hostTimeoutMs: 2000 });

  const redeem = (card: string, points: number) =>
    e.swiped(card, 'POST', '/v1/redemptions', { reference: `r-${card}`, points, timeoutMs: POS_TIMEOUT_MS });
  const earn = (card: string, amount: number) =>
    e.swiped(card, 'POST', '/v1/earnings', { reference: `e-${card}`, amount, timeoutMs: POS_TIMEOUT_MS });

  describe('happy (2450 points)', () => {
    it('redeems 100: approved, and the ledger drops by 100', async () => {
      const a = await redeem('happy', 100);
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({ status: 'approved', debited: 100, balanceAfter: 2350, card: { pan: '628000******0016', kind: 'card' } });
      expect(await e.balanceOf('happy')).toBe(2350);
    });

    it('earns on 10.00: accepted, sent at once, +100 points', async () => {
      const a = await earn('happy', 1000);
      expect(a.body).toMatchObject({ status: 'accepted', queued: false });
      expect(await e.balanceOf('happy')).toBe(2550);
      const credits = (await e.entriesOf('happy')).filter((x) => x.transactionId === a.body.transactionId);
      expect(credits).toHaveLength(1);
    });

    it('shows the balance', async () => {
      const a = await e.swiped('happy', 'GET', '/v1/balance');
      expect(a.body).toMatchObject({ status: 'ok', accounts: [{ accountId: '12', accountType: '1', availableBalance: 2450 }] });
    });

    it('checks out 20.00 with 50 points: no offer here, burn 50, earn on 19.50', async () => {
      const a = await e.swiped('happy', 'POST', '/v1/checkout', { reference: 'c-happy', amount: 2000, redeemPoints: 50, acceptOffer: true });
      expect(a.body).toMatchObject({
        offer: { status: 'none', benefit: 0 },
        redemption: { status: 'approved', debited: 50 },
        earning: { status: 'accepted', queued: false },
        amountDue: 1950,
      });
      // 2450 − 50 + floor(1950 × 0.1) = 2595
      expect(await e.balanceOf('happy')).toBe(2595);
    });
  });

  describe('empty (no points)', () => {
    it('declines a redemption for insufficient points and debits nothing', async () => {
      const a = await redeem('empty', 100);
      expect(a.body).toMatchObject({ status: 'declined', reason: 'insufficient-points', debited: 0 });
      expect(await e.balanceOf('empty')).toBe(0);
    });
    it('earns: 5.00 gives 50 points', async () => {
      expect((await earn('empty', 500)).body).toMatchObject({ status: 'accepted', queued: false });
      expect(await e.balanceOf('empty')).toBe(50);
    });
    it('balance and checkout', async () => {
      expect((await e.swiped('empty', 'GET', '/v1/balance')).body).toMatchObject({ status: 'ok', accounts: [{ availableBalance: 0 }] });
      const c = await e.swiped('empty', 'POST', '/v1/checkout', { reference: 'c-empty', amount: 1000, redeemPoints: 500 });
      expect(c.body).toMatchObject({ redemption: { status: 'declined', reason: 'insufficient-points' }, earning: { status: 'accepted' }, amountDue: 1000 });
      // 0 + floor(1000 × 0.1) = 100
      expect(await e.balanceOf('empty')).toBe(100);
    });
  });

  describe('expired', () => {
    it('is declined at the host as an expired card, earning included, and nothing moves', async () => {
      expect((await redeem('expired', 100)).body).toMatchObject({ status: 'declined', reason: 'expired-card' });
      expect((await e.swiped('expired', 'GET', '/v1/balance')).body).toMatchObject({ status: 'declined', reason: 'expired-card' });
      // The card says it has expired: the host is asked first (a balance enquiry), and the POS hears its refusal,
      // not "accepted"; no earning is written or sent.
      const earned = await earn('expired', 1000);
      expect(earned.body).toMatchObject({ status: 'declined', reason: 'expired-card', transactionId: '' });
      expect((await e.agent('GET', '/v1/queue')).body).toMatchObject({ stats: { pending: 0, sending: 0 } });
      expect((await e.entriesOf('expired')).length).toBe(0);
      expect(await e.balanceOf('expired')).toBe(1000);
    });
  });

  describe('unknown (not enrolled)', () => {
    it('is declined as an unknown card everywhere', async () => {
      expect((await redeem('unknown', 100)).body).toMatchObject({ status: 'declined', reason: 'unknown-card' });
      expect((await e.swiped('unknown', 'GET', '/v1/balance')).body).toMatchObject({ status: 'declined', reason: 'unknown-card' });
      const c = await e.swiped('unknown', 'POST', '/v1/checkout', { reference: 'c-unknown', amount: 1000, redeemPoints: 10 });
      expect(c.body).toMatchObject({ redemption: { status: 'declined', reason: 'unknown-card' } });
      expect((await e.entriesOf('unknown')).length).toBe(0);
    });
  });

  describe('offer (800 points, linked to the BP 10% offer)', () => {
    it('checks out 20.00: offer applied (2.00 off), 100 points burned, earn on 17.00', async () => {
      const a = await e.swiped('offer', 'POST', '/v1/checkout', { reference: 'c-offer', amount: 2000, redeemPoints: 100, acceptOffer: true });
      expect(a.body).toMatchObject({
        offer: { status: 'applied', type: 'discount', benefit: 200, displayText: 'BP: 10% off with Pay with Points' },
        redemption: { status: 'approved', debited: 100 },
        earning: { status: 'accepted', queued: false },
        amountDue: 1700,
      });
      // 800 − 100 + floor(1700 × 0.1) = 870
      expect(await e.balanceOf('offer')).toBe(870);
    });
    it('shows the offer without redeeming it when acceptOffer is not set', async () => {
      const a = await e.swiped('offer', 'POST', '/v1/checkout', { reference: 'c-offer-2', amount: 1000 });
      expect(a.body).toMatchObject({ offer: { status: 'available', benefit: 100 }, amountDue: 1000 });
    });
    it('redeems and earns like any card', async () => {
      expect((await redeem('offer', 70)).body).toMatchObject({ status: 'approved', debited: 70, balanceAfter: 730 });
      expect((await earn('offer', 300)).body).toMatchObject({ status: 'accepted', queued: false });
      // 800 − 70 + floor(300 × 0.1)
      expect(await e.balanceOf('offer')).toBe(760);
    });
  });

  describe('slow (the host answers after 15 s)', () => {
    it('gets timeout or unavailable within timeoutMs, and nothing is applied twice', async () => {
      const t0 = Date.now();
      const a = await e.swiped('slow', 'POST', '/v1/redemptions', { reference: 'r-slow', points: 100, timeoutMs: 4000 });
      expect(['timeout', 'unavailable']).toContain(a.body.status);
      expect(Date.now() - t0).toBeLessThan(4000 + 3000); // the deadline, plus the swipe's own time on the line
      expect((await e.entriesOf('slow')).filter((x) => x.kind === 'burn')).toHaveLength(0);
      const earned = await earn('slow', 1000);
      expect(earned.body).toMatchObject({ status: 'accepted', queued: true });
    });
  });

  describe('host-error (the host answers 500)', () => {
    it('is unavailable for burns; earnings are accepted and wait in the queue', async () => {
      expect((await redeem('host-error', 100)).body).toMatchObject({ status: 'unavailable' });
      expect((await e.swiped('host-error', 'GET', '/v1/balance')).body).toMatchObject({ status: 'unavailable' });
      const earned = await earn('host-error', 1000);
      expect(earned.body).toMatchObject({ status: 'accepted', queued: true });
      expect((await e.entriesOf('host-error')).length).toBe(0);
    });
  });

  describe('commit-then-drop (the host applies the burn, then drops the connection)', () => {
    it('tells the POS the burn did not go through, and the reversal nets the ledger to zero', async () => {
      const a = await redeem('commit-then-drop', 100);
      expect(a.body).toMatchObject({ status: 'unavailable', reason: 'no-answer-reversed', debited: 0 });
      await eventually('the reversal to reach the host', async () => {
        const kinds = (await e.entriesOf('commit-then-drop')).map((x) => x.kind);
        return kinds.includes('reversal');
      });
      const entries = await e.entriesOf('commit-then-drop');
      expect(entries.map((x) => [x.kind, x.points])).toEqual([
        ['burn', -100],
        ['reversal', 100],
      ]);
      expect(await e.balanceOf('commit-then-drop')).toBe(1000);
    });

    it('an earning whose answer is dropped is resent with the same id and credited once', async () => {
      const a = await earn('commit-then-drop', 1000);
      expect(a.body.status).toBe('accepted');
      await eventually('the earning to be confirmed', async () => {
        const q = await e.agent('GET', '/v1/queue?state=done');
        return JSON.stringify(q.body).includes(String(a.body.transactionId));
      });
      const credits = (await e.entriesOf('commit-then-drop')).filter((x) => x.transactionId === a.body.transactionId);
      expect(credits).toHaveLength(1);
      expect(await e.balanceOf('commit-then-drop')).toBe(1100);
    });
  });

  // e2eStackPerTest scans every test's logs and answers for card numbers after the test; this one makes sure the scan has lines to read.
  it('never shows a card number: the log lines and answers of a redemption, an earning, a balance and a checkout are PAN-free', async () => {
    expect((await redeem('happy', 10)).body).toMatchObject({ status: 'approved' });
    expect((await earn('offer', 100)).body).toMatchObject({ status: 'accepted' });
    expect((await e.swiped('empty', 'GET', '/v1/balance')).body).toMatchObject({ status: 'ok' });
    expect((await e.swiped('unknown', 'POST', '/v1/checkout', { reference: 'c-pan', amount: 1000, redeemPoints: 10 })).body).toMatchObject({ redemption: { status: 'declined' } });
    expect(e.answers).toHaveLength(4);
    expect(e.stack.agent.stdout.length).toBeGreaterThan(4);
    expect(e.panLeaks()).toEqual([]);
  });
});
