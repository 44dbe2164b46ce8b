import type * as Loyalty from '../../protocol/loyalty/index.js';
import type * as Offers from '../../protocol/offers/index.js';
import type {
  BalanceRequest, BalanceResult, BurnRequest, BurnResult, EarnRequest, EarnResult, OfferRedemption, OffersRequest,
  RedeemOfferRequest, ReverseRequest, ReverseResult, TerminalOffer, RefundRequest, EarnReversalRequest, AdjustmentResult,
  OfferReversalRequest, OfferReversal,
} from './hostClient.js';

/*
 * The one place where the agent's domain (hostClient.ts: integers, camelCase)
 * meets the REST wire (protocol/loyalty/contract.ts, protocol/offers/
 * terminalContract.ts: the seed's string amounts and snake_case offers).
 * Requests: domain → contract body. Answers: contract body, already checked by
 * the response schemas (integer strings, string ids), → domain.
 */

/** The terminal's identity, as every request carries it. */
type TerminalIds = Pick<Loyalty.BalanceHeaders, 'merchantId' | 'terminalId'>;

// Requests

/** `GET rewards`: the card and the terminal travel as headers, never in the URL. */
export function balanceHeaders(ids: TerminalIds, req: BalanceRequest): Loyalty.BalanceHeaders {
  return { ...ids, PAN: req.card.pan, expiryDate: req.card.expiry };
}

/** `GET rewards` query, in the wire's order. */
export function balanceQuery(req: BalanceRequest, timeStamp: string): string {
  const q: Loyalty.BalanceQuery = { timeStamp, transactionId: req.transactionId };
  return new URLSearchParams([['timeStamp', q.timeStamp], ['transactionId', q.transactionId]]).toString();
}

export function earnBody(ids: TerminalIds, req: EarnRequest): Loyalty.EarnRequest {
  return { ...ids, pan: req.card.pan, expiryDate: req.card.expiry, timeStamp: req.timeStamp, transactionId: req.transactionId, amount: String(req.amount) };
}

export function redeemBody(ids: TerminalIds, req: BurnRequest): Loyalty.RedeemRequest {
  const redemptionMandates = req.mandates.map((m): Loyalty.RedemptionMandate => ({ accountId: m.accountId, accountType: m.accountType, debit: String(m.debit) }));
  return { rewardTrxId: req.rewardTrxId, transactionId: req.transactionId, ...ids, redemptionMandates };
}

/** The reversal's own id; the original's is in the path. */
export function reversalBody(ids: TerminalIds, req: ReverseRequest): Loyalty.ReversalRequest {
  return { transactionId: req.transactionId, ...ids };
}

/** A refund's own id and points; the burn's id is in the path. */
export function refundBody(ids: TerminalIds, req: RefundRequest): Loyalty.RefundRequest {
  return { transactionId: req.transactionId, points: String(req.points), ...ids };
}

/** An earn reversal's own id and, for a part, the points; the earn's id is in the path. */
export function earnReversalBody(ids: TerminalIds, req: EarnReversalRequest): Loyalty.EarnReversalRequest {
  return { transactionId: req.transactionId, ...(req.part === undefined ? {} : { points: String(req.part.points) }), ...ids };
}

export function offerReversalBody(ids: TerminalIds, req: OfferReversalRequest): Offers.TerminalRedemptionReversalRequest {
  return { transactionId: req.transactionId, ...ids };
}

export function offersBody(ids: TerminalIds, req: OffersRequest): Offers.TerminalOffersRequest {
  return { ...ids, pan: req.card.pan, expiryDate: req.card.expiry, amount: req.amount };
}

export function redeemOfferBody(ids: TerminalIds, req: RedeemOfferRequest): Offers.TerminalRedeemRequest {
  return { card_offer_id: req.cardOfferId, ...ids, transactionId: req.transactionId, amount: req.amount, pan: req.card.pan, expiryDate: req.card.expiry };
}

// Answers

export function balanceResultOf(r: Loyalty.BalanceResponse): BalanceResult & EarnResult {
  return {
    rewardTrxId: r.rewardTrxId,
    accounts: r.accounts.map((a) => ({ accountId: a.accountId, accountName: a.accountName, accountType: a.accountType, availableBalance: Number(a.availableBalance) })),
  };
}

export function earnResultOf(r: Loyalty.EarnResponse): EarnResult {
  return { ...balanceResultOf(r), ...(r.earnedPoints === undefined ? {} : { earnedPoints: Number(r.earnedPoints) }) };
}

export function adjustmentOf(r: { points: string; remaining: string }): AdjustmentResult {
  return { points: Number(r.points), remaining: Number(r.remaining) };
}

export function offerReversalOf(r: Offers.TerminalRedemptionReversalResponse): OfferReversal {
  return { redemptionId: r.redemption_id, benefit: r.benefit };
}

export function burnResultOf(r: Loyalty.RedeemResponse): BurnResult {
  return {
    rewardTrxId: r.rewardTrxId,
    accounts: r.accounts.map((a) => ({ accountId: a.accountId, accountType: a.accountType, debit: Number(a.debit), balance: Number(a.balance) })),
  };
}

export function reverseResultOf(r: Pick<Loyalty.ReversalResponse, 'reversed'>): ReverseResult {
  return { reversed: r.reversed };
}

export function terminalOffersOf(r: Offers.TerminalOffersResponse): TerminalOffer[] {
  return r.offers.map((o) => ({
    cardOfferId: o.card_offer_id,
    offerId: o.offer_id,
    displayText: o.display_text,
    type: o.type,
    value: o.value,
    valueType: o.value_type,
    benefit: o.benefit,
    minSpend: o.min_spend ?? 0,
  }));
}

export function offerRedemptionOf(r: Offers.TerminalRedeemResponse): OfferRedemption {
  return { redemptionId: r.redemption_id, type: r.type, benefit: r.benefit };
}
