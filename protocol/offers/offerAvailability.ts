import { computeBenefit } from './computeBenefit.js';
import type { OfferSpec } from './offerContract.js';

/** Why an offer can or cannot be used right now. */
export type OfferAvailability =
  | { ok: true; benefit: number }
  | { ok: false; reason: 'not-started' | 'ended' | 'below-min-spend' | 'limit-reached' };

/** What the decision needs besides the offer. */
export interface AvailabilityInput {
  /** Today as `YYYY-MM-DD` (UTC); see {@link utcDay}. */
  today: string;
  /** Purchase amount, minor units. */
  amount: number;
  /** Redemptions already recorded for this card offer. */
  redemptions: number;
}

/** The UTC calendar day of `at` as `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Decides whether a card offer can be used: `start_date` and `end_date` are
 * inclusive UTC days (string comparison is exact for `YYYY-MM-DD`), the
 * activation limit counts redemptions per card offer, and an offer whose
 * benefit for this amount is 0 (below `min_spend`, or a percent that rounds to
 * nothing) is not usable. Checked in that order.
 */
export function offerAvailability(offer: OfferSpec, input: AvailabilityInput): OfferAvailability {
  if (offer.start_date !== undefined && input.today < offer.start_date) return { ok: false, reason: 'not-started' };
  if (offer.end_date !== undefined && input.today > offer.end_date) return { ok: false, reason: 'ended' };
  if (offer.activation_limit !== undefined && input.redemptions >= offer.activation_limit) {
    return { ok: false, reason: 'limit-reached' };
  }
  const benefit = computeBenefit(offer, input.amount);
  if (benefit <= 0) return { ok: false, reason: 'below-min-spend' };
  return { ok: true, benefit };
}
