import type { TerminalOffer } from '../host/hostClient.js';
import type { CardRef } from '../../protocol/cardRef.js';
import { decideOutcome, type PosRef } from '../queue/index.js';
import { cardQueueClear } from './cardQueueClear.js';
import { answerOfCall, callHost, declineReason } from './hostCall.js';
import type { CheckoutDeps } from './ports.js';
import type { OfferStep } from './results.js';
import { newTransactionId } from './transactionId.js';

/**
 * The card-linked offer step of a checkout: look up the card's live offers at
 * this merchant, pick the one worth most for this amount, and redeem it when
 * the POS said `acceptOffer`. The redemption is durable before it is sent; an
 * unknown outcome leaves it queued (the host redeems idempotently by
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
  const found = await callHost(deps.host.offers({ card, amount }), deadlineAt, onLate);
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
  if (!(await cardQueueClear(deps, card, deadlineAt))) return { status: 'unavailable', ...shown, benefit: 0, reason: 'card-has-queued-work' };

  const op = deps.queue.beginDirect({
    kind: 'offer-redeem',
    card,
    payload: { cardOfferId: best.cardOfferId, amount, reference: ref.reference },
    transactionId: newTransactionId(),
    ref,
  });
  const transactionId = op.transactionId;
  const redeemed = await callHost(
    deps.host.redeemOffer({ card, cardOfferId: best.cardOfferId, transactionId, amount }),
    deadlineAt,
    onLate,
  );
  switch (decideOutcome({ kind: 'offer-redeem', toldApproved: false, sentBefore: false, answer: answerOfCall(redeemed) })) {
    case 'done':
      if (redeemed.kind === 'ok') {
        deps.queue.completeDirect(op.id, redeemed.value);
        return { status: 'applied', ...shown, benefit: redeemed.value.benefit, redemptionId: redeemed.value.redemptionId, transactionId };
      }
      break; // 'done' without an answer cannot happen on a first send
    case 'dead': {
      const reason = redeemed.kind === 'error' ? declineReason(redeemed.err) : 'declined';
      deps.queue.rejectDirect(op.id, reason);
      return { status: 'declined', ...shown, benefit: 0, transactionId, reason };
    }
    case 'abandoned':
      deps.queue.abandonDirect(op.id, 'not-sent');
      return { status: 'unavailable', ...shown, benefit: 0, transactionId, reason: 'host-unreachable' };
    default:
      break;
  }
  // Unknown outcome: the redemption stays queued, resent with the same transactionId (the host redeems once).
  deps.queue.unknownOutcome(op.id, redeemed.kind === 'error' ? redeemed.err.code : 'deadline');
  return { status: 'unavailable', ...shown, benefit: 0, transactionId, reason: 'no-answer-queued' };
}

function pickBest(offers: readonly TerminalOffer[]): TerminalOffer | undefined {
  let best: TerminalOffer | undefined;
  for (const o of offers) if (o.benefit > 0 && (!best || o.benefit > best.benefit)) best = o;
  return best;
}
