/**
 * The loyalty host's error catalog: the seed's own codes (messages verbatim
 * from seeds/loyalty-api.txt) plus the project's `L` codes.
 *
 * The `L` codes are project extensions: the seed has no code for a business
 * decline, so the host borrows the ISO 8583 DE39 numbers (DESIGN.md, "Loyalty
 * host: ISO 8583") with an `L` prefix, keeping both transports in step:
 * L14 ↔ DE39 14, L51 ↔ 51, L54 ↔ 54, L25 ↔ 25, L94 ↔ 94, L96 ↔ 96. L30 has no DE39
 * twin (it mirrors DE39 30, "format error", for a bad rewardTrxId).
 * The returns and voids extension (README "Returns and voids") adds
 * L13 ↔ DE39 13 (invalid amount: a reversal or refund over what the original
 * has left) and L58 ↔ DE39 58 (not permitted to this terminal: the merchant,
 * terminal or, over ISO 8583, the card is not the original's).
 */

/** One catalog entry: the HTTP status the host answers with and the message. */
export interface CatalogEntry {
  status: number;
  message: string;
}

const seedE = (status: number, message: string): CatalogEntry => ({ status, message });

/** Every code the host can put in an error body, with its HTTP status and message. */
export const ERROR_CATALOG = {
  // Seed business codes.
  '2020': seedE(409, 'Duplicate Account Not Allowed'),
  '1013': seedE(400, 'Account Creation Error [UMI Format]'),
  '10002': seedE(400, 'null'),
  // Seed E-codes, messages verbatim.
  E10: seedE(400, 'The service field tag has not been populated. Please ask Interswitch Support for more help.'),
  E11: seedE(400, 'This requests expects a transactionType field to be set and it is not. Please ask Interswitch Support for more help.'),
  E12: seedE(401, 'SecurityToken header is missing'),
  E13: seedE(401, 'Username or password is wrong.'),
  E14: seedE(415, 'Missing content type header.'),
  E15: seedE(400, 'The transaction you are trying to do is not supported.'),
  E16: seedE(404, 'The service you have specified is not available.'),
  E17: seedE(404, 'The service provider you have specified has not been set up on the platform.'),
  E18: seedE(503, 'The service is unreachable at the moment.'),
  E19: seedE(502, 'A bad response was received from service provider.'),
  E20: seedE(504, 'Your request has timed out.'),
  E21: seedE(500, 'An unknown error has occurred. Please ask Interswitch Support for more help.'),
  E22: seedE(401, 'Access key has not been supplied. Ensure the Authorization header has been set appropriately'),
  E23: seedE(401, 'Nonce has not been supplied. Ensure the Nonce header has been set appropriately.'),
  E24: seedE(401, 'Please synchronize your time with the server and ensure your time is not outside of 30mins of the Server local time. The standard time zone used is GMT'),
  E25: seedE(401, 'Nonce has already been used'),
  E26: seedE(401, 'Signature failed for this request. Please ask Interswitch Support for more help.'),
  E27: seedE(401, 'An unknown error occured during Authentication. Please ask Interswitch Support for more help.'),
  E28: seedE(403, 'Your credentials do not have access to this resource'),
  E29: seedE(401, 'Timestamp is missing in your header.'),
  E30: seedE(401, 'SecurityToken header is bad.'),
  E31: seedE(400, 'XML data is badly formatted'),
  E32: seedE(400, 'JSON data is badly formatted'),
  E33: seedE(500, 'Keystore is not accessible. Contact Interswitch.'),
  E34: seedE(503, 'The system is busy at the moment, please try again later.'),
  E35: seedE(502, 'Bad request to service provider. Contact Interswitch.'),
  E36: seedE(502, 'Bad request to service processor. Contact Interswitch.'),
  E37: seedE(400, 'Bad request from client. Kindly check your message.'),
  E38: seedE(502, 'Bad response from service provider. Contact Interswitch.'),
  E39: seedE(502, 'Bad response from service processor. Contact Interswitch.'),
  E40: seedE(500, 'Bad response to client. Contact Interswitch.'),
  E41: seedE(400, 'Bad request from client. Kindly check your message.'),
  // Project extensions (see the file comment).
  L13: seedE(422, 'Amount exceeds what the original transaction has left to reverse or refund'),
  L14: seedE(404, 'Unknown card: the identifier is not enrolled'),
  L25: seedE(404, 'Original transaction not found'),
  L30: seedE(422, 'rewardTrxId is unknown, expired, or not bound to this card, merchant and terminal'),
  L51: seedE(422, 'Insufficient points'),
  L54: seedE(422, 'Expired card'),
  L58: seedE(403, 'Not permitted: the merchant, terminal or card is not the original transaction\'s'),
  L94: seedE(409, 'Original transaction was reversed before it arrived: refused'),
  L96: seedE(500, 'System error'),
} as const satisfies Record<string, CatalogEntry>;

/** A code from {@link ERROR_CATALOG}. */
export type LoyaltyErrorCode = keyof typeof ERROR_CATALOG;

/** True when `code` is in the catalog. */
export function isLoyaltyErrorCode(code: string): code is LoyaltyErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CATALOG, code);
}

/** The HTTP status the host answers `code` with. */
export function statusOf(code: LoyaltyErrorCode): number {
  return ERROR_CATALOG[code].status;
}
