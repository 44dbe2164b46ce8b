import { PosError } from '../../protocol/index.js';

/**
 * - `CHECKOUT_ERR_BUSY`: another card operation is running (the POS retries later);
 * - `CHECKOUT_ERR_ABORTED`: the POS hung up before a card was read (nothing was sent);
 * - `CHECKOUT_ERR_REFERENCE_CONFLICT`: the reference was used for another request (nothing is sent);
 * - `CHECKOUT_ERR_IN_PROGRESS`: a retry gave up waiting for the first call of its reference.
 */
export type CheckoutErrorCode = 'CHECKOUT_ERR_BUSY' | 'CHECKOUT_ERR_ABORTED' | 'CHECKOUT_ERR_REFERENCE_CONFLICT' | 'CHECKOUT_ERR_IN_PROGRESS';

export class CheckoutError extends PosError<CheckoutErrorCode> {}
