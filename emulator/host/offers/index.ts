/** Pay with Points for the host emulator: register with {@link registerOffers}. */
export { registerOffers, type OffersHandle } from './plugin.js';
export type { OffersDeps, OffersAuthHook, OffersWebhookConfig } from './offersDeps.js';
export { OffersStore, type StoredOffer, type StoredCardOffer, type StoredRedemption } from './offersStore.js';
export { ensureOffersSchema } from './offersSchema.js';
export {
  WebhookSender,
  WebhookConfigError,
  type WebhookTarget,
  type WebhookAttempt,
  type WebhookDelivery,
  type DeliveryState,
  type WebhookSenderOptions,
} from './webhookSender.js';
export { DEFAULT_RETRY_POLICY, retryDelayMs, realScheduler, type RetryPolicy, type RetryScheduler } from './retryPolicy.js';
