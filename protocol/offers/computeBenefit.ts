import type { OfferTerms } from './offerContract.js';

/**
 * The discount or cashback an offer grants on a purchase of `amount` minor
 * units, in minor units.
 *
 * - Below `min_spend` (when set) the benefit is 0.
 * - `percent`: `floor(amount * value / 100)`. Rounding is always down, in the
 *   merchant's favour, to whole minor units: 10% of 1999 is 199, not 199.9 or 200.
 *   The arithmetic is exact for integer amounts up to 2^53 / 100.
 * - `amount`: `min(value, amount)`: a fixed benefit never exceeds the purchase.
 *
 * Both inputs are trusted to be validated integers (the boundary schemas do
 * that); a negative or zero amount gives 0.
 */
export function computeBenefit(offer: OfferTerms, amount: number): number {
  if (amount <= 0) return 0;
  if (offer.min_spend !== undefined && amount < offer.min_spend) return 0;
  if (offer.value_type === 'percent') return Math.floor((amount * offer.value) / 100);
  return Math.min(offer.value, amount);
}
