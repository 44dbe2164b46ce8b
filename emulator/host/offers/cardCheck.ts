import { isExpired, PanError, parsePan, parseYymm, type Pan, type Yymm } from '../../../protocol/index.js';
import { OffersError } from '../../../protocol/offers/index.js';

/**
 * Checks a PAN (digits, Luhn) and a YYMM expiry at the boundary. A bad PAN or
 * expiry format is 400 / 1013; a past expiry is `expiredCode` (1013 when a
 * card is being registered, P54 at the terminal). Messages never carry the PAN.
 */
export function checkCard(
  pan: string,
  expiry: string,
  now: Date,
  expiredCode: '1013' | 'P54',
): { pan: Pan; expiry: Yymm } {
  let p: Pan;
  let e: Yymm;
  try {
    p = parsePan(pan);
    e = parseYymm(expiry);
  } catch (err) {
    if (err instanceof PanError) throw new OffersError('1013', err.message, { cause: err });
    throw err;
  }
  if (isExpired(e, now)) {
    throw new OffersError(expiredCode, expiredCode === 'P54' ? 'Expired card' : 'card expiry is in the past');
  }
  return { pan: p, expiry: e };
}
