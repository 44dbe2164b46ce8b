import type { NoCard } from './checkoutService.js';
import type { CheckoutResult, EarningResult, RedemptionResult } from './results.js';

/** The host-facing step a refusal was for. */
export type RefusedStep = 'burn' | 'earn' | 'offer';

/** One "no" the POS heard: the step and its stable reason. */
export interface Refusal {
  step: RefusedStep;
  reason: string;
}

/**
 * The "no" answers inside one POS answer (declined, unavailable, timeout,
 * each with its reason), a step at a time: a redemption's burn, an earning,
 * or each step of a checkout. What a payments engineer counts to find the
 * refusals that safety does not need.
 */
export function refusalsOf(
  kind: 'redemption' | 'earning' | 'checkout',
  answer: RedemptionResult | EarningResult | CheckoutResult | NoCard,
): Refusal[] {
  if (!('offer' in answer)) {
    const step: RefusedStep = kind === 'earning' ? 'earn' : 'burn';
    return isNo(answer) ? [{ step, reason: reasonOf(answer) }] : [];
  }
  const out: Refusal[] = [];
  if (isNo(answer.offer)) out.push({ step: 'offer', reason: reasonOf(answer.offer) });
  if (answer.redemption && isNo(answer.redemption)) out.push({ step: 'burn', reason: reasonOf(answer.redemption) });
  if (answer.earning && isNo(answer.earning)) out.push({ step: 'earn', reason: reasonOf(answer.earning) });
  return out;
}

/** The "no"'s reason; its status where it gives none. */
function reasonOf(a: { status: string } | { status: string; reason?: string }): string {
  return ('reason' in a ? a.reason : undefined) ?? a.status;
}

function isNo(a: { status: string }): boolean {
  return a.status === 'declined' || a.status === 'unavailable' || a.status === 'timeout';
}
