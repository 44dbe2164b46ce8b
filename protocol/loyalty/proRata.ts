/**
 * Pro-rata shares of a sale for returns (README "Returns and voids"). Pure.
 *
 * A sale of `saleAmount` minor units earned E points, redeemed B points and
 * may have had an offer benefit. A return of goods worth `amount`, after
 * earlier returns worth `before`, undoes the share of each that the returned
 * goods carried. Shares are cumulative, so rounding never piles up over many
 * returns: after the returns so far (`upTo = before + amount`),
 * - points taken back in total are ⌊E·upTo/saleAmount⌋ (down: the customer keeps the fraction);
 * - points given back in total are ⌈B·upTo/saleAmount⌉ (up: the customer gets the fraction);
 * - an offer's benefit clawed back in total is ⌊benefit·upTo/saleAmount⌋ (down).
 * Each return undoes its cumulative total minus the one before it. So the
 * customer is never worse off than the exact share, by less than one point,
 * and once every unit is returned each total is exactly E, B or the benefit.
 */

/** How much of a sale the returns cover: `before` (earlier returns) and `upTo` (with this one), of `saleAmount`. */
export interface ReturnShare {
  saleAmount: number;
  before: number;
  upTo: number;
}

/** What the share of a sale is refused for. */
export type ShareProblem = 'amount-not-positive' | 'exceeds-sale' | 'sale-fully-returned';

/**
 * The share a return of `amount` covers, or why it is refused: nothing is
 * left (`sale-fully-returned`), or it would take the returns over the sale
 * (`exceeds-sale`).
 */
export function returnShare(saleAmount: number, before: number, amount: number): ReturnShare | ShareProblem {
  if (before >= saleAmount) return 'sale-fully-returned';
  if (!Number.isSafeInteger(amount) || amount < 1) return 'amount-not-positive';
  if (before + amount > saleAmount) return 'exceeds-sale';
  return { saleAmount, before, upTo: before + amount };
}

/** True when this return leaves nothing of the sale. */
export function isFinalShare(s: ReturnShare): boolean {
  return s.upTo >= s.saleAmount;
}

/** Points of an earn of `earned` points to take back for this share (rounded down, cumulatively). */
export function earnedToTakeBack(earned: number, s: ReturnShare): number {
  return floorShare(earned, s.upTo, s.saleAmount) - floorShare(earned, s.before, s.saleAmount);
}

/** Points of a burn of `redeemed` points to give back for this share (rounded up, cumulatively). */
export function redeemedToGiveBack(redeemed: number, s: ReturnShare): number {
  return ceilShare(redeemed, s.upTo, s.saleAmount) - ceilShare(redeemed, s.before, s.saleAmount);
}

/** Points an earn of `earned` points keeps once this share is taken back (ISO 8583 DE95 "points kept"). */
export function earnedKept(earned: number, s: ReturnShare): number {
  return earned - floorShare(earned, s.upTo, s.saleAmount);
}

/**
 * An offer's part in a return. The offer is undone at the host when the
 * goods kept fall below its minimum spend (or nothing is kept). Otherwise the
 * POS takes back (`clawBack`, from the customer's refund) the benefit's share
 * of the returned goods, rounded down. When it is undone:
 * - a discount was given at the till: the POS takes back what of it it has not taken back already;
 * - a cashback is the host's to pay, and the host's reversal takes all of it back: the POS gives back
 *   (a negative `clawBack`) what earlier returns took, so the customer does not pay it twice.
 */
export function offerShare(
  offer: { benefit: number; minSpend: number; type?: 'discount' | 'cashback' },
  s: ReturnShare,
): { reverse: boolean; alreadyReversed: boolean; clawBack: number } {
  const keptBefore = s.saleAmount - s.before;
  const keptAfter = s.saleAmount - s.upTo;
  const takenBefore = floorShare(offer.benefit, s.before, s.saleAmount);
  const belowMin = (kept: number) => kept === 0 || kept < offer.minSpend;
  if (belowMin(keptBefore)) return { reverse: false, alreadyReversed: true, clawBack: 0 };
  if (belowMin(keptAfter)) return { reverse: true, alreadyReversed: false, clawBack: offer.type === 'cashback' ? -takenBefore : offer.benefit - takenBefore };
  return { reverse: false, alreadyReversed: false, clawBack: floorShare(offer.benefit, s.upTo, s.saleAmount) - takenBefore };
}

// BigInt: points × amount can pass 2^53 for large sales.
function floorShare(total: number, part: number, whole: number): number {
  return Number((BigInt(total) * BigInt(part)) / BigInt(whole));
}

function ceilShare(total: number, part: number, whole: number): number {
  const n = BigInt(total) * BigInt(part);
  const w = BigInt(whole);
  return Number((n + w - 1n) / w);
}
