import { ERROR_CATALOG, type LoyaltyErrorCode } from './errorCatalog.js';

/** One `{code, message}` pair of the seed's error body. */
export interface LoyaltyErrorItem {
  code: string;
  message: string;
}

/**
 * The seed's error body, exactly: `{"errors":[{code,message}],"error":{code,message}}`
 * (the first entry of `errors` repeated as `error`).
 */
export interface LoyaltyErrorBody {
  errors: LoyaltyErrorItem[];
  error: LoyaltyErrorItem;
}

/**
 * Builds the error body for a catalog code. `message` defaults to the
 * catalog's message; pass one only to add detail (never a PAN or expiry).
 */
export function errorBody(code: LoyaltyErrorCode, message?: string): LoyaltyErrorBody {
  const item = { code, message: message ?? ERROR_CATALOG[code].message };
  return { errors: [item], error: { ...item } };
}

/** True when `value` has the shape of {@link LoyaltyErrorBody}. */
export function isErrorBody(value: unknown): value is LoyaltyErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { errors?: unknown; error?: unknown };
  const isItem = (x: unknown): boolean =>
    typeof x === 'object' && x !== null && typeof (x as LoyaltyErrorItem).code === 'string' && typeof (x as LoyaltyErrorItem).message === 'string';
  return Array.isArray(v.errors) && v.errors.every(isItem) && isItem(v.error);
}
