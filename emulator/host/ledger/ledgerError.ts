import { PosError } from '../../../protocol/index.js';
import { ERROR_CATALOG, type LoyaltyErrorCode } from '../../../protocol/loyalty/index.js';

/**
 * A refusal from the ledger. `code` is a loyalty catalog code (L14, L51,
 * 2020, 1013, ...), so every front-end (REST, ISO 8583) can map it: REST puts
 * it in the seed's error body, ISO maps L51 → DE39 51 and so on. `message`
 * defaults to the catalog's message and never carries a PAN or expiry.
 */
export class LedgerError extends PosError<LoyaltyErrorCode> {
  constructor(code: LoyaltyErrorCode, message?: string, options?: { cause?: unknown }) {
    super(code, message ?? ERROR_CATALOG[code].message, options);
  }
}
