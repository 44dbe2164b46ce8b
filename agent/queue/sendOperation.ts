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
  takenBack: (earn: QueuedOperation) => number | undefined = () => undefined,
): Promise<Sent> {
  switch (op.kind) {
    case 'refund':
      if (notApplied(originalOf(op.payload.originalTransactionId))) return { result: { nothingToUndo: true }, answer: 'ok' };
      return ok(await host.refund({ card: op.card, originalTransactionId: op.payload.originalTransactionId, transactionId: op.transactionId, points: op.payload.points }));
    case 'earn-reversal': {
      const part = earnPart(op.payload, originalOf(op.payload.originalTransactionId), takenBack);
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
 *
 * A part's `kept` (ISO 8583 DE95: the host takes back all above it) is what
 * the earn holds at the host now less the part, from the points its done
 * reversals took back (`takenBack`). Worked out as if every earlier return
 * had gone through, a return after one the host refused took that one's
 * points too, beyond what its POS was told.
 */
function earnPart(
  p: EarnReversalPayload,
  earn: QueuedOperation | undefined,
  takenBack: (earn: QueuedOperation) => number | undefined,
): 'all' | 'nothing' | { points: number; kept: number } {
  if (notApplied(earn)) return 'nothing';
  const earned = (earn?.result as { earnedPoints?: unknown } | null | undefined)?.earnedPoints;
  let planned: { points: number; kept: number };
  if (p.part !== undefined) {
    planned = p.part;
  } else if (p.share === undefined) {
    // Nothing left to take back (an earn that credited 0 points, or earlier reversals took it all): the host
    // would refuse the reversal, and a refusal is a dead-letter item for a technician.
    if (earn !== undefined && typeof earned === 'number' && earned - (takenBack(earn) ?? 0) <= 0) return 'nothing';
    return 'all';
  } else {
    if (typeof earned !== 'number') {
      throw new HostError('HOST_ERR_REJECTED', 'earn reversal: the host did not say how many points the earn credited, so its share cannot be worked out', {
        outcome: 'rejected',
        hostCode: 'earned-points-unknown',
      });
    }
    planned = { points: earnedToTakeBack(earned, p.share), kept: earnedKept(earned, p.share) };
  }
  if (planned.points <= 0) return 'nothing';
  if (earn === undefined || typeof earned !== 'number') return planned;
  const before = takenBack(earn);
  return before === undefined ? planned : { points: planned.points, kept: Math.max(0, earned - before - planned.points) };
}

/** The original of an undo never reached the host's books: refused or never sent (nothing to undo). */
function notApplied(original: QueuedOperation | undefined): boolean {
  return original !== undefined && (original.state === 'dead' || original.state === 'abandoned');
}

function ok(result: unknown): Sent {
  return { result, answer: 'ok' };
}
