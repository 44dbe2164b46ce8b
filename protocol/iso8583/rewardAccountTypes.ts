import { Iso8583Error } from './iso8583Error.js';

/**
 * DE63 (Reserved Private) in the loyalty profile: the reward account type of
 * each DE54 entry, in DE54's order. DE54's 2-digit "account type" position
 * carries the loyalty accountId (see additionalAmounts.ts), so the seed's
 * account type (`1` = pool, debited first) needs a field of its own.
 *
 * Layout: one item per DE54 entry, each `LL` (2 ASCII digits, 01–16) then the
 * type itself, 1–16 printable ASCII characters without spaces (0x21–0x7E).
 * At most 6 items, as DE54 holds at most 6 entries; DE63 is `ans` LLL 999.
 *
 * Example: account types `1` and `P2` → `011` + `02P2` = `01102P2`.
 */
export const REWARD_ACCOUNT_TYPES_FIELD = 63;

const MAX_ITEMS = 6;
const MAX_TYPE = 16;
const TYPE_RE = /^[\x21-\x7e]{1,16}$/;

/** True when `t` can be carried in DE63: 1–16 printable ASCII characters without spaces. */
export function isRewardAccountType(t: string): boolean {
  return TYPE_RE.test(t);
}

function profileError(what: string): never {
  throw new Iso8583Error('ISO_ERR_PROFILE', `field 63 (Reward Account Types): ${what}`, { field: REWARD_ACCOUNT_TYPES_FIELD });
}

/** Encodes account types into a DE63 value. Throws ISO_ERR_PROFILE (field 63) on a type that does not fit. */
export function encodeRewardAccountTypes(types: readonly string[]): string {
  if (types.length > MAX_ITEMS) profileError(`at most ${MAX_ITEMS} account types, got ${types.length}`);
  let out = '';
  types.forEach((t, i) => {
    if (!isRewardAccountType(t)) profileError(`account type ${i + 1} must be 1-${MAX_TYPE} printable characters without spaces`);
    out += String(t.length).padStart(2, '0') + t;
  });
  return out;
}

/** Parses a DE63 value. Throws ISO_ERR_PROFILE (field 63) unless it is whole `LL type` items. */
export function decodeRewardAccountTypes(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    const n = out.length + 1;
    if (n > MAX_ITEMS) profileError(`more than ${MAX_ITEMS} account types`);
    const ll = value.slice(i, i + 2);
    if (!/^[0-9]{2}$/.test(ll)) profileError(`item ${n} does not start with a 2-digit length`);
    const len = Number(ll);
    if (len < 1 || len > MAX_TYPE) profileError(`item ${n} has length ${len}, not 1-${MAX_TYPE}`);
    const t = value.slice(i + 2, i + 2 + len);
    if (t.length < len) profileError(`item ${n} is cut short`);
    if (!isRewardAccountType(t)) profileError(`item ${n} holds a space or a character outside printable ASCII`);
    out.push(t);
    i += 2 + len;
  }
  return out;
}

/** Throws ISO_ERR_PROFILE (field 63) unless there is exactly one account type per DE54 entry. */
export function checkOneTypePerEntry(types: readonly string[], entries: number): void {
  if (types.length !== entries) profileError(`${types.length} account types for ${entries} DE54 entries`);
}
