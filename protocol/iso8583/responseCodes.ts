/**
 * DE39 response codes of the loyalty profile (DESIGN.md, Loyalty host: ISO
 * 8583), plus `30` (format error, ISO 8583:1987) for a request the host
 * cannot act on: a field the flow needs is missing or malformed, or the
 * burn's rewardTrxId (DE48) is unknown, expired or bound elsewhere (the
 * host's L30).
 */
export const DE39 = {
  approved: '00',
  unknownCard: '14',
  originalNotFound: '25',
  formatError: '30',
  insufficientPoints: '51',
  expiredCard: '54',
  duplicate: '94',
  systemError: '96',
} as const;

export type ResponseCode = (typeof DE39)[keyof typeof DE39];

/** What each code means, for logs and error messages. */
export const RESPONSE_CODE_TEXT: Readonly<Record<ResponseCode, string>> = {
  '00': 'approved',
  '14': 'unknown card',
  '25': 'original not found',
  '30': 'format error',
  '51': 'insufficient points',
  '54': 'expired card',
  '94': 'duplicate',
  '96': 'system error',
};

/** True for a code in the table above. */
export function isResponseCode(code: string): code is ResponseCode {
  return Object.prototype.hasOwnProperty.call(RESPONSE_CODE_TEXT, code);
}
