/**
 * Error codes the Pay with Points endpoints put in the seed's error body
 * `{"errors":[{code,message}],"error":{code,message}}`.
 *
 * The seed's own codes are used where they apply (1013 format, 2020 duplicate,
 * E14 content type, E32 bad JSON, E37 bad request such
 * as a body over the size limit, E21 unknown error). The seed has no code for
 * an offer decline, so the `P` codes (Pay with Points) borrow ISO 8583 DE39
 * numbers, as the loyalty catalog's `L` codes do:
 * P14 ↔ DE39 14 (unknown card / id), P54 ↔ 54 (expired card),
 * P57 ↔ 57 (not permitted: offer not live here or today),
 * P13 ↔ 13 (invalid amount: below the offer's minimum spend),
 * P65 ↔ 65 (frequency limit: activation limit reached).
 * Returns and voids (project extension): P12 ↔ 12 (invalid transaction: the
 * redemption is already reversed, by another transactionId),
 * P58 ↔ 58 (not permitted to this terminal: not the redemption's merchant or terminal).
 */

/** One catalog entry: the HTTP status and the default message. */
export interface OffersCatalogEntry {
  status: number;
  message: string;
}

export const OFFERS_ERROR_CATALOG = {
  '1013': { status: 400, message: 'Request format error' },
  '2020': { status: 409, message: 'Duplicate not allowed' },
  E14: { status: 415, message: 'Missing content type header.' },
  E32: { status: 400, message: 'JSON data is badly formatted' },
  E37: { status: 400, message: 'Bad request from client. Kindly check your message.' },
  E21: { status: 500, message: 'An unknown error has occurred. Please ask Interswitch Support for more help.' },
  P12: { status: 409, message: 'Redemption was already reversed' },
  P13: { status: 422, message: 'Amount is below the offer minimum spend' },
  P14: { status: 404, message: 'Not found' },
  P54: { status: 422, message: 'Expired card' },
  P58: { status: 403, message: 'Not permitted: merchant or terminal is not the redemption\'s' },
  P57: { status: 422, message: 'Offer is not available at this merchant or on this date' },
  P65: { status: 422, message: 'Offer activation limit reached' },
} as const satisfies Record<string, OffersCatalogEntry>;

/** A code from {@link OFFERS_ERROR_CATALOG}. */
export type OffersWireCode = keyof typeof OFFERS_ERROR_CATALOG;

/** The HTTP status the host answers `code` with. */
export function offersStatusOf(code: OffersWireCode): number {
  return OFFERS_ERROR_CATALOG[code].status;
}
