import { describe, expect, it } from 'vitest';
import { computeBenefit, type OfferTerms } from '../../../protocol/offers/index.js';

const pct = (value: number, min_spend?: number): OfferTerms => ({ type: 'discount', value, value_type: 'percent', min_spend });
const amt = (value: number, min_spend?: number): OfferTerms => ({ type: 'cashback', value, value_type: 'amount', min_spend });

describe('computeBenefit', () => {
  // Expected values worked by hand.
  it.each([
    { name: '10% of 1000', offer: pct(10), amount: 1000, benefit: 100 },
    { name: '10% of 1999 rounds down', offer: pct(10), amount: 1999, benefit: 199 },
    { name: '15% of 333 = 49.95 rounds down', offer: pct(15), amount: 333, benefit: 49 },
    { name: '10% of 9 rounds to 0', offer: pct(10), amount: 9, benefit: 0 },
    { name: '100% of 250', offer: pct(100), amount: 250, benefit: 250 },
    { name: 'percent at exactly min spend', offer: pct(10, 500), amount: 500, benefit: 50 },
    { name: 'percent one below min spend', offer: pct(10, 500), amount: 499, benefit: 0 },
    { name: 'fixed 300 on 1000', offer: amt(300), amount: 1000, benefit: 300 },
    { name: 'fixed 300 capped at 120', offer: amt(300), amount: 120, benefit: 120 },
    { name: 'fixed below min spend', offer: amt(300, 2000), amount: 1999, benefit: 0 },
    { name: 'zero amount', offer: amt(300), amount: 0, benefit: 0 },
    { name: 'large amount exact', offer: pct(7), amount: 123_456_789_01, benefit: 864_197_523 },
  ])('$name', ({ offer, amount, benefit }) => {
    expect(computeBenefit(offer, amount)).toBe(benefit);
  });
});
