import { Iso8583Error } from './iso8583Error.js';

/**
 * One DE54 (Additional Amounts) entry, ISO 8583:1987 layout, 20 characters:
 * account type (2 n) · amount type (2 n) · currency (3 n) · sign `C`/`D` (1)
 * · amount (12 n). DE54 is `an` LLLVAR 120, so at most 6 entries.
 *
 * The loyalty profile puts the loyalty accountId (2 digits, e.g. `12`) in
 * the account type position, uses amount type `02` (available balance),
 * currency `999` (ISO 4217: no currency, i.e. points) and sign `C` for a
 * balance in the customer's favour, `D` for a negative one.
 */
export interface AdditionalAmount {
  /** 2 digits. */
  accountType: string;
  /** 2 digits: `01` ledger balance, `02` available balance. */
  amountType: string;
  /** 3 digits, ISO 4217 numeric. */
  currency: string;
  /** Signed integer, minor units or points; |amount| < 10^12. */
  amount: number;
}

const ENTRY = 20;
const MAX_ENTRIES = 6;
const AMOUNT_MAX = 999_999_999_999;

function profileError(what: string): never {
  throw new Iso8583Error('ISO_ERR_PROFILE', `field 54 (Additional Amounts): ${what}`, { field: 54 });
}

const digits = (s: string, n: number) => s.length === n && /^[0-9]+$/.test(s);

/** Encodes entries into a DE54 value. Throws ISO_ERR_PROFILE on a malformed entry. */
export function encodeAdditionalAmounts(entries: readonly AdditionalAmount[]): string {
  if (entries.length > MAX_ENTRIES) profileError(`at most ${MAX_ENTRIES} entries, got ${entries.length}`);
  let out = '';
  for (const e of entries) {
    if (!digits(e.accountType, 2)) profileError('account type must be 2 digits');
    if (!digits(e.amountType, 2)) profileError('amount type must be 2 digits');
    if (!digits(e.currency, 3)) profileError('currency must be 3 digits');
    if (!Number.isSafeInteger(e.amount) || Math.abs(e.amount) > AMOUNT_MAX) profileError('amount must be an integer under 10^12');
    out += e.accountType + e.amountType + e.currency + (e.amount < 0 ? 'D' : 'C') + String(Math.abs(e.amount)).padStart(12, '0');
  }
  return out;
}

/** Parses a DE54 value. Throws ISO_ERR_PROFILE unless it is whole 20-character entries. */
export function decodeAdditionalAmounts(value: string): AdditionalAmount[] {
  if (value.length % ENTRY !== 0) profileError(`length must be a multiple of ${ENTRY}`);
  const out: AdditionalAmount[] = [];
  for (let i = 0; i < value.length; i += ENTRY) {
    const e = value.slice(i, i + ENTRY);
    const sign = e[7];
    const amount = e.slice(8);
    if (!/^[0-9]{7}$/.test(e.slice(0, 7)) || (sign !== 'C' && sign !== 'D') || !digits(amount, 12)) {
      profileError(`entry ${i / ENTRY + 1} is not accountType(2) amountType(2) currency(3) C/D amount(12)`);
    }
    const n = Number(amount);
    out.push({ accountType: e.slice(0, 2), amountType: e.slice(2, 4), currency: e.slice(4, 7), amount: sign === 'D' && n !== 0 ? -n : n });
  }
  return out;
}
