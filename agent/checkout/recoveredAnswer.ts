import { diedOfUnknownOutcome, type PosOperationKind, type QueuedOperation } from '../queue/index.js';
import { EARNING_NOT_RECORDED, type CardView, type CheckoutResult, type EarningResult, type OfferStep, type RedemptionResult, type UndoResult } from './results.js';
import { recoveredUndoAnswer } from './undoSale.js';

/** The answer of a POS reference rebuilt from its operations' states. */
export type RecoveredAnswer = RedemptionResult | EarningResult | (CheckoutResult & { recovered: true }) | (UndoResult & { recovered: true });

/**
 * Rebuilds the answer of a reference whose operations are durable but whose
 * answer was never recorded (the agent stopped between the two commits). It
 * says what the queue knows now, which is what decides the customer's money:
 * a direct burn done is approved; one reversed (or to be reversed) is not; an
 * offline burn is approved; an earning is accepted. `body` is the POS request.
 */
export function recoveredAnswer(kind: PosOperationKind, body: Record<string, unknown>, ops: readonly QueuedOperation[]): RecoveredAnswer {
  const first = ops[0];
  const card: CardView | undefined = first ? { pan: first.maskedPan, kind: 'card' } : undefined;
  // A burn abandoned unsent is followed, under the same reference, by the offline burn approved in its place:
  // that one decides the customer's points.
  const burns = ops.filter((o): o is OfKind<'burn'> => o.kind === 'burn');
  const burn = burns.find((o) => o.state !== 'abandoned') ?? burns[0];
  const earn = ops.find((o) => o.kind === 'earn');
  switch (kind) {
    case 'redemption':
      return burn ? burnAnswer(burn, card) : { status: 'unavailable', transactionId: '', debited: 0, balanceAfter: null, reason: 'host-unreachable' };
    case 'earning':
      return earnAnswer(earn, card);
    case 'checkout': {
      const offerOp = ops.find((o): o is OfKind<'offer-redeem'> => o.kind === 'offer-redeem');
      const offer = offerOp ? offerAnswer(offerOp) : { status: 'none' as const, benefit: 0, reason: 'not-recorded' };
      const redemption = burn ? burnAnswer(burn, card) : null;
      const amount = typeof body.amount === 'number' ? body.amount : 0;
      const discount = offer.status === 'applied' && offer.type === 'discount' ? offer.benefit : 0;
      const debited = redemption?.status === 'approved' ? redemption.debited : 0;
      const amountDue = Math.max(0, amount - discount - debited);
      // Something was due and no earn was written (the store refused it, or the agent stopped first): not recorded.
      const earning = earn ? earnAnswer(earn, card) : amountDue > 0 ? EARNING_NOT_RECORDED : null;
      const result: CheckoutResult & { recovered: true } = {
        reference: String(body.reference ?? ''),
        card: card ?? { pan: '' as CardView['pan'], kind: 'card' },
        amount,
        offer,
        redemption,
        earning,
        amountDue,
        recovered: true,
      };
      return result;
    }
    case 'void':
    case 'return':
      return recoveredUndoAnswer(kind, body, ops);
  }
}

/** A queued operation of one kind (its payload and result typed by it). */
type OfKind<K extends QueuedOperation['kind']> = Extract<QueuedOperation, { kind: K }>;

function burnAnswer(op: OfKind<'burn'>, card: CardView | undefined): RedemptionResult {
  const p = op.payload;
  const base = { transactionId: op.transactionId, ...(card ? { card } : {}) };
  if (op.offline) return { ...base, status: 'approved', debited: p.points, balanceAfter: null, queued: true };
  switch (op.state) {
    case 'done': {
      const lines = (op.result !== null && 'accounts' in op.result ? op.result.accounts : undefined) ?? [];
      return { ...base, status: 'approved', debited: p.points, balanceAfter: lines.reduce((s, a) => s + (a.balance ?? 0), 0) };
    }
    case 'abandoned':
      return op.deadReason === 'deadline-passed'
        ? { ...base, status: 'timeout', debited: 0, balanceAfter: null, reason: 'deadline-passed' }
        : { ...base, status: 'unavailable', debited: 0, balanceAfter: null, reason: 'host-unreachable' };
    case 'dead':
      if (!diedOfUnknownOutcome(op)) {
        return { ...base, status: 'declined', debited: 0, balanceAfter: null, reason: op.deadReason ?? 'declined' };
      }
      return { ...base, status: 'unavailable', debited: 0, balanceAfter: null, reason: 'no-answer-reversed' };
    default:
      // In flight without its process (cannot outlive a restart: recovery reverses it).
      return { ...base, status: 'unavailable', debited: 0, balanceAfter: null, reason: 'no-answer-reversed' };
  }
}

function earnAnswer(op: QueuedOperation | undefined, card: CardView | undefined): EarningResult {
  if (!op) return { status: 'accepted', transactionId: '', queued: true, ...(card ? { card } : {}) };
  // The host refused it since: that is its answer now, as the live one would have said.
  if (op.state === 'dead' && op.refusal !== null) return { status: 'declined', transactionId: op.transactionId, reason: op.refusal, ...(card ? { card } : {}) };
  return { status: 'accepted', transactionId: op.transactionId, queued: op.state !== 'done', ...(card ? { card } : {}) };
}

function offerAnswer(op: OfKind<'offer-redeem'>): OfferStep {
  const p = op.payload;
  const r = op.result !== null && 'redemptionId' in op.result ? op.result : null;
  const base = { cardOfferId: p.cardOfferId, transactionId: op.transactionId };
  switch (op.state) {
    case 'done':
      return {
        status: 'applied',
        ...base,
        benefit: r?.benefit ?? 0,
        ...(r?.type ? { type: r.type } : {}),
        ...(r?.redemptionId ? { redemptionId: r.redemptionId } : {}),
      };
    case 'dead':
      return { status: 'declined', ...base, benefit: 0, reason: op.deadReason ?? 'declined' };
    case 'abandoned':
      return { status: 'unavailable', ...base, benefit: 0, reason: op.deadReason === 'deadline-passed' ? 'deadline-passed' : 'host-unreachable' };
    default:
      return { status: 'unavailable', ...base, benefit: 0, reason: 'no-answer-queued' };
  }
}
