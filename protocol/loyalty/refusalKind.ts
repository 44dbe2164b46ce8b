/**
 * Every kind of answer by which the loyalty host refuses or fails a request,
 * on any of its APIs (loyalty REST, Pay with Points, ISO 8583). Wire codes
 * become one of these once, at the boundary ({@link refusalOfRestCode},
 * {@link refusalOfDe39} in `refusalTable.ts`), and callers switch on the
 * kind, never on a raw code. The codes of each kind are in that table and in
 * protocol/README.md ("Refusal kinds").
 *
 * Loyalty refusals:
 * - `unknown-card`: the identifier is not enrolled;
 * - `expired-card`: the card's expiry has passed (or differs from the host's);
 * - `insufficient-points`: the accounts do not hold the debit;
 * - `stale-balance-enquiry`: the burn's rewardTrxId is unknown, expired, or bound to another card, merchant or terminal;
 * - `invalid-identifier`: the PAN field holds no valid card, email, mobile number or referral id;
 * - `duplicate`: our own transactionId again, with a different request;
 * - `original-not-found`: a reversal, refund or earn reversal whose original the host has not seen;
 * - `late-original-refused`: an original that arrived after its reversal (the host refuses it for good);
 * - `over-reversal`: a reversal or refund of more than the original has left;
 * - `wrong-terminal`: not the original's merchant, terminal or card.
 *
 * Offer (Pay with Points) refusals, kept apart from the loyalty ones: the
 * agent's card memory and its POS reasons come from the loyalty host alone.
 * - `offer-not-found`: no such card-offer link or redemption;
 * - `offer-card-expired`: the offer service refused the card as expired;
 * - `offer-unavailable`: the offer is not live at this merchant or today;
 * - `below-minimum-spend`: the amount is under the offer's minimum spend;
 * - `offer-limit-reached`: the offer's activation limit is used up;
 * - `already-reversed`: the redemption was reversed already, by another transactionId.
 *
 * The request, the door and the host itself:
 * - `bad-request`: a REST request the host cannot read (missing field, bad JSON, wrong content type, unknown service);
 * - `format-error`: ISO 8583 DE39 30, a request the host cannot act on; this host also answers it for a
 *   stale rewardTrxId (its L30), so a burn answered 30 may be a `stale-balance-enquiry`;
 * - `not-authorized`: the token, nonce, timestamp or signature was refused;
 * - `host-busy`: the host asks to be tried again later (busy, unreachable);
 * - `system-error`: the host or a gateway behind it failed;
 * - `other`: a code outside every table (the raw code stays in `HostError.hostCode`).
 */
export const REFUSAL_KINDS = [
  'unknown-card',
  'expired-card',
  'insufficient-points',
  'stale-balance-enquiry',
  'invalid-identifier',
  'duplicate',
  'original-not-found',
  'late-original-refused',
  'over-reversal',
  'wrong-terminal',
  'offer-not-found',
  'offer-card-expired',
  'offer-unavailable',
  'below-minimum-spend',
  'offer-limit-reached',
  'already-reversed',
  'bad-request',
  'format-error',
  'not-authorized',
  'host-busy',
  'system-error',
  'other',
] as const;

/** One of {@link REFUSAL_KINDS}. */
export type RefusalKind = (typeof REFUSAL_KINDS)[number];

const KINDS: ReadonlySet<string> = new Set(REFUSAL_KINDS);

/** True for a member of {@link REFUSAL_KINDS}. */
export function isRefusalKind(value: unknown): value is RefusalKind {
  return typeof value === 'string' && KINDS.has(value);
}

/** The refusals of the card itself (unknown, expired): what the offline stand-in remembers and declines for, offline as online. */
export type CardRefusal = Extract<RefusalKind, 'unknown-card' | 'expired-card'>;

/** A stored reason that is a refusal of the card itself (a value of the closed set, not a prefix). */
export function isCardRefusal(reason: string | null | undefined): reason is CardRefusal {
  return reason === 'unknown-card' || reason === 'expired-card';
}
