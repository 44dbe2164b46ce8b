import type { OfferType, OfferValueType } from './offerContract.js';

/**
 * Pay with Points terminal-side contract (DESIGN.md "Pay with Points").
 * These bodies are camelCase for the terminal's identity and card, as in the
 * loyalty API, and snake_case for the offer fields. The PAN travels only in
 * the body, never in a URL.
 */

/** `POST /terminal/offers` request: which offers can this card use here, for this amount? */
export interface TerminalOffersRequest {
  merchantId: string;
  terminalId: string;
  pan: string;
  /** YYMM. */
  expiryDate: string;
  /** Purchase amount, integer minor units, at least 1. */
  amount: number;
}

/** One offer the card can use now. */
export interface TerminalOffer {
  card_offer_id: string;
  offer_id: string;
  /** The offer's `name`: the text the POS shows. */
  display_text: string;
  type: OfferType;
  value: number;
  value_type: OfferValueType;
  /** Discount or cashback for this amount, integer minor units (always > 0 in a listing). */
  benefit: number;
  /** The offer's minimum spend, minor units, when it has one: a return that leaves less undoes the redemption. */
  min_spend?: number;
}

/** `POST /terminal/offers` answer, 200. An unknown card gets an empty list. */
export interface TerminalOffersResponse {
  offers: TerminalOffer[];
}

/** `POST /terminal/offers/redeem` request. Idempotent by (merchantId, terminalId, transactionId). */
export interface TerminalRedeemRequest {
  card_offer_id: string;
  merchantId: string;
  terminalId: string;
  /** The terminal's idempotency key, 1–64 characters. */
  transactionId: string;
  amount: number;
  pan: string;
  expiryDate: string;
}

/** `POST /terminal/offers/redeem` answer, 200 (the first time and on every identical replay). */
export interface TerminalRedeemResponse {
  redemption_id: string;
  type: OfferType;
  benefit: number;
}

/**
 * `POST /terminal/offers/redemptions/{redemption_id}/reversal` request (returns and voids, a project extension):
 * undoes a redemption. Idempotent by `transactionId`. No PAN: the redemption names the card. `merchantId` and
 * `terminalId`, when given, must be the redemption's.
 */
export interface TerminalRedemptionReversalRequest {
  transactionId: string;
  merchantId?: string;
  terminalId?: string;
}

/** The reversal's answer, 200 (the first time and on every replay). */
export interface TerminalRedemptionReversalResponse {
  redemption_id: string;
  /** The reversal's transactionId. */
  transactionId: string;
  reversed: true;
  type: OfferType;
  /** The benefit undone, minor units. */
  benefit: number;
}
