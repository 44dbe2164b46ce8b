import type { CardRef } from '../../protocol/cardRef.js';
import { chooseMandates, totalAvailable } from '../../protocol/loyalty/mandate.js';
import { failpoint } from '../failpoint.js';
import { decideOutcome, type PosRef } from '../queue/index.js';
import { cardQueueClear } from './cardQueueClear.js';
import { answerOfCall, callHost, declineReason } from './hostCall.js';
import type { CheckoutDeps } from './ports.js';
import type { CardView, RedemptionResult } from './results.js';
import { newTransactionId } from './transactionId.js';

/**
 * Balance then burn for a card already read (DESIGN.md, store-and-forward rules 1–4):
 * - the burn is written durably, with its transactionId fixed, before it is sent;
 * - what follows its send is the outcome table's word (decideOutcome): no
 *   answer (or a server error) means the outcome is unknown, so a durable
 *   reversal is queued and the POS is told the burn did not go through; a
 *   send that never left is abandoned;
 * - a host that can't be reached gets an offline burn only within the configured limits.
 * `ref` is the POS reference the burn is recorded under (same transaction).
 */
export async function burnPoints(
  deps: CheckoutDeps,
  card: CardRef,
  view: CardView,
  points: number,
  deadlineAt: number,
  ref: PosRef,
): Promise<RedemptionResult> {
  const reference = ref.reference;
  const log = deps.logger.child({ flow: 'burn', reference });
  const onLate = (err: unknown) => log.warn({ err }, 'host answered after the POS deadline');
  const enquiryId = newTransactionId();
  const base = { card: view, debited: 0, balanceAfter: null };

  // The host is away, too slow for this sale, or older work for this card still waits for it:
  // an offline burn within the limits (queued behind that work), else unavailable.
  const offlineOr = (status: 'timeout' | 'unavailable', reason: string): RedemptionResult => {
    const transactionId = newTransactionId();
    const offline = deps.queue.tryEnqueueOfflineBurn({ card, payload: { points, reference }, transactionId, ref });
    if (offline.ok) {
      log.info({ transactionId, points }, 'offline burn approved within limits; queued');
      return { ...base, status: 'approved', transactionId, debited: points, queued: true };
    }
    return { ...base, status, transactionId: enquiryId, reason };
  };
  if (!(await cardQueueClear(deps, card, deadlineAt))) return offlineOr('unavailable', 'card-has-queued-work');

  const bal = await callHost(deps.host.balance({ card, transactionId: enquiryId }), deadlineAt, onLate);
  if (bal.kind === 'error' && bal.err.outcome === 'rejected') {
    return { ...base, status: 'declined', transactionId: enquiryId, reason: declineReason(bal.err) };
  }
  if (bal.kind !== 'ok') return bal.kind === 'deadline' ? offlineOr('timeout', 'host-timeout') : offlineOr('unavailable', 'host-unreachable');

  const available = totalAvailable(bal.value.accounts);
  const mandates = chooseMandates(bal.value.accounts, points);
  if (mandates === null) {
    return { ...base, status: 'declined', transactionId: enquiryId, balanceAfter: available, reason: 'insufficient-points' };
  }

  const op = deps.queue.beginDirect({
    kind: 'burn',
    card,
    payload: { rewardTrxId: bal.value.rewardTrxId, mandates, points, reference },
    transactionId: newTransactionId(),
    ref,
  });
  const burn = await callHost(
    deps.host.burn({ card, rewardTrxId: bal.value.rewardTrxId, transactionId: op.transactionId, mandates }),
    deadlineAt,
    onLate,
  );
  const transactionId = op.transactionId;
  switch (decideOutcome({ kind: 'burn', toldApproved: false, sentBefore: false, answer: answerOfCall(burn) })) {
    case 'done': {
      const value = burn.kind === 'ok' ? burn.value : undefined;
      const balanceAfter = value ? value.accounts.reduce((s, a) => s + a.balance, 0) : null;
      const approved: RedemptionResult = { ...base, status: 'approved', transactionId, debited: points, balanceAfter };
      failpoint('burn-answered');
      // A redemption's answer is committed with the approval (one fsync); a checkout's waits for its other steps.
      deps.queue.completeDirect(op.id, value, ref.kind === 'redemption' ? { ref, answer: approved } : undefined);
      failpoint('burn-committed');
      log.info({ transactionId, points }, 'burn approved');
      return approved;
    }
    case 'dead': {
      const reason = burn.kind === 'error' ? declineReason(burn.err) : 'declined';
      deps.queue.rejectDirect(op.id, reason);
      return { ...base, status: 'declined', transactionId, balanceAfter: available, reason };
    }
    case 'abandoned':
      // Never left the terminal: nothing to undo, and the reference stays free for a retry.
      deps.queue.abandonDirect(op.id, 'not-sent');
      return { ...base, status: 'unavailable', transactionId, reason: 'host-unreachable' };
    default: {
      // Sent, and no usable answer: unknown outcome → durable reversal, POS told not approved.
      const why = burn.kind === 'error' ? burn.err.code : 'deadline';
      const reversal = deps.queue.unknownOutcome(op.id, why);
      log.warn({ transactionId, reversalId: reversal.transactionId, reason: why }, 'burn outcome unknown; reversal queued');
      return { ...base, status: burn.kind === 'deadline' ? 'timeout' : 'unavailable', transactionId, reason: 'no-answer-reversed' };
    }
  }
}
