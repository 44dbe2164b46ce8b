import { randomUUID } from 'node:crypto';
import { HostError, type HostClient } from '../host/hostClient.js';
import { type Mandate } from '../../protocol/loyalty/mandate.js';
import { chooseMandates } from '../../protocol/loyalty/mandate.js';
import type { BurnPayload, ClaimedOperation, EarnPayload, OfferRedeemPayload, ReversalPayload } from './queueTypes.js';

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
): Promise<unknown> {
  switch (op.kind) {
    case 'earn': {
      const p = op.payload as EarnPayload;
      return host.earn({ card: op.card, transactionId: op.transactionId, amount: p.amount, timeStamp: p.timeStamp });
    }
    case 'offer-redeem': {
      const p = op.payload as OfferRedeemPayload;
      return host.redeemOffer({ card: op.card, cardOfferId: p.cardOfferId, transactionId: op.transactionId, amount: p.amount });
    }
    case 'reversal': {
      const p = op.payload as ReversalPayload;
      return host.reverse({ card: op.card, originalTransactionId: p.originalTransactionId, transactionId: op.transactionId });
    }
    case 'burn': {
      const p = op.payload as BurnPayload;
      if (op.sentAt !== null && p.rewardTrxId !== undefined && p.mandates !== undefined) {
        try {
          return await host.burn({ card: op.card, rewardTrxId: p.rewardTrxId, transactionId: op.transactionId, mandates: p.mandates });
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
      return host.burn({ card: op.card, rewardTrxId: bal.rewardTrxId, transactionId: op.transactionId, mandates });
    }
  }
}
