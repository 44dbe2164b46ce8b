import type { FastifyInstance } from 'fastify';
import {
  CARD_OFFER_REDEEMED,
  CARD_OFFER_REDEMPTION_REVERSED,
  cardOfferRedeemedEvent,
  cardOfferRedemptionReversedEvent,
} from '../../../protocol/offers/index.js';
import { OffersAdmin } from './offersAdmin.js';
import type { OffersDeps } from './offersDeps.js';
import { offersRoutes } from './offersRoutes.js';
import { OffersStore } from './offersStore.js';
import { OffersTerminal } from './offersTerminal.js';
import { seedOfferFixtures } from './seedOfferFixtures.js';
import { WebhookSender } from './webhookSender.js';

/** What {@link registerOffers} hands back, for the host and for tests. */
export interface OffersHandle {
  store: OffersStore;
  /** Null when no webhook is configured. */
  webhooks: WebhookSender | null;
}

/**
 * Adds Pay with Points to the host: creates the `offers_*` tables, seeds the
 * fixtures (synchronously, so a bad fixture fails start-up), and registers
 * the {@link offersRoutes} plugin, an encapsulated scope with its own error
 * handler. Errors it does not own are rethrown to the host's error handler.
 * Webhook retries stop when the app closes.
 */
export function registerOffers(app: FastifyInstance, deps: OffersDeps): OffersHandle {
  const store = new OffersStore(deps.db);
  seedOfferFixtures(store, deps.fixtures, deps.hostKey, deps.now());
  const log = app.log.child({ component: 'offers' });
  const webhooks = deps.webhook
    ? new WebhookSender(deps.webhook, {
        now: deps.now,
        policy: deps.webhook.policy,
        scheduler: deps.webhook.scheduler,
        log: (fields, msg) => log.info(fields, msg),
      })
    : null;
  const admin = new OffersAdmin(store, deps.hostKey, deps.now);
  const terminal = new OffersTerminal(store, {
    hostKey: deps.hostKey,
    now: deps.now,
    merchantAliases: deps.fixtures.merchantAliases,
    onRedeemed: (data, at) => {
      if (webhooks === null) return;
      const id = webhooks.send(CARD_OFFER_REDEEMED, cardOfferRedeemedEvent(data, at));
      log.info({ webhookId: id, redemptionId: data.redemption_id }, 'webhook queued');
    },
    onReversed: (data, at) => {
      if (webhooks === null) return;
      const id = webhooks.send(CARD_OFFER_REDEMPTION_REVERSED, cardOfferRedemptionReversedEvent(data, at));
      log.info({ webhookId: id, redemptionId: data.redemption_id }, 'webhook queued');
    },
  });

  void app.register(offersRoutes, {
    admin,
    terminal,
    webhooks,
    authenticate: deps.authenticate,
    ...(deps.authenticateAdmin ? { authenticateAdmin: deps.authenticateAdmin } : {}),
  });

  return { store, webhooks };
}
