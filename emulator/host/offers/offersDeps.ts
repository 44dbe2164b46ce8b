import type { Database } from 'better-sqlite3';
import type { preHandlerAsyncHookHandler, preHandlerHookHandler } from 'fastify';
import type { Fixtures } from '../fixtures.js';
import type { RetryPolicy, RetryScheduler } from './retryPolicy.js';
import type { WebhookTarget } from './webhookSender.js';

/** A fastify preHandler (callback or async style), e.g. the host's signature check. */
export type OffersAuthHook = preHandlerHookHandler | preHandlerAsyncHookHandler;

/** Webhook settings: the target plus test knobs. */
export interface OffersWebhookConfig extends WebhookTarget {
  /** Retry schedule. Default: 6 attempts, 200 ms doubling, capped at 10 s, 10 s per attempt. */
  policy?: Partial<RetryPolicy>;
  /** Timers for retries. Default: real, unref'd timers. */
  scheduler?: RetryScheduler;
}

/** What {@link registerOffers} needs from the host. */
export interface OffersDeps {
  /** The host's better-sqlite3 ledger; the plugin adds `offers_*` tables to it, idempotently. */
  db: Database;
  /** Guards `/terminal/offers` and `/terminal/offers/redeem` (same auth as the loyalty API). */
  authenticate: OffersAuthHook;
  /** Guards the programme endpoints (`/offers`, `/persons`, `/cards`...). Default: none. */
  authenticateAdmin?: OffersAuthHook;
  /** Seeds offers, card links and `merchantAliases`. */
  fixtures: Fixtures;
  /** Key for card fingerprints (HMAC-SHA256). Use the host's key so fingerprints match across the host. */
  hostKey: Uint8Array;
  /** The host's clock. */
  now: () => Date;
  /** Where `card_offer.redeemed` goes. Default: no webhooks (redemptions still work). */
  webhook?: OffersWebhookConfig;
}
