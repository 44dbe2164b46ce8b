/**
 * Pay with Points programme-side contract (seeds/pay-with-points.txt,
 * DESIGN.md "Pay with Points"). Bodies are snake_case. Amounts and
 * `min_spend` are integers in minor units; dates are `YYYY-MM-DD` (UTC).
 */

export type OfferType = 'discount' | 'cashback';
export type OfferValueType = 'percent' | 'amount';

/** The terms that decide an offer's benefit. */
export interface OfferTerms {
  type: OfferType;
  /** Percent: an integer 1–100. Amount: an integer in minor units, at least 1. */
  value: number;
  value_type: OfferValueType;
  /** Minimum purchase amount in minor units; below it the benefit is 0. Default: none (0). */
  min_spend?: number;
}

/** The offer details of `POST /offers`. */
export interface OfferSpec extends OfferTerms {
  /** The text the POS displays. */
  name: string;
  description: string[];
  /** First day the offer is live, `YYYY-MM-DD` (UTC), inclusive. Default: live at once. */
  start_date?: string;
  /** Last day the offer is live, `YYYY-MM-DD` (UTC), inclusive. Default: never ends. */
  end_date?: string;
  /** Redemptions allowed per card link (card offer). Default: unlimited. */
  activation_limit?: number;
}

/** `POST /offers` request. */
export interface CreateOfferRequest {
  /** The merchant as Pay with Points knows it (e.g. BP is `58725`). Numbers are accepted and kept as text. */
  merchant_id: string;
  offer: OfferSpec;
}
/** `POST /offers` answer, 201. */
export interface CreateOfferResponse {
  offer_id: string;
}

/** `POST /persons` request. */
export interface CreatePersonRequest {
  first_name: string;
  last_name: string;
  email: string;
}
/** `POST /persons` answer, 201. */
export interface CreatePersonResponse {
  person_id: string;
}

/** `POST /cards` request. The host keeps a keyed fingerprint and the last 4 digits only. */
export interface CreateCardRequest {
  person_id: string;
  pan: string;
  /** 1–12. */
  exp_month: number;
  /** Four digits (2031), or two (31, read as 2031). */
  exp_year: number;
}
/** `POST /cards` answer, 201. */
export interface CreateCardResponse {
  card_id: string;
  last4: string;
}

/** `POST /cards/:id/offers` request. */
export interface LinkCardOfferRequest {
  offer_id: string;
}
/** `POST /cards/:id/offers` answer, 201. Linking the same pair again gets 409 / 2020. */
export interface LinkCardOfferResponse {
  card_offer_id: string;
}
