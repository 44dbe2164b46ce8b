import type { FastifyReply, FastifyRequest } from 'fastify';
import { validatorCompiler, type FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CheckoutError, StageTimes, type CheckoutService } from '../checkout/index.js';
import type { AgentControl } from './agentControl.js';
import { apiErrorBody } from './apiError.js';
import { plainJsonSerializer } from './plainJsonSerializer.js';
import { BalanceQuery, CheckoutBody, EarningBody, FlushBody, OperationParams, QueueQuery, RedemptionBody, ReturnBody, VoidBody } from './requestSchemas.js';
import {
  ApiErrorBodySchema,
  BalanceViewSchema,
  CheckoutResultSchema,
  EarningResultSchema,
  FlushResultSchema,
  HealthSchema,
  NoCardResultSchema,
  OperationLookupSchema,
  QueueListSchema,
  RedemptionResultSchema,
  UndoResultSchema,
} from './responseSchemas.js';

/** The checkout as the POS API drives it. */
export type PosCheckout = Pick<CheckoutService, 'redeem' | 'earn' | 'checkout' | 'balance' | 'operation' | 'undo'>;

export interface PosRoutesOptions {
  checkout: PosCheckout;
  control: AgentControl;
}

/** What every card operation says about its `reference` (the OpenAPI description). */
const IDEMPOTENCY =
  '`reference` is the idempotency key, unique per terminal, stored with the operation before anything is sent. ' +
  'The same reference with the same body (timeoutMs aside) returns the recorded answer: no swipe, no host call, also after a restart; ' +
  'while the first call still runs, the retry waits for it (409 `operation-in-progress` past its own timeoutMs). ' +
  'The same reference with another body gets 409 `reference-conflict` and nothing is sent. ' +
  'An outcome where nothing reached the host (no card before the deadline, reader unplugged or busy, host unreachable before sending) is not final ' +
  'and the reference may be used again; every other outcome is final. A reference that holds a card number (any 13-19 digits passing Luhn, separators ignored, also inside a longer reference) is refused with 400. ' +
  'A POS that hangs up cancels nothing already sent: ask GET /v1/operations/{reference}.';
const CARD_READ =
  'It arms the reader and waits for a card, at most `timeoutMs` (100-600000 ms; the agent\'s default otherwise). ' +
  'The answer\'s `Server-Timing` header says where the time went, in ms, each stage from the end of the one before: `arm`, `card`, and for a burn `balance`, `durable` (inside `balance`), `burn`, `commit`, then `answer`.';

/** The error answers every body-taking route can give. */
const bodyErrors = {
  400: ApiErrorBodySchema.describe('E37: the body is not what the schema says (the message names the first bad field: missing, of the wrong type, out of range, or unknown), or empty; E32: malformed JSON.'),
  413: ApiErrorBodySchema.describe('E37: the body is over 16 KiB.'),
  415: ApiErrorBodySchema.describe('E14: the body is not sent as application/json (any other Content-Type, text/plain included).'),
};
/** A query refused by its schema. */
const queryError = ApiErrorBodySchema.describe('E37: a query parameter of the wrong type or out of its range, or one the route does not name (the message names it).');
const cardErrors = {
  409: ApiErrorBodySchema.describe('`reader-busy` (another card operation runs), `reference-conflict` or `operation-in-progress`.'),
  500: ApiErrorBodySchema.describe('E21: internal error (logged).'),
  503: ApiErrorBodySchema.describe('The queue cannot be written or read (its storage code); nothing was accepted. Retry once the store is back.'),
};
/** The routes that read the queue's file: it may fail as in a card operation. */
const storageError = ApiErrorBodySchema.describe('The queue cannot be read or written (its storage code). Retry once the store is back.');

/**
 * The routes of the local POS API (DESIGN.md, "Agent local POS API"), each
 * with its request schema (`requestSchemas.ts`): a request the schema refuses
 * never reaches the checkout, and leaves through the app's error handler as
 * 400 E37. A POS that disconnects mid-read cancels the read (the reader is disarmed).
 *
 * The response schemas (`responseSchemas.ts`) document the answers in the
 * OpenAPI document; answers are sent as plain JSON, never reshaped by them
 * (`plainJsonSerializer.ts`).
 */
