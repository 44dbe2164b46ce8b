/** Pay with Points: contract types, validation, benefit rules, webhook signing. */
export type {
  OfferType,
  OfferValueType,
  OfferTerms,
  OfferSpec,
  CreateOfferRequest,
  CreateOfferResponse,
  CreatePersonRequest,
  CreatePersonResponse,
  CreateCardRequest,
  CreateCardResponse,
  LinkCardOfferRequest,
  LinkCardOfferResponse,
} from './offerContract.js';
export type {
  TerminalOffersRequest,
  TerminalOffer,
  TerminalOffersResponse,
  TerminalRedeemRequest,
  TerminalRedeemResponse,
  TerminalRedemptionReversalRequest,
  TerminalRedemptionReversalResponse,
} from './terminalContract.js';
export { computeBenefit } from './computeBenefit.js';
export { offerAvailability, utcDay, type OfferAvailability, type AvailabilityInput } from './offerAvailability.js';
export { OFFERS_ERROR_CATALOG, offersStatusOf, type OffersWireCode, type OffersCatalogEntry } from './offersErrorCatalog.js';
export { OffersError, offersErrorBody, type OffersErrorBody, type OffersErrorItem } from './offersError.js';
export { parseBody } from './parseBody.js';
export { offerSpecSchema, createOfferSchema, createPersonSchema, createCardSchema, linkCardOfferSchema } from './offerSchemas.js';
export {
  terminalOffersSchema,
  terminalRedeemSchema,
  terminalOffersResponseSchema,
  terminalRedeemResponseSchema,
  terminalRedemptionReversalSchema,
  terminalRedemptionReversalResponseSchema,
} from './terminalSchemas.js';
export {
  CARD_OFFER_REDEEMED,
  cardOfferRedeemedEvent,
  type CardOfferRedeemedData,
  type CardOfferRedeemedEvent,
  CARD_OFFER_REDEMPTION_REVERSED,
  cardOfferRedemptionReversedEvent,
  type CardOfferRedemptionReversedData,
  type CardOfferRedemptionReversedEvent,
} from './webhookEvent.js';
export {
  signWebhook,
  verifyWebhook,
  parseWebhookSecret,
  WebhookSignatureError,
  WEBHOOK_TOLERANCE_S,
  type WebhookHeaders,
  type WebhookSignatureErrorCode,
  type IncomingHeaders,
} from './webhookSignature.js';
