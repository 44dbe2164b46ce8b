import type { OfferType } from './offerContract.js';

/** The event type sent when a card offer is redeemed. */
export const CARD_OFFER_REDEEMED = 'card_offer.redeemed';

/** `data` of a `card_offer.redeemed` event. Never carries a PAN: `last4` only. */
export interface CardOfferRedeemedData {
  card_offer_id: string;
  offer_id: string;
  redemption_id: string;
  /** The Pay with Points merchant id of the offer (e.g. `58725`). */
  merchant_id: string;
  /** The terminal's id. */
  terminal_id: string;
  /** Purchase amount, minor units. */
  amount: number;
  /** Discount or cashback granted, minor units. */
  benefit: number;
  type: OfferType;
  last4: string;
}

/**
 * A Standard Webhooks payload: `{type, timestamp, data}`, where `timestamp`
 * is the event time as an ISO 8601 string (the `webhook-timestamp` header is
 * the time of each delivery attempt).
 */
export interface CardOfferRedeemedEvent {
  type: typeof CARD_OFFER_REDEEMED;
  timestamp: string;
  data: CardOfferRedeemedData;
}

/** Builds the event. `at` is the redemption time. */
export function cardOfferRedeemedEvent(data: CardOfferRedeemedData, at: Date): CardOfferRedeemedEvent {
  return { type: CARD_OFFER_REDEEMED, timestamp: at.toISOString(), data: { ...data } };
}

/** The event type sent when a redemption is reversed (returns and voids, a project extension). */
export const CARD_OFFER_REDEMPTION_REVERSED = 'card_offer.redemption_reversed';

/** `data` of a `card_offer.redemption_reversed` event: the redemption's data plus the reversal's transactionId. */
export interface CardOfferRedemptionReversedData extends CardOfferRedeemedData {
  reversal_transaction_id: string;
}

export interface CardOfferRedemptionReversedEvent {
  type: typeof CARD_OFFER_REDEMPTION_REVERSED;
  timestamp: string;
  data: CardOfferRedemptionReversedData;
}

/** Builds the event. `at` is the reversal time. */
export function cardOfferRedemptionReversedEvent(data: CardOfferRedemptionReversedData, at: Date): CardOfferRedemptionReversedEvent {
  return { type: CARD_OFFER_REDEMPTION_REVERSED, timestamp: at.toISOString(), data: { ...data } };
}
