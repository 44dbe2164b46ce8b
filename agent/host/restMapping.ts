import type * as Loyalty from '../../protocol/loyalty/index.js';
import type * as Offers from '../../protocol/offers/index.js';
import type {
  BalanceRequest, BalanceResult, BurnRequest, BurnResult, EarnRequest, EarnResult, OfferRedemption, OffersRequest,
  RedeemOfferRequest, ReverseRequest, ReverseResult, TerminalOffer,
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
  }));
}

export function offerRedemptionOf(r: Offers.TerminalRedeemResponse): OfferRedemption {
  return { redemptionId: r.redemption_id, type: r.type, benefit: r.benefit };
}
