import { Iso8583Error } from './iso8583Error.js';

/**
 * DE95 (Replacement Amounts), ISO 8583:1987, 42 characters: actual transaction
 * amount (12 n) · actual settlement amount (12 n) · actual transaction fee
 * (x+n 9: `C`/`D` then 8 digits) · actual settlement fee (x+n 9). A partial
 * reversal (0420) carries in it what the original should come to after the
 * reversal, not what is taken back.
 *
 * The loyalty profile (project extension, README "Returns and voids"): a
 * partial reversal of an earn puts the points the earn keeps (what it
 * credited, net of every reversal including this one) in the actual
 * transaction amount; the settlement amount repeats it; both fees are
 * `C00000000`.
 */
export interface ReplacementAmounts {
  /** Actual transaction amount: points (loyalty profile). */
  transaction: number;
  /** Actual settlement amount. */
  settlement: number;
  /** Actual transaction fee, signed (`C` positive, `D` negative). */
  transactionFee: number;
  /** Actual settlement fee, signed. */
  settlementFee: number;
}

/** DE95, the replacement amounts of a partial reversal. */
export const REPLACEMENT_AMOUNTS_FIELD = 95;
const AMOUNT_MAX = 999_999_999_999;
const FEE_MAX = 99_999_999;

function profileError(what: string): never {
  throw new Iso8583Error('ISO_ERR_PROFILE', `field 95 (Replacement Amounts): ${what}`, { field: REPLACEMENT_AMOUNTS_FIELD });
}

const amount12 = (n: number, what: string): string => {
  if (!Number.isSafeInteger(n) || n < 0 || n > AMOUNT_MAX) profileError(`${what} must be an integer 0-${AMOUNT_MAX}`);
  return String(n).padStart(12, '0');
};

const fee9 = (n: number, what: string): string => {
  if (!Number.isSafeInteger(n) || Math.abs(n) > FEE_MAX) profileError(`${what} must be an integer of at most 8 digits`);
  return (n < 0 ? 'D' : 'C') + String(Math.abs(n)).padStart(8, '0');
};

/** The DE95 of a loyalty partial reversal: `remaining` points kept, settlement the same, no fees. */
export function replacementFor(remaining: number): ReplacementAmounts {
  return { transaction: remaining, settlement: remaining, transactionFee: 0, settlementFee: 0 };
}

/** Encodes DE95 (42 characters). Throws ISO_ERR_PROFILE on an amount out of range. */
export function encodeReplacementAmounts(r: ReplacementAmounts): string {
  return amount12(r.transaction, 'actual transaction amount') + amount12(r.settlement, 'actual settlement amount') +
    fee9(r.transactionFee, 'actual transaction fee') + fee9(r.settlementFee, 'actual settlement fee');
}

/** Parses DE95. Throws ISO_ERR_PROFILE unless it is n12 n12 x+n9 x+n9. */
export function decodeReplacementAmounts(value: string): ReplacementAmounts {
  if (!/^[0-9]{24}[CD][0-9]{8}[CD][0-9]{8}$/.test(value)) {
    profileError('expected actual transaction amount(12) settlement amount(12) C/D fee(8) C/D settlement fee(8)');
  }
  const fee = (at: number): number => {
    const n = Number(value.slice(at + 1, at + 9));
    return value[at] === 'D' && n !== 0 ? -n : n;
  };
  return { transaction: Number(value.slice(0, 12)), settlement: Number(value.slice(12, 24)), transactionFee: fee(24), settlementFee: fee(33) };
}
