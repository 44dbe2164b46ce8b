import { PosError } from '../../../protocol/index.js';
import { ERROR_CATALOG, refusalOfRestCode, restCodeOf, type LoyaltyErrorCode, type RefusalKind } from '../../../protocol/loyalty/index.js';

/**
 * A refusal from the ledger. `code` is a loyalty catalog code (L14, L51,
 * 2020, 1013, ...), so every front-end (REST, ISO 8583) can map it: REST puts
 * it in the seed's error body, ISO answers the DE39 of its {@link kind}.
 * `message` defaults to the catalog's message and never carries a PAN or expiry.
 * Refusals are raised by kind ({@link LedgerError.of}): the code comes from
 * protocol/loyalty's refusal table, read in reverse.
 */
export class LedgerError extends PosError<LoyaltyErrorCode> {
  constructor(code: LoyaltyErrorCode, message?: string, options?: { cause?: unknown }) {
    super(code, message ?? ERROR_CATALOG[code].message, options);
  }

  /**
   * The refusal `kind` as the loyalty REST API answers it (`restCodeOf` of
   * the refusal table). A kind that API never says (an offer kind,
   * `format-error`, `other`) is a programming error: it throws.
   */
  static of(kind: RefusalKind, message?: string, options?: { cause?: unknown }): LedgerError {
    const answer = restCodeOf(kind);
    if (answer === undefined) throw new TypeError(`the loyalty REST API has no code for the refusal kind ${kind}`);
    return new LedgerError(answer.code, message, options);
  }

  /** What this refusal means, read back through the refusal table. */
  get kind(): RefusalKind {
    return refusalOfRestCode(this.code);
  }
}
