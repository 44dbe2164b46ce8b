import type { FastifyRequest } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OffersError } from '../../../protocol/offers/index.js';
import type { OffersAdmin } from './offersAdmin.js';
import type { OffersAuthHook } from './offersDeps.js';
import { offersErrorHandler } from './offersErrorHandler.js';
import type { OffersTerminal } from './offersTerminal.js';
import type { WebhookSender } from './webhookSender.js';

export interface OffersRoutesOptions {
  admin: OffersAdmin;
  terminal: OffersTerminal;
  /** Null when no webhook is configured. Closed with the app. */
  webhooks: WebhookSender | null;
  /** Guards the terminal endpoints. */
  authenticate: OffersAuthHook;
  /** Guards the programme endpoints. Default: none. */
  authenticateAdmin?: OffersAuthHook;
}

/** Path parameters are strings; what a card id may be is the catalog's rule, checked after authentication. */
const CardParams = z.object({ id: z.string() });
const RedemptionParams = z.object({ redemption_id: z.string() });

/** The parsed JSON body; anything not sent as `application/json` is 415 / E14. */
function jsonBody(req: FastifyRequest): unknown {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new OffersError('E14', 'Content-Type must be application/json');
  return req.body;
}

/**
 * The Pay with Points routes, in their own scope with the offers error
 * handler ({@link offersErrorHandler}: the offers catalog's bodies):
 * - `POST /offers`, `POST /persons`, `POST /cards`, `POST /cards/:id/offers` (201);
 * - `POST /terminal/offers`, `POST /terminal/offers/redeem`, `POST /terminal/offers/redemptions/:redemption_id/reversal`
 *   (200, behind `authenticate`; the last is the returns and voids extension);
 * - `GET /_emulator/webhooks` (delivery attempts).
 * Bodies are validated by the protocol's schemas (`protocol/offers/`) in
 * OffersAdmin and OffersTerminal, after authentication and the Content-Type
 * check, so a bad body is 1013 with one item per problem.
 */
export const offersRoutes: FastifyPluginAsyncZod<OffersRoutesOptions> = async (scope, { admin, terminal, webhooks, authenticate, authenticateAdmin }) => {
  // Its own compiler: the host's app sets the same one, but an app of a test or a library user may not.
  scope.setValidatorCompiler(validatorCompiler);
  scope.setErrorHandler(offersErrorHandler);
  scope.addHook('onClose', async () => {
    await webhooks?.close();
  });
  const adminAuth = authenticateAdmin ? { preHandler: authenticateAdmin } : {};
  const terminalAuth = { preHandler: authenticate };

  scope.post('/offers', adminAuth, async (req, reply) => reply.code(201).send(admin.createOffer(jsonBody(req))));
  scope.post('/persons', adminAuth, async (req, reply) => reply.code(201).send(admin.createPerson(jsonBody(req))));
  scope.post('/cards', adminAuth, async (req, reply) => reply.code(201).send(admin.createCard(jsonBody(req))));
  scope.post('/cards/:id/offers', { ...adminAuth, schema: { params: CardParams } }, async (req, reply) =>
    reply.code(201).send(admin.linkCardOffer(req.params.id, jsonBody(req))),
  );
  scope.post('/terminal/offers', terminalAuth, async (req) => terminal.lookup(jsonBody(req)));
  scope.post('/terminal/offers/redeem', terminalAuth, async (req) => terminal.redeem(jsonBody(req)));
  scope.post('/terminal/offers/redemptions/:redemption_id/reversal', { ...terminalAuth, schema: { params: RedemptionParams } }, async (req) =>
    terminal.reverseRedemption(req.params.redemption_id, jsonBody(req)),
  );
  scope.get('/_emulator/webhooks', async () => ({
    configured: webhooks !== null,
    ...(webhooks?.snapshot() ?? { deliveries: [], attempts: [] }),
  }));
};
