import { PosError } from '../errors.js';
import { luhnValid } from '../luhn.js';

/** What the seed's `PAN` field holds: a card PAN (expiry present), an email, a mobile number or a referral id. */
export type IdentifierKind = 'card' | 'email' | 'mobile' | 'referral';

export type IdentifierErrorCode =
  | 'IDENT_ERR_EMPTY'
  | 'IDENT_ERR_CARD_FORMAT'
  | 'IDENT_ERR_CARD_LUHN'
  | 'IDENT_ERR_EXPIRY_FORMAT'
  | 'IDENT_ERR_UNRECOGNISED';

/** A bad identifier. The host answers every one of these with seed code 1013. Messages never echo the input. */
export class IdentifierError extends PosError<IdentifierErrorCode> {
  /** The seed code the host answers with. */
  readonly hostCode = '1013' as const;
}

const CARD_RE = /^[0-9]{12,19}$/;
const YYMM_RE = /^[0-9]{2}(0[1-9]|1[0-2])$/;
/** local@domain.tld: no spaces, one `@`, a dot in the domain, 254 characters at most. */
const EMAIL_RE = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;
/** Optional `+`, then 10 to 15 digits (E.164 allows 15; 10 covers national numbers such as 08030000066). */
const MOBILE_RE = /^\+?[0-9]{10,15}$/;
/** `REF-` then 6 to 12 ASCII letters or digits, e.g. `REF-AB12CD34`. */
const REFERRAL_RE = /^REF-[A-Za-z0-9]{6,12}$/;

/**
 * Tells what kind of identifier the seed's `PAN` field holds and checks it.
 *
 * Rules, first match wins:
 * 1. `expiry` present (not undefined, not empty) → **card**: `pan` must be
 *    12–19 digits passing Luhn, `expiry` 4 digits YYMM with month 01–12.
 *    (Whether the card has expired is the host's business, not this check's.)
 * 2. contains `@` → **email**: `local@domain.tld`, no whitespace, local part
 *    1–64 characters, at least one dot in the domain, 254 characters at most.
 * 3. starts with `REF-` → **referral**: `REF-` + 6–12 ASCII letters/digits.
 * 4. otherwise → **mobile**: optional `+`, then 10–15 digits, nothing else.
 *
 * @throws IdentifierError (the host answers 1013) when the value fits no rule.
 */
export function classifyIdentifier(pan: string, expiry?: string): IdentifierKind {
  if (pan.length === 0) throw new IdentifierError('IDENT_ERR_EMPTY', 'identifier is empty; expected a card PAN, email, mobile number or referral id');
  if (expiry !== undefined && expiry !== '') {
    if (!CARD_RE.test(pan)) throw new IdentifierError('IDENT_ERR_CARD_FORMAT', `card PAN must be 12 to 19 digits (got ${pan.length} characters)`);
    if (!luhnValid(pan)) throw new IdentifierError('IDENT_ERR_CARD_LUHN', 'card PAN fails the Luhn check');
    if (!YYMM_RE.test(expiry)) throw new IdentifierError('IDENT_ERR_EXPIRY_FORMAT', 'expiryDate must be YYMM with month 01-12');
    return 'card';
  }
  if (pan.includes('@')) {
    if (pan.length <= 254 && EMAIL_RE.test(pan)) return 'email';
    throw new IdentifierError('IDENT_ERR_UNRECOGNISED', 'email identifier is malformed; expected local@domain.tld');
  }
  if (pan.startsWith('REF-')) {
    if (REFERRAL_RE.test(pan)) return 'referral';
    throw new IdentifierError('IDENT_ERR_UNRECOGNISED', 'referral identifier must be REF- followed by 6 to 12 letters or digits');
  }
  if (MOBILE_RE.test(pan)) return 'mobile';
  throw new IdentifierError(
    'IDENT_ERR_UNRECOGNISED',
    'identifier is not a mobile number (+ and 10-15 digits); a card PAN needs expiryDate, an email needs @, a referral id starts with REF-',
  );
}
