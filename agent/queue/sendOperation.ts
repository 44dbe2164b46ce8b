import { randomUUID } from 'node:crypto';
import { HostError, type HostClient } from '../host/index.js';
import { chooseMandates, type Mandate } from '../../protocol/loyalty/index.js';
import type { ClaimedOperation } from './queueTypes.js';

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
): Promise<Sent> {
  switch (op.kind) {
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

function ok(result: unknown): Sent {
  return { result, answer: 'ok' };
}
