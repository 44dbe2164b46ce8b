import type { CardRef } from '../../protocol/index.js';
import {
  earnedKept,
  earnedToTakeBack,
  isFinalShare,
  offerShare,
  redeemedToGiveBack,
  type ReturnShare,
} from '../../protocol/loyalty/index.js';
import type { PosRef, QueuedOperation, UndoInput } from '../queue/index.js';
import type { OfferUndo, UndoResult, UndoStep, CardView } from './results.js';
import type { SaleRecord } from './saleRecord.js';
import { newTransactionId } from './transactionId.js';

/** What a void or a return will do, worked out before anything is written. */
export interface UndoPlan {
  inputs: UndoInput[];
  /** Points to give back on the burn (0: none). */
  refundPoints: number;
  /** Points to take back from the earn: a number, `all` it has left (not known yet), `later` (worked out once the earn is done), or 0. */
  earnPoints: number | 'all' | 'later';
  offer: { status: 'reverse' | 'kept' | 'already-reversed' | 'none'; clawBack: number };
}

/**
 * The operations of a void (`share` covers all that is left) or a return of
 * a sale (README "Returns and voids"): pro rata of the share, rounded in the
 * customer's favour (protocol/loyalty/proRata.ts). A sale fully undone takes
 * back all its earn has left, and undoes its offer redemption.
 */
export function planUndo(kind: 'void' | 'return', sale: SaleRecord, share: ReturnShare, card: CardRef): UndoPlan {
  const inputs: UndoInput[] = [];
  const final = isFinalShare(share);
  let refundPoints = 0;
  if (sale.burn) {
    refundPoints = redeemedToGiveBack(sale.burn.points, share);
    const originalTransactionId = sale.burn.transactionId;
    if (kind === 'void') {
      // A void reverses the burn itself (REST burn reversal, ISO 8583 0420): the host gives back what refunds left.
      inputs.push({ kind: 'reversal', card, payload: { originalTransactionId }, transactionId: newTransactionId() });
    } else if (refundPoints > 0) {
      inputs.push({ kind: 'refund', card, payload: { originalTransactionId, points: refundPoints }, transactionId: newTransactionId() });
    }
  }
  let earnPoints: UndoPlan['earnPoints'] = 0;
  if (sale.earn) {
    const e = sale.earn;
    const payload = { originalTransactionId: e.transactionId };
    if (final) {
      // All it has left goes (so an earlier reversal the host refused is made up for); shown as the share when known.
      // An earn that credited nothing has nothing to take back (the host would refuse a reversal of it).
      earnPoints = e.earnedPoints === undefined ? 'all' : earnedToTakeBack(e.earnedPoints, share);
      if (e.earnedPoints !== 0) inputs.push({ kind: 'earn-reversal', card, payload, transactionId: newTransactionId() });
    } else if (e.earnedPoints === undefined) {
      earnPoints = 'later';
      inputs.push({ kind: 'earn-reversal', card, payload: { ...payload, share }, transactionId: newTransactionId() });
    } else {
      earnPoints = earnedToTakeBack(e.earnedPoints, share);
      const part = { points: earnPoints, kept: earnedKept(e.earnedPoints, share) };
      if (earnPoints > 0) inputs.push({ kind: 'earn-reversal', card, payload: { ...payload, part }, transactionId: newTransactionId() });
    }
  }
  let offer: UndoPlan['offer'] = { status: 'none', clawBack: 0 };
  if (sale.offer) {
    const o = offerShare(sale.offer, share);
    offer = { status: o.reverse ? 'reverse' : o.alreadyReversed ? 'already-reversed' : 'kept', clawBack: o.clawBack };
    if (o.reverse) {
      const redemption = sale.offer.redemptionId === undefined ? {} : { redemptionId: sale.offer.redemptionId };
      inputs.push({ kind: 'offer-reversal', card, payload: { originalTransactionId: sale.offer.transactionId, ...redemption }, transactionId: newTransactionId() });
    }
  }
  return { inputs, refundPoints, earnPoints, offer };
}

/** What the answer reads of an undo operation: as queued now, or as planned (pending, before its commit). */
export type UndoOpView = Pick<QueuedOperation, 'kind' | 'transactionId' | 'state' | 'result' | 'deadReason'>;

/** The plan's operations as the answer shows them before anything is sent: all pending. */
export function plannedOps(plan: UndoPlan): UndoOpView[] {
  return plan.inputs.map((i) => ({ kind: i.kind, transactionId: i.transactionId ?? '', state: 'pending', result: null, deadReason: null }));
}

/** The answer of a void or return, from its plan and its operations as they stand now. */
export function undoAnswer(a: {
  kind: 'void' | 'return';
  ref: PosRef;
  originalReference: string;
  card: CardView;
  share: ReturnShare;
  plan: UndoPlan;
  ops: readonly UndoOpView[];
}): UndoResult {
  const op = (kind: QueuedOperation['kind']) => a.ops.find((o) => o.kind === kind);
  const refund = stepOf(op('refund') ?? op('reversal'), a.plan.refundPoints);
  const earnOp = op('earn-reversal');
  const earnReversal = stepOf(earnOp, earnOp ? pointsTakenBack(earnOp, a.plan.earnPoints) : 0);
  const offer = offerOf(op('offer-reversal'), a.plan.offer);
  return {
    status: 'accepted',
    kind: a.kind,
    reference: a.ref.reference,
    originalReference: a.originalReference,
    card: a.card,
    amount: a.share.upTo - a.share.before,
    remaining: a.share.saleAmount - a.share.upTo,
    refund,
    earnReversal,
    offer,
    queued: [refund.status, earnReversal.status, offer.status].includes('queued'),
  };
}

