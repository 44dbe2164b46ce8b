/** The checkout flows: redemption, earning, balance, checkout with offers, each keyed by the POS reference. */
export { CheckoutService, type CheckoutOptions, type NoCard, type UndoRequest } from './checkoutService.js';
export { CheckoutError, type CheckoutErrorCode } from './checkoutError.js';
export type * from './results.js';
export type * from './ports.js';
export { StageTimes, STAGES, type Stage } from './stageTimes.js';
export type { Refusal, RefusedStep } from './answerRefusals.js';
