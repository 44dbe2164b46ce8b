import type { TerminalOffer } from '../host/index.js';
import type { CardRef } from '../../protocol/index.js';
import type { PosRef } from '../queue/index.js';
import { callHost } from './hostCall.js';
import { declineReason } from '../host/index.js';
import type { CheckoutDeps } from './ports.js';
import type { OfferStep } from './results.js';
import { sendDirect } from './sendDirect.js';
import { newTransactionId } from './transactionId.js';

/**
 * The card-linked offer step of a checkout: look up the card's live offers at
 * this merchant, pick the one worth most for this amount, and redeem it when
 * the POS said `acceptOffer`. The redemption is durable before it is sent
 * ({@link sendDirect}); an unknown outcome leaves it queued (the host redeems idempotently by
 * transactionId) and the POS applies no discount now.
 */
export async function offerStep(
  deps: CheckoutDeps,
  card: CardRef,
  amount: number,
  accept: boolean,
  deadlineAt: number,
  ref: PosRef,
): Promise<OfferStep> {
  const log = deps.logger.child({ flow: 'offer' });
  const onLate = (err: unknown) => log.warn({ err }, 'host answered after the POS deadline');
  const found = await callHost(deps.host.offers({ card, amount }), { deadlineAt, now: deps.now, onLate });
  if (found.kind === 'deadline') return { status: 'unavailable', benefit: 0, reason: 'host-timeout' };
  if (found.kind === 'error') {
    return found.err.outcome === 'rejected'
      ? { status: 'declined', benefit: 0, reason: declineReason(found.err) }
      : { status: 'unavailable', benefit: 0, reason: 'host-unreachable' };
  }
  const best = pickBest(found.value);
  if (!best) return { status: 'none', benefit: 0 };
  const shown = { cardOfferId: best.cardOfferId, displayText: best.displayText, type: best.type };
  if (!accept) return { status: 'available', ...shown, benefit: best.benefit };

  const sent = await sendDirect(deps.queue, {
    operation: { kind: 'offer-redeem', card, payload: { cardOfferId: best.cardOfferId, amount, minSpend: best.minSpend }, transactionId: newTransactionId(), ref },
    send: (transactionId) => deps.host.redeemOffer({ card, cardOfferId: best.cardOfferId, transactionId, amount }),
    deadlineAt,
    now: deps.now,
    onLate,
    approved: (value, transactionId): OfferStep => ({ status: 'applied', ...shown, benefit: value.benefit, redemptionId: value.redemptionId, transactionId }),
  });
  const { transactionId } = sent;
  switch (sent.outcome) {
    case 'approved':
      return sent.answer;
    case 'declined':
      return { status: 'declined', ...shown, benefit: 0, transactionId, reason: sent.reason };
    case 'not-sent':
      return { status: 'unavailable', ...shown, benefit: 0, transactionId, reason: 'host-unreachable' };
    case 'too-late':
      return { status: 'unavailable', ...shown, benefit: 0, transactionId, reason: 'deadline-passed' };
    case 'unknown':
      // The redemption stays queued, resent with the same transactionId (the host redeems once).
      return { status: 'unavailable', ...shown, benefit: 0, transactionId, reason: 'no-answer-queued' };
  }
}

function pickBest(offers: readonly TerminalOffer[]): TerminalOffer | undefined {
  let best: TerminalOffer | undefined;
  for (const o of offers) if (o.benefit > 0 && (!best || o.benefit > best.benefit)) best = o;
  return best;
}
