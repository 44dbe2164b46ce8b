import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CARD_OFFER_REDEEMED, cardOfferRedeemedEvent, OffersError } from '../../../protocol/offers/index.js';
import { OffersAdmin } from './offersAdmin.js';
import type { OffersDeps } from './offersDeps.js';
import { offersErrorHandler } from './offersErrorHandler.js';
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

interface IdParams {
  id: string;
}

/** The parsed JSON body; anything not sent as `application/json` is 415 / E14. */
function jsonBody(req: FastifyRequest): unknown {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new OffersError('E14', 'Content-Type must be application/json');
  return req.body;
}

/**
 * Adds Pay with Points to the host: creates the `offers_*` tables, seeds the
 * fixtures (synchronously, so a bad fixture fails start-up), and registers,
 * in an encapsulated scope with its own error handler:
 * - `POST /offers`, `POST /persons`, `POST /cards`, `POST /cards/:id/offers` (201);
 * - `POST /terminal/offers`, `POST /terminal/offers/redeem` (200, behind `deps.authenticate`);
 * - `GET /_emulator/webhooks` (delivery attempts).
 * Errors it does not own are rethrown to the host's error handler. Webhook
 * retries stop when the app closes.
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
  });

  void app.register(async (scope) => {
    scope.setErrorHandler(offersErrorHandler);
    scope.addHook('onClose', async () => {
      await webhooks?.close();
    });
    const adminAuth = deps.authenticateAdmin ? { preHandler: deps.authenticateAdmin } : {};
    const terminalAuth = { preHandler: deps.authenticate };

    scope.post('/offers', adminAuth, async (req, reply) => reply.code(201).send(admin.createOffer(jsonBody(req))));
    scope.post('/persons', adminAuth, async (req, reply) => reply.code(201).send(admin.createPerson(jsonBody(req))));
    scope.post('/cards', adminAuth, async (req, reply) => reply.code(201).send(admin.createCard(jsonBody(req))));
    scope.post<{ Params: IdParams }>('/cards/:id/offers', adminAuth, async (req, reply) =>
      reply.code(201).send(admin.linkCardOffer(req.params.id, jsonBody(req))),
    );
    scope.post('/terminal/offers', terminalAuth, async (req) => terminal.lookup(jsonBody(req)));
    scope.post('/terminal/offers/redeem', terminalAuth, async (req) => terminal.redeem(jsonBody(req)));
    scope.get('/_emulator/webhooks', async () => ({
      configured: webhooks !== null,
      ...(webhooks?.snapshot() ?? { deliveries: [], attempts: [] }),
    }));
  });

  return { store, webhooks };
}