export const posRoutes: FastifyPluginCallbackZod<PosRoutesOptions> = (app, { checkout, control }, done) => {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(plainJsonSerializer);
  app.addHook('onSend', async (req, reply, payload) => {
    const stages = stagesOf.get(req);
    if (stages) {
      stages.mark('answer');
      void reply.header('server-timing', stages.serverTiming());
    }
    return payload;
  });

  app.post(
    '/v1/redemptions',
    {
      schema: {
        operationId: 'redeemPoints',
        tags: ['card'],
        summary: 'Burn points from the swiped card',
        description: `${CARD_READ} Then balance → burn. Offline, within the terminal's limits, it approves and queues the burn (\`queued: true\`).\n\n${IDEMPOTENCY}`,
        body: RedemptionBody,
        response: { 200: RedemptionResultSchema.describe('The outcome: approved (with the points debited), or why not. `timeout`, `unavailable` without a transactionId: nothing reached the host.'), ...bodyErrors, ...cardErrors },
      },
    },
    async (req, reply) => card(req, reply, (signal, stages) => checkout.redeem(req.body, signal, stages)),
  );
  app.post(
    '/v1/earnings',
    {
      schema: {
        operationId: 'earnPoints',
        tags: ['card'],
        summary: 'Earn points on a purchase amount',
        description: `${CARD_READ} It answers \`accepted\` after the durable write; \`queued\` says whether the host has it yet.\n\n${IDEMPOTENCY}`,
        body: EarningBody,
        response: { 200: z.union([EarningResultSchema, NoCardResultSchema]).describe('`accepted` once written to the durable queue; or why no card came (not final).'), ...bodyErrors, ...cardErrors },
      },
    },
    async (req, reply) => card(req, reply, (signal, stages) => checkout.earn(req.body, signal, stages)),
  );
  app.post(
    '/v1/checkout',
    {
      schema: {
        operationId: 'checkout',
        tags: ['card'],
        summary: 'One card read, then offer → optional burn → earn on the rest',
        description: `${CARD_READ} It answers with every step's result and what the customer still pays.\n\n${IDEMPOTENCY}`,
        body: CheckoutBody,
        response: { 200: z.union([CheckoutResultSchema, NoCardResultSchema]).describe('Every step\'s result and the amount due; or why no card came (not final).'), ...bodyErrors, ...cardErrors },
      },
    },
    async (req, reply) => card(req, reply, (signal, stages) => checkout.checkout(req.body, signal, stages)),
  );
  const UNDO =
    'The customer swipes the sale\'s card again (another card: `card-mismatch`). Points redeemed on the sale are given back and points earned taken back, ' +
    'pro rata for a return, rounded in the customer\'s favour by at most one point; an offer is reversed when what is kept no longer meets its minimum spend. ' +
    'Steps the host cannot take now wait in the durable queue (`queued`).';
  app.post(
    '/v1/voids',
    {
      schema: {
        operationId: 'voidSale',
        tags: ['card'],
        summary: 'Void a whole sale (what is left of it)',
        description: `${CARD_READ} ${UNDO}\n\n${IDEMPOTENCY}`,
        body: VoidBody,
        response: { 200: UndoResultSchema.describe('`accepted` with each step\'s part, or why not (`sale-not-found`, `card-mismatch`, ...).'), ...bodyErrors, ...cardErrors },
      },
    },
    async (req, reply) => card(req, reply, (signal, stages) => checkout.undo({ kind: 'void', ...req.body }, signal, stages)),
  );
  app.post(
    '/v1/returns',
    {
      schema: {
        operationId: 'returnSale',
        tags: ['card'],
        summary: 'Return an amount of a sale',
        description: `${CARD_READ} ${UNDO} The returns of a sale never add up to more than the sale (\`return-exceeds-sale\`).\n\n${IDEMPOTENCY}`,
        body: ReturnBody,
        response: { 200: UndoResultSchema.describe('`accepted` with each step\'s part and what is left to return, or why not.'), ...bodyErrors, ...cardErrors },
      },
    },
    async (req, reply) => card(req, reply, (signal, stages) => checkout.undo({ kind: 'return', ...req.body }, signal, stages)),
  );
  app.get(
    '/v1/balance',
    {
      schema: {
        operationId: 'getBalance',
        tags: ['card'],
        summary: 'The swiped card\'s accounts',
        description: `${CARD_READ} Not recorded: a balance has no reference.`,
        querystring: BalanceQuery,
        response: { 200: BalanceViewSchema.describe('The card\'s accounts, or why they could not be read.'), 400: queryError, ...cardErrors },
      },
    },
    async (req, reply) => card(req, reply, (signal, stages) => checkout.balance(req.query, signal, stages)),
  );
  app.get(
    '/v1/operations/:reference',
    {
      schema: {
        operationId: 'getOperation',
        tags: ['card'],
        summary: 'The recorded outcome of a card operation',
        description: 'For a POS that lost the answer. 404 `unknown-reference` when nothing final was recorded: the reference was never used, or nothing reached the host (it may be used again).',
        params: OperationParams,
        response: {
          200: OperationLookupSchema.describe('The recorded answer and the operations it started, with their queue states.'),
          400: ApiErrorBodySchema.describe('E37: not a valid reference (empty, over 64 characters, not printable ASCII, or holding a card number).'),
          404: ApiErrorBodySchema.describe('`unknown-reference`.'),
          503: storageError,
        },
      },
    },
    async (req, reply) => {
      const { reference } = req.params;
      const found = checkout.operation(reference);
      if (!found) {
        return reply
          .code(404)
          .send(apiErrorBody('unknown-reference', `no final outcome for reference ${reference}: it was never used, or nothing reached the host (it may be used again)`));
      }
      return found;
    },
  );
  app.get(
    '/v1/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['monitoring'],
        summary: 'Can the terminal take sales?',
        description: '200 when it can (offline included, within its rules); 503 when it cannot, with `reasons`.',
        response: { 200: HealthSchema.describe('It can take sales.'), 503: HealthSchema.describe('It cannot: see `reasons`.') },
      },
    },
    async (_req, reply) => {
      const h = control.health();
      return reply.code(h.status === 'ok' ? 200 : 503).send(h);
    },
  );
  app.get(
    '/v1/queue',
    {
      schema: {
        operationId: 'listQueue',
        tags: ['queue'],
        summary: 'The store-and-forward queue',
        description: 'Counts, the forwarder\'s counters, and the items (masked cards), newest first; `limit` 1-500.',
        querystring: QueueQuery,
        response: { 200: QueueListSchema.describe('The queue\'s counts, the forwarder\'s counters and the items asked for.'), 400: queryError, 503: storageError },
      },
    },
    // AgentControl answers `unknown` (its fakes in tests answer less); the contract test checks the real answer against the schema.
    async (req) => control.listQueue(req.query) as z.infer<typeof QueueListSchema>,
  );
  app.post(
    '/v1/queue/flush',
    {
      schema: {
        operationId: 'flushQueue',
        tags: ['queue'],
        summary: 'Forward the queue now',
        description: 'Sends every due and waiting item at once and answers what happened to them. It takes no body (and no Content-Type), an empty JSON object or `null`; a field or an array is refused with 400.',
        body: FlushBody,
        response: { 200: FlushResultSchema.describe('What the flush sent, what failed, what went dead; the counts after it.'), ...bodyErrors, 503: storageError },
      },
    },
    async () => (await control.flushQueue()) as z.infer<typeof FlushResultSchema>,
  );
  done();
};

/** The stages of each card operation in flight, for its Server-Timing header. */
const stagesOf = new WeakMap<FastifyRequest, StageTimes>();

/** Runs a card operation, cancelling it when the POS connection closes first, and times its stages. */
async function card<T>(req: FastifyRequest, reply: FastifyReply, run: (signal: AbortSignal, stages: StageTimes) => Promise<T>): Promise<T | FastifyReply> {
  const ac = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) ac.abort();
  };
  reply.raw.on('close', onClose);
  const stages = new StageTimes();
  const now = performance.now();
  stages.startAt(now - reply.elapsedTime); // the request's arrival
  stagesOf.set(req, stages);
  try {
    return await run(ac.signal, stages);
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
