import type { LoyaltyErrorBody } from '../../protocol/loyalty/index.js';

/**
 * The local POS API answers errors in the host's shape
 * (`{"errors":[{code,message}],"error":{code,message}}`). Codes are the
 * seed's where one fits (E32 bad JSON, E37 bad request) and the API's own
 * otherwise (`reader-busy`, `not-found`).
 */
export function apiErrorBody(code: string, message: string): LoyaltyErrorBody {
  return { errors: [{ code, message }], error: { code, message } };
}
