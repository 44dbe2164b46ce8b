/**
 * DE39 response codes of the loyalty profile (DESIGN.md, Loyalty host: ISO
 * 8583), plus `30` (format error, ISO 8583:1987) for a request the host
 * cannot act on: a field the flow needs is missing or malformed, or the
 * burn's rewardTrxId (DE48) is unknown, expired or bound elsewhere (the
 * host's L30). Two more serve the returns and voids extension (README
 * "Returns and voids"): `13` (invalid amount, ISO 8583:1987) for a reversal
 * or refund over what the original has left, and `58` (transaction not
 * permitted to terminal) for one sent from another merchant or terminal
 * than its original.
 */
export const DE39 = {
  approved: '00',
  invalidAmount: '13',
  unknownCard: '14',
  originalNotFound: '25',
  formatError: '30',
  insufficientPoints: '51',
  wrongTerminal: '58',
  expiredCard: '54',
  duplicate: '94',
  systemError: '96',
} as const;

/** A DE39 response code the loyalty profile uses (`00`, `51`, `54`, `14`, `94`, `25`, `96`). */
export type ResponseCode = (typeof DE39)[keyof typeof DE39];

/** What each code means, for logs and error messages. */
export const RESPONSE_CODE_TEXT: Readonly<Record<ResponseCode, string>> = {
  '00': 'approved',
  '13': 'invalid amount: more than the original has left',
  '14': 'unknown card',
  '25': 'original not found',
  '30': 'format error',
  '51': 'insufficient points',
  '54': 'expired card',
  '58': 'not permitted to this terminal',
  '94': 'duplicate',
  '96': 'system error',
};

/** True for a code in the table above. */
export function isResponseCode(code: string): code is ResponseCode {
  return Object.prototype.hasOwnProperty.call(RESPONSE_CODE_TEXT, code);
}
