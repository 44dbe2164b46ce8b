import { isExpired, PanError, parsePan, parseYymm, type Pan, type Yymm } from '../../../protocol/index.js';
import type { RefusalKind } from '../../../protocol/loyalty/index.js';
import { offersRefusal } from './offersRefusal.js';

/**
 * Checks a PAN (digits, Luhn) and a YYMM expiry at the boundary. A bad PAN or
 * expiry format is `invalid-identifier` (400 / 1013); a past expiry is
 * `expired` (`invalid-identifier` when a card is being registered,
 * `offer-card-expired`, 422 / P54, at the terminal). Messages never carry the PAN.
 */
export function checkCard(
  pan: string,
  expiry: string,
  now: Date,
  expired: Extract<RefusalKind, 'invalid-identifier' | 'offer-card-expired'>,
): { pan: Pan; expiry: Yymm } {
  let p: Pan;
  let e: Yymm;
  try {
    p = parsePan(pan);
    e = parseYymm(expiry);
  } catch (err) {
    if (err instanceof PanError) throw offersRefusal('invalid-identifier', err.message, { cause: err });
    throw err;
  }
  if (isExpired(e, now)) {
    throw offersRefusal(expired, expired === 'offer-card-expired' ? 'Expired card' : 'card expiry is in the past');
  }
  return { pan: p, expiry: e };
}
