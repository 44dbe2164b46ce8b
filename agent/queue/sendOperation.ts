import { randomUUID } from 'node:crypto';
import { HostError, type HostClient } from '../host/index.js';
import { chooseMandates, earnedKept, earnedToTakeBack, type Mandate } from '../../protocol/loyalty/index.js';
import type { ClaimedOperation, EarnReversalPayload, QueuedOperation } from './queueTypes.js';

/** What the host said to one send that it answered: the result to keep, and whether a reversal found its original. */
export interface Sent {
  result: unknown;
  /** `original-not-found`: a reversal the host answered, having not seen its original (yet). */
  answer: 'ok' | 'original-not-found';
}

/**
 * Sends one claimed operation to the host with its fixed transactionId.
 * An offline burn runs balance → mandates (type-1 accounts first, never above
 * the available balance) → burn; `beforeBurn` is called with the request's
 * rewardTrxId and mandates (and must make them durable) just before the burn
 * request leaves. A burn sent before is resent to the letter, so a host that
 * applied it answers with its stored result; only when that request went
 * stale without being applied (L30) is a fresh balance enquiry made.
 */
export async function sendOperation(
  host: HostClient,
  op: ClaimedOperation,
  beforeBurn: (burn: { rewardTrxId: string; mandates: Mandate[] }) => void,
  originalOf: (transactionId: string) => QueuedOperation | undefined,
): Promise<Sent> {
  switch (op.kind) {
    case 'refund':
      if (notApplied(originalOf(op.payload.originalTransactionId))) return { result: { nothingToUndo: true }, answer: 'ok' };
      return ok(await host.refund({ card: op.card, originalTransactionId: op.payload.originalTransactionId, transactionId: op.transactionId, points: op.payload.points }));
    case 'earn-reversal': {
      const part = earnPart(op.payload, originalOf(op.payload.originalTransactionId));
      if (part === 'nothing') return { result: { nothingToUndo: true }, answer: 'ok' };
      const req = { card: op.card, originalTransactionId: op.payload.originalTransactionId, transactionId: op.transactionId };
      return ok(await host.reverseEarn(part === 'all' ? req : { ...req, part }));
    }
    case 'offer-reversal': {
      const original = originalOf(op.payload.originalTransactionId);
      const redemptionId = op.payload.redemptionId ?? (original?.result as { redemptionId?: unknown } | null | undefined)?.redemptionId;
      if (notApplied(original)) return { result: { nothingToUndo: true }, answer: 'ok' };
      if (typeof redemptionId !== 'string') {
        throw new HostError('HOST_ERR_REJECTED', 'offer reversal: the redemption id is not known (its answer was not kept)', { outcome: 'rejected', hostCode: 'redemption-unknown' });
      }
      return ok(await host.reverseOffer({ card: op.card, redemptionId, transactionId: op.transactionId }));
    }
    case 'earn':
      return ok(await host.earn({ card: op.card, transactionId: op.transactionId, amount: op.payload.amount, timeStamp: op.payload.timeStamp }));
    case 'offer-redeem':
      return ok(
        await host.redeemOffer({ card: op.card, cardOfferId: op.payload.cardOfferId, transactionId: op.transactionId, amount: op.payload.amount }),
      );
    case 'reversal': {
      const result = await host.reverse({ card: op.card, originalTransactionId: op.payload.originalTransactionId, transactionId: op.transactionId });
      return { result, answer: result.reversed === false ? 'original-not-found' : 'ok' };
    }
    case 'burn': {
      const p = op.payload;
      if (op.sentAt !== null && p.rewardTrxId !== undefined && p.mandates !== undefined) {
        try {
          return ok(await host.burn({ card: op.card, rewardTrxId: p.rewardTrxId, transactionId: op.transactionId, mandates: p.mandates }));
        } catch (err) {
          if (!(err instanceof HostError && err.outcome === 'rejected' && (err.hostCode === 'L30' || err.hostCode === '30'))) throw err;
        }
      }
      const bal = await host.balance({ card: op.card, transactionId: randomUUID().replaceAll('-', '') });
      const mandates = chooseMandates(bal.accounts, p.points);
      if (mandates === null) {
        throw new HostError('HOST_ERR_REJECTED', `offline burn of ${p.points} points exceeds the available balance`, {
          outcome: 'rejected',
          hostCode: 'insufficient-points',
        });
      }
      beforeBurn({ rewardTrxId: bal.rewardTrxId, mandates });
      return ok(await host.burn({ card: op.card, rewardTrxId: bal.rewardTrxId, transactionId: op.transactionId, mandates }));
    }
  }
}

/**
 * What of the earn to take back: `all` it has left, a worked-out part, or
 * `nothing` (the earn never applied: dead, or its share rounds to 0 points).
 * A share is worked out from the earn's credited points (its answer's
 * `earnedPoints`); without them it cannot be, and the reversal is refused
 * (dead-letter, for a technician) rather than guessed.
 */
function earnPart(p: EarnReversalPayload, earn: QueuedOperation | undefined): 'all' | 'nothing' | { points: number; kept: number } {
  if (notApplied(earn)) return 'nothing';
  if (p.part !== undefined) return p.part.points > 0 ? p.part : 'nothing';
  if (p.share === undefined) return 'all';
  const earned = (earn?.result as { earnedPoints?: unknown } | null | undefined)?.earnedPoints;
  if (typeof earned !== 'number') {
    throw new HostError('HOST_ERR_REJECTED', 'earn reversal: the host did not say how many points the earn credited, so its share cannot be worked out', {
      outcome: 'rejected',
      hostCode: 'earned-points-unknown',
    });
  }
  const points = earnedToTakeBack(earned, p.share);
  return points > 0 ? { points, kept: earnedKept(earned, p.share) } : 'nothing';
}

/** The original of an undo never reached the host's books: refused or never sent (nothing to undo). */
function notApplied(original: QueuedOperation | undefined): boolean {
  return original !== undefined && (original.state === 'dead' || original.state === 'abandoned');
}

function ok(result: unknown): Sent {
  return { result, answer: 'ok' };
}
