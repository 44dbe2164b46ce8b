import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  earnedKept,
  earnedToTakeBack,
  isFinalShare,
  offerShare,
  redeemedToGiveBack,
  returnShare,
  type ReturnShare,
} from '../../../protocol/loyalty/proRata.js';

const share = (saleAmount: number, before: number, amount: number): ReturnShare => {
  const s = returnShare(saleAmount, before, amount);
  if (typeof s === 'string') throw new Error(s);
  return s;
};

describe('pro-rata shares of a return (hand-worked)', () => {
  it('a sale of 1000 that earned 33 points and redeemed 7: return 300, then 300, then 400', () => {
    // Exact shares: 33·0.3 = 9.9 → 9 taken back; 7·0.3 = 2.1 → 3 given back.
    const a = share(1000, 0, 300);
    expect([earnedToTakeBack(33, a), redeemedToGiveBack(7, a)]).toEqual([9, 3]);
    // Cumulative 600: 33·0.6 = 19.8 → 19 in all, so 10 now; 7·0.6 = 4.2 → 5 in all, so 2 now.
    const b = share(1000, 300, 300);
    expect([earnedToTakeBack(33, b), redeemedToGiveBack(7, b)]).toEqual([10, 2]);
    // The rest: exactly what is left, 33 − 19 = 14 and 7 − 5 = 2.
    const c = share(1000, 600, 400);
    expect([earnedToTakeBack(33, c), redeemedToGiveBack(7, c), isFinalShare(c)]).toEqual([14, 2, true]);
    expect(earnedKept(33, b)).toBe(14);
    expect(earnedKept(33, c)).toBe(0);
  });

  it('refuses a return that would exceed the sale, a sale fully returned, and a zero amount', () => {
    expect(returnShare(1000, 600, 401)).toBe('exceeds-sale');
    expect(returnShare(1000, 1000, 1)).toBe('sale-fully-returned');
    expect(returnShare(1000, 0, 0)).toBe('amount-not-positive');
    expect(returnShare(1000, 600, 400)).toEqual({ saleAmount: 1000, before: 600, upTo: 1000 });
  });

  it('an offer with min spend 500 on a sale of 1000 and a benefit of 100', () => {
    const offer = { benefit: 100, minSpend: 500 };
    // 1000 → 700 kept: above the minimum, 30 of the benefit taken back by the POS.
    expect(offerShare(offer, share(1000, 0, 300))).toEqual({ reverse: false, alreadyReversed: false, clawBack: 30 });
    // 700 → 400 kept: below the minimum, the redemption is undone; 100 − 30 taken back now.
    expect(offerShare(offer, share(1000, 300, 300))).toEqual({ reverse: true, alreadyReversed: false, clawBack: 70 });
    // Already undone: nothing more.
    expect(offerShare(offer, share(1000, 600, 100))).toEqual({ reverse: false, alreadyReversed: true, clawBack: 0 });
    // No minimum: undone only when nothing is kept.
    expect(offerShare({ benefit: 100, minSpend: 0 }, share(1000, 0, 1000))).toEqual({ reverse: true, alreadyReversed: false, clawBack: 100 });
  });

  it('does not lose precision on large sales', () => {
    const s = share(2 ** 40, 0, 2 ** 39);
    expect(earnedToTakeBack(2 ** 30 + 1, s)).toBe(2 ** 29);
    expect(redeemedToGiveBack(2 ** 30 + 1, s)).toBe(2 ** 29 + 1);
  });
});

describe('pro-rata shares (property)', () => {
  const saleArb = fc
    .record({
      saleAmount: fc.integer({ min: 1, max: 1_000_000 }),
      earned: fc.integer({ min: 0, max: 100_000 }),
      redeemed: fc.integer({ min: 0, max: 100_000 }),
      cuts: fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
    });

  it('for any sale and any sequence of returns: taken back ≤ earned, given back ≤ redeemed, within one point of exact, in the customer’s favour', () => {
    fc.assert(
      fc.property(saleArb, ({ saleAmount, earned, redeemed, cuts }) => {
        let before = 0;
        let taken = 0;
        let given = 0;
        for (const cut of cuts) {
          const s = returnShare(saleAmount, before, cut);
          if (typeof s === 'string') {
            // Refused: over the sale, or nothing left. A refusal changes nothing.
            expect(before + cut > saleAmount || before >= saleAmount).toBe(true);
            continue;
          }
          const take = earnedToTakeBack(earned, s);
          const give = redeemedToGiveBack(redeemed, s);
          expect(take).toBeGreaterThanOrEqual(0);
          expect(give).toBeGreaterThanOrEqual(0);
          taken += take;
          given += give;
          before = s.upTo;
          // Exact shares, compared without division: taken·sale ≤ earned·upTo < (taken + 1)·sale.
          const exactTake = BigInt(earned) * BigInt(before);
          const exactGive = BigInt(redeemed) * BigInt(before);
          const sale = BigInt(saleAmount);
          expect(BigInt(taken) * sale <= exactTake).toBe(true);
          expect(exactTake < BigInt(taken + 1) * sale).toBe(true);
          expect(BigInt(given) * sale >= exactGive).toBe(true);
          expect(BigInt(given - 1) * sale < exactGive).toBe(true);
          expect(taken).toBeLessThanOrEqual(earned);
          expect(given).toBeLessThanOrEqual(redeemed);
          expect(earned - earnedKept(earned, s)).toBe(taken);
        }
        if (before === saleAmount) {
          expect(taken).toBe(earned);
          expect(given).toBe(redeemed);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('an offer is undone at most once, and the customer never pays a benefit back twice', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom('discount' as const, 'cashback' as const),
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 10 }),
        (saleAmount, benefit, minSpend, type, cuts) => {
          let before = 0;
          let clawed = 0;
          let reversals = 0;
          for (const cut of cuts) {
            const s = returnShare(saleAmount, before, cut);
            if (typeof s === 'string') continue;
            const o = offerShare({ benefit, minSpend, type }, s);
            clawed += o.clawBack;
            if (o.reverse) reversals++;
            before = s.upTo;
            // What the customer has paid back so far, the POS's and the host's together, stays within the benefit.
            expect(clawed + (reversals > 0 && type === 'cashback' ? benefit : 0)).toBeLessThanOrEqual(benefit);
            expect(clawed).toBeGreaterThanOrEqual(type === 'cashback' && reversals > 0 ? -benefit : 0);
          }
          expect(reversals).toBeLessThanOrEqual(1);
          if (before === saleAmount) {
            expect(reversals).toBe(saleAmount < minSpend ? 0 : 1);
            // All returned: a discount is taken back whole by the POS; a cashback whole by the host, nothing by the POS.
            expect(clawed).toBe(saleAmount < minSpend || type === 'cashback' ? 0 : benefit);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a cashback undone by the host: the POS gives back what earlier returns took', () => {
    const offer = { benefit: 100, minSpend: 500, type: 'cashback' as const };
    expect(offerShare(offer, share(1000, 0, 300))).toEqual({ reverse: false, alreadyReversed: false, clawBack: 30 });
    expect(offerShare(offer, share(1000, 300, 300))).toEqual({ reverse: true, alreadyReversed: false, clawBack: -30 });
  });
});
