/** The agent's loyalty host clients: one {@link HostClient} interface, over REST (undici) or ISO 8583 (TCP). */
export {
  HostError,
  type HostClient, type HostErrorCode, type HostOutcome,
  type BalanceRequest, type BalanceResult, type BurnRequest, type BurnResult, type EarnRequest, type EarnResult,
  type OfferRedemption, type OffersRequest, type RedeemOfferRequest, type ReverseRequest, type ReverseResult, type TerminalOffer,
  type AdjustmentResult, type EarnReversalRequest, type OfferReversal, type OfferReversalRequest, type RefundRequest,
} from './hostClient.js';
export { createHostClient } from './createHostClient.js';
export { RestHostClient, type RestHostClientOptions, type HostProbe } from './restHostClient.js';
export { IsoHostClient, type IsoHostClientOptions } from './isoHostClient.js';
export { cardRefusalOf, declineReason } from './declineReason.js';
export { isCardRefusal, type CardRefusal } from '../../protocol/loyalty/index.js';
export type { RefusalKind } from '../../protocol/loyalty/index.js';
