import { randomUUID } from 'node:crypto';
import { HostError, type HostClient } from '../host/index.js';
import { chooseMandates, earnedKept, earnedToTakeBack, type Mandate } from '../../protocol/loyalty/index.js';
import type { ClaimedOperation, EarnReversalPayload, OperationResult, QueuedOperation } from '../queue/index.js';

/** What the host said to one send that it answered: the result to keep, and whether a reversal found its original. */
export interface Sent {
  result: OperationResult;
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
  refusedReversals: (earnTransactionId: string) => readonly EarnReversalPayload[],
): Promise<Sent> {
  switch (op.kind) {
    case 'refund':
      if (notApplied(originalOf(op.payload.originalTransactionId))) return { result: { nothingToUndo: true }, answer: 'ok' };
      return ok(await host.refund({ card: op.card, originalTransactionId: op.payload.originalTransactionId, transactionId: op.transactionId, points: op.payload.points }));
    case 'earn-reversal': {
      const earn = originalOf(op.payload.originalTransactionId);
      if (notApplied(earn)) return { result: { nothingToUndo: true }, answer: 'ok' };
      const part = earnPart(op.payload, earn, () => refusedReversals(op.payload.originalTransactionId));
      // The earn applied, and this reversal has nothing of it to take (its share rounds to 0, or it credited nothing).
      if (part === 'nothing') return { result: { nothingToUndo: true, nothingLeft: true }, answer: 'ok' };
      const req = { card: op.card, originalTransactionId: op.payload.originalTransactionId, transactionId: op.transactionId };
      return ok(await host.reverseEarn(part === 'all' ? { ...req, repeat: sentBefore(op) } : { ...req, part, repeat: sentBefore(op) }));
    }
    case 'offer-reversal': {
      const original = originalOf(op.payload.originalTransactionId);
      const redemptionId = op.payload.redemptionId ?? redemptionOf(original);
      if (notApplied(original)) return { result: { nothingToUndo: true }, answer: 'ok' };
      if (redemptionId === undefined) {
        throw new HostError('HOST_ERR_REJECTED', 'offer reversal: the redemption id is not known (its answer was not kept)', { outcome: 'rejected', hostCode: 'redemption-unknown' });
      }
      return ok(await host.reverseOffer({ card: op.card, redemptionId, transactionId: op.transactionId }));
    }
    case 'earn':
      return ok(await host.earn({ card: op.card, transactionId: op.transactionId, amount: op.payload.amount, timeStamp: op.payload.timeStamp, repeat: sentBefore(op) }));
    case 'offer-redeem':
      return ok(
        await host.redeemOffer({ card: op.card, cardOfferId: op.payload.cardOfferId, transactionId: op.transactionId, amount: op.payload.amount }),
      );
    case 'reversal': {
      const result = await host.reverse({ card: op.card, originalTransactionId: op.payload.originalTransactionId, transactionId: op.transactionId, repeat: sentBefore(op) });
      return { result, answer: result.reversed === false ? 'original-not-found' : 'ok' };
    }
    case 'burn': {
      const p = op.payload;
      if (op.sentAt !== null && p.rewardTrxId !== undefined && p.mandates !== undefined) {
        try {
          return ok(await host.burn({ card: op.card, rewardTrxId: p.rewardTrxId, transactionId: op.transactionId, mandates: p.mandates }));
        } catch (err) {
          // Stale: REST L30; ISO 8583 answers it 30, the format error (refusalKind.ts).
          if (!(err instanceof HostError && err.outcome === 'rejected' && (err.refusal === 'stale-balance-enquiry' || err.refusal === 'format-error'))) throw err;
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
 * What of an applied earn to take back: `all` it has left, a worked-out part,
 * or `nothing` (its share rounds to 0 points, or it credited nothing, when the
 * host would refuse a reversal of all).
 * A share is worked out from the earn's credited points (its answer's
 * `earnedPoints`); without them it cannot be, and the reversal is refused
 * (dead-letter, for a technician) rather than guessed.
 *
 * A part's `kept` (ISO 8583 DE95: the host takes back all above it) is
 * planned as if every earlier return of the sale had gone through. So the
 * points of the earn's reversals the host never applied (`refused`: dead
 * rows, which retention never prunes) are added back: otherwise a
 * return after one the host refused took that one's points too, beyond what
 * its POS was told.
 */
function earnPart(
  p: EarnReversalPayload,
  earn: QueuedOperation | undefined,
  refused: () => readonly EarnReversalPayload[],
): 'all' | 'nothing' | { points: number; kept: number } {
  const credited = earn?.kind === 'earn' && earn.result !== null && 'earnedPoints' in earn.result ? earn.result.earnedPoints : undefined;
  let planned: { points: number; kept: number };
  if (p.part !== undefined) {
    planned = p.part;
  } else if (p.share === undefined) {
    return credited === 0 ? 'nothing' : 'all';
  } else {
    if (credited === undefined) {
      throw new HostError('HOST_ERR_REJECTED', 'earn reversal: the host did not say how many points the earn credited, so its share cannot be worked out', {
        outcome: 'rejected',
        hostCode: 'earned-points-unknown',
      });
    }
    planned = { points: earnedToTakeBack(credited, p.share), kept: earnedKept(credited, p.share) };
  }
  if (planned.points <= 0) return 'nothing';
  return { points: planned.points, kept: planned.kept + refused().reduce((sum, r) => sum + partPoints(r, credited), 0) };
}

/** The points an earn reversal asked for: its part, or its share of what the earn credited (0 when not known). */
function partPoints(p: EarnReversalPayload, credited: number | undefined): number {
  if (p.part !== undefined) return p.part.points;
  return p.share !== undefined && credited !== undefined ? earnedToTakeBack(credited, p.share) : 0;
}

/**
 * An earlier attempt of this operation may have reached the host, by what the store knows durably (its attempts,
 * its send time): the host client marks the resend a repeat (ISO 8583 0221, 0421).
 */
export function sentBefore(op: Pick<ClaimedOperation, 'attempts' | 'sentAt'>): boolean {
  return op.attempts > 0 || op.sentAt !== null;
}

/** The original of an undo never reached the host's books: refused or never sent (nothing to undo). */
function notApplied(original: QueuedOperation | undefined): boolean {
  return original !== undefined && (original.state === 'dead' || original.state === 'abandoned');
}

/** The host's id of an offer redemption, from its kept answer. */
function redemptionOf(original: QueuedOperation | undefined): string | undefined {
  return original?.kind === 'offer-redeem' && original.result !== null && 'redemptionId' in original.result ? original.result.redemptionId : undefined;
}

function ok(result: OperationResult): Sent {
  return { result, answer: 'ok' };
}
