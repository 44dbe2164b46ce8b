import { offersCodeOf, type RefusalKind } from '../../../protocol/loyalty/index.js';
import { OffersError } from '../../../protocol/offers/index.js';

/**
 * The refusal `kind` as the Pay with Points API answers it (`offersCodeOf` of
 * protocol/loyalty's refusal table, read in reverse): an {@link OffersError}
 * with that code. A kind the offers API never says is a programming error: it throws.
 */
export function offersRefusal(kind: RefusalKind, message?: string, options?: { cause?: unknown }): OffersError {
  const answer = offersCodeOf(kind);
  if (answer === undefined) throw new TypeError(`the Pay with Points API has no code for the refusal kind ${kind}`);
  return new OffersError(answer.code, message, options);
}
