import type { CardRef } from '../../protocol/index.js';
import { totalAvailable } from '../../protocol/loyalty/index.js';
import { cardRefusalOf, declineReason, type BalanceResult } from '../host/index.js';
import { callHost, type HostCall } from './hostCall.js';
import type { CheckoutDeps } from './ports.js';
import { rememberCard } from './rememberCard.js';
import { newTransactionId } from './transactionId.js';

/** A balance enquiry's end: the host's call, and for a refusal its stable reason. */
export type BalanceEnquiry = HostCall<BalanceResult> & { reason?: string };

/**
 * Asks the host for the card's balance by `deadlineAt` (no side effect at the
 * host), and remembers what it said of the card for the offline stand-in: its
 * available points, or its refusal of the card (unknown, expired).
 */
export async function balanceEnquiry(deps: CheckoutDeps, card: CardRef, deadlineAt: number): Promise<BalanceEnquiry> {
  const onLate = (err: unknown) => deps.logger.warn({ err }, 'balance answered after the POS deadline');
  const r = await callHost(deps.host.balance({ card, transactionId: newTransactionId() }), { deadlineAt, now: deps.now, onLate });
  if (r.kind === 'ok') {
    rememberCard(deps.logger, () => deps.queue.rememberBalance(card, totalAvailable(r.value.accounts)));
    return r;
  }
  if (r.kind === 'error' && r.err.outcome === 'rejected') {
    const refused = cardRefusalOf(r.err);
    if (refused !== undefined) rememberCard(deps.logger, () => deps.queue.rememberRefusal(card, refused));
    return { ...r, reason: declineReason(r.err) };
  }
  return r;
}