/**
 * A recorded void or return answer with its steps as their operations stand
 * now (matched by transactionId): a step the host has since done, refused or
 * found nothing to undo says so, one resent after a refusal is queued again,
 * and `queued` is worked out again. The amounts worked out at the answer are
 * kept. A retry and a lookup answer this: the steps are what the queue has.
 */
export function settledUndoAnswer(answer: UndoResult, ops: readonly UndoOpView[]): UndoResult {
  const opOf = (step: { transactionId?: string }) => (step.transactionId === undefined ? undefined : ops.find((o) => o.transactionId === step.transactionId));
  const refundOp = opOf(answer.refund);
  const earnOp = opOf(answer.earnReversal);
  const offerOp = opOf(answer.offer);
  if (!refundOp && !earnOp && !offerOp) return answer;
  const refund = refundOp ? stepOf(refundOp, answer.refund.points) : answer.refund;
  const earnReversal = earnOp ? stepOf(earnOp, answer.earnReversal.points ?? pointsTakenBack(earnOp, 'later')) : answer.earnReversal;
  const offer = offerOp ? offerOf(offerOp, { status: 'reverse', clawBack: answer.offer.clawBack }) : answer.offer;
  return { ...answer, refund, earnReversal, offer, queued: [refund.status, earnReversal.status, offer.status].includes('queued') };
}

function stepOf(op: UndoOpView | undefined, points: number | null): UndoStep {
  if (!op) return { status: 'none', points: 0 };
  const base = { transactionId: op.transactionId, points };
  switch (op.state) {
    case 'done':
    {
      // Nothing to undo: the original never applied (a reversal the host answered `reversed: false`, after the
      // late-original window), or nothing of it was left.
      const r = op.result;
      const nothing = r !== null && 'nothingToUndo' in r ? r : undefined;
      if (nothing === undefined && !(r !== null && 'reversed' in r && !r.reversed)) return { ...base, status: 'done' };
      return { ...base, status: 'none', points: 0, reason: nothing?.nothingLeft === true ? 'nothing-left' : 'original-not-applied' };
    }
    case 'dead':
    case 'abandoned':
      return { ...base, status: 'refused', reason: op.deadReason ?? 'refused' };
    default:
      return { ...base, status: 'queued' };
  }
}

/** The points an earn reversal takes back: planned, or (worked out at its send) what the host said it took. */
function pointsTakenBack(op: UndoOpView, planned: UndoPlan['earnPoints']): number | null {
  if (typeof planned === 'number') return planned;
  const r = op.result;
  return r !== null && 'points' in r && r.points !== undefined ? r.points : null;
}

function offerOf(op: UndoOpView | undefined, planned: UndoPlan['offer']): OfferUndo {
  if (planned.status !== 'reverse' || !op) return { status: planned.status === 'reverse' ? 'queued' : planned.status, clawBack: planned.clawBack };
  const step = stepOf(op, null);
  const base = { transactionId: op.transactionId, clawBack: planned.clawBack };
  if (step.status === 'done') return { ...base, status: 'reversed' };
  if (step.status === 'refused') return { ...base, status: 'refused', ...(step.reason === undefined ? {} : { reason: step.reason }) };
  if (step.status === 'none') return { ...base, status: 'none', clawBack: 0 };
  return { ...base, status: 'queued' };
}

/**
 * The answer of a void or return rebuilt from its operations, when the agent
 * stopped between their commit and the answer: the steps as the queue has
 * them now; what is left of the sale is not rebuilt (null).
 */
export function recoveredUndoAnswer(kind: 'void' | 'return', body: Record<string, unknown>, ops: readonly QueuedOperation[]): UndoResult & { recovered: true } {
  const first = ops[0];
  const op = (k: QueuedOperation['kind']) => ops.find((o) => o.kind === k);
  const refundOp = op('refund') ?? op('reversal');
  const earnOp = op('earn-reversal');
  const offerOp = op('offer-reversal');
  const refund = stepOf(refundOp, refundOp?.kind === 'refund' ? refundOp.payload.points : refundOp ? null : 0);
  const earnPart = earnOp?.kind === 'earn-reversal' ? earnOp.payload.part?.points : undefined;
  const earnReversal = stepOf(earnOp, earnOp ? (earnPart ?? pointsTakenBack(earnOp, 'later')) : 0);
  const offer = offerOf(offerOp, offerOp ? { status: 'reverse', clawBack: 0 } : { status: 'none', clawBack: 0 });
  return {
    status: 'accepted',
    kind,
    reference: String(body.reference ?? ''),
    originalReference: String(body.originalReference ?? ''),
    ...(first ? { card: { pan: first.maskedPan, kind: 'card' as const } } : {}),
    amount: typeof body.amount === 'number' ? body.amount : 0,
    remaining: null,
    refund,
    earnReversal,
    offer,
    queued: [refund.status, earnReversal.status, offer.status].includes('queued'),
    recovered: true,
  };
}
