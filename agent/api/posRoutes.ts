import type { FastifyReply, FastifyRequest } from 'fastify';
import { validatorCompiler, type FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { CheckoutError, type CheckoutService } from '../checkout/index.js';
import type { AgentControl } from './agentControl.js';
import { apiErrorBody } from './apiError.js';
import { BalanceQuery, CheckoutBody, EarningBody, OperationParams, QueueQuery, RedemptionBody, ReturnBody, VoidBody } from './requestSchemas.js';

/** The checkout as the POS API drives it. */
export type PosCheckout = Pick<CheckoutService, 'redeem' | 'earn' | 'checkout' | 'balance' | 'operation' | 'undo'>;

export interface PosRoutesOptions {
  checkout: PosCheckout;
  control: AgentControl;
}

/**
 * The routes of the local POS API (DESIGN.md, "Agent local POS API"), each
 * with its request schema (`requestSchemas.ts`): a request the schema refuses
 * never reaches the checkout, and leaves through the app's error handler as
 * 400 E37. A POS that disconnects mid-read cancels the read (the reader is disarmed).
 */
export const posRoutes: FastifyPluginCallbackZod<PosRoutesOptions> = (app, { checkout, control }, done) => {
  app.setValidatorCompiler(validatorCompiler);

  app.post('/v1/redemptions', { schema: { body: RedemptionBody } }, async (req, reply) =>
    card(req, reply, (signal) => checkout.redeem(req.body, signal)),
  );
  app.post('/v1/earnings', { schema: { body: EarningBody } }, async (req, reply) =>
    card(req, reply, (signal) => checkout.earn(req.body, signal)),
  );
  app.post('/v1/checkout', { schema: { body: CheckoutBody } }, async (req, reply) =>
    card(req, reply, (signal) => checkout.checkout(req.body, signal)),
  );
  app.post('/v1/voids', { schema: { body: VoidBody } }, async (req, reply) =>
    card(req, reply, (signal) => checkout.undo({ kind: 'void', ...req.body }, signal)),
  );
  app.post('/v1/returns', { schema: { body: ReturnBody } }, async (req, reply) =>
    card(req, reply, (signal) => checkout.undo({ kind: 'return', ...req.body }, signal)),
  );
  app.get('/v1/balance', { schema: { querystring: BalanceQuery } }, async (req, reply) =>
    card(req, reply, (signal) => checkout.balance(req.query, signal)),
  );
  app.get('/v1/operations/:reference', { schema: { params: OperationParams } }, async (req, reply) => {
    const { reference } = req.params;
    const found = checkout.operation(reference);
    if (!found) {
      return reply
        .code(404)
        .send(apiErrorBody('unknown-reference', `no final outcome for reference ${reference}: it was never used, or nothing reached the host (it may be used again)`));
    }
    return found;
  });
  app.get('/v1/health', async (_req, reply) => {
    const h = control.health();
    return reply.code(h.status === 'ok' ? 200 : 503).send(h);
  });
  app.get('/v1/queue', { schema: { querystring: QueueQuery } }, async (req) => control.listQueue(req.query));
  app.post('/v1/queue/flush', async () => control.flushQueue());
  done();
};

/** Runs a card operation, cancelling it when the POS connection closes first. */
async function card<T>(req: FastifyRequest, reply: FastifyReply, run: (signal: AbortSignal) => Promise<T>): Promise<T | FastifyReply> {
  const ac = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) ac.abort();
  };
  reply.raw.on('close', onClose);
  try {
    return await run(ac.signal);
  } catch (err) {
    if (err instanceof CheckoutError && err.code === 'CHECKOUT_ERR_ABORTED') {
      req.log.info('POS disconnected; read cancelled');
      return reply; // nobody is listening any more
    }
    throw err;
  } finally {
    reply.raw.off('close', onClose);
  }
}
