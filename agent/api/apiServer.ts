import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { CheckoutError, type CheckoutService } from '../checkout/checkoutService.js';
import { QueueError, STORAGE_ERROR_CODES, type OperationState } from '../queue/index.js';
import { maskPanLike } from '../../protocol/pan.js';
import { formatHostPort } from '../config/index.js';
import { apiErrorBody } from './apiError.js';
import { BalanceQuery, CheckoutBody, EarningBody, OperationParams, QueueQuery, RedemptionBody, firstIssue } from './requestSchemas.js';

export interface Health {
  /** `ok` when the terminal can take sales (offline included, within its rules); `unavailable` answers 503. */
  status: 'ok' | 'unavailable';
  /** Why it cannot, as stable codes (`queue-not-writable:QUEUE_ERR_FULL`, ...). */
  reasons: string[];
  reader: 'connected' | 'disconnected';
  host: 'online' | 'offline';
  queue: { pending: number; dead: number; oldestAgeS: number };
}

/** What the API needs besides the checkout: read-only views and the flush button. */
export interface AgentControl {
  health(): Health;
  listQueue(q: { state?: OperationState; limit?: number; offset?: number }): unknown;
  flushQueue(): Promise<unknown>;
}

export interface ApiOptions {
  checkout: CheckoutService;
  control: AgentControl;
  logger: Logger;
  /** host:port, loopback only (validated by the config). */
  listen: { host: string; port: number };
}

/**
 * The local POS API (DESIGN.md, "Agent local POS API"). Loopback only.
 * A POS that disconnects mid-read cancels the read (the reader is disarmed).
 */
export async function startApi(opts: ApiOptions): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  const log = opts.logger.child({ component: 'api' });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
      return reply.code(400).send(apiErrorBody('E32', 'JSON data is badly formatted'));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send(apiErrorBody('E14', 'send the body as application/json'));
    }
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.code(400).send(apiErrorBody('E37', 'the request body is empty; send a JSON object'));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(apiErrorBody('E37', 'the request body is too large'));
    }
    if (err instanceof QueueError && STORAGE_ERROR_CODES.has(err.code)) {
      // Nothing was accepted or approved that was not written: the POS may retry once the store is back.
      return reply.code(503).send(apiErrorBody(err.code, err.message));
    }
    if (err instanceof CheckoutError && err.code === 'CHECKOUT_ERR_BUSY') {
      return reply.code(409).send(apiErrorBody('reader-busy', err.message));
    }
    if (err instanceof CheckoutError && err.code === 'CHECKOUT_ERR_REFERENCE_CONFLICT') {
      return reply.code(409).send(apiErrorBody('reference-conflict', err.message));
    }
    if (err instanceof CheckoutError && err.code === 'CHECKOUT_ERR_IN_PROGRESS') {
      return reply.code(409).send(apiErrorBody('operation-in-progress', err.message));
    }
    log.error({ err }, 'request failed');
    return reply.code(500).send(apiErrorBody('E21', 'internal error; see the agent log'));
  });
  app.setNotFoundHandler((req, reply) => {
    // The path is the caller's text: a card number typed into a URL is masked, never echoed.
    const raw = req.url.split('?')[0] ?? '';
    let path: string;
    try {
      path = decodeURIComponent(raw);
    } catch {
      path = raw;
    }
    path = maskPanLike(path).slice(0, 200);
    reply.code(404).send(apiErrorBody('not-found', `no route ${req.method} ${path}`));
  });

  app.post('/v1/redemptions', async (req, reply) => {
    const body = parse(RedemptionBody, req.body, reply);
    if (!body) return reply;
    return card(req, reply, (signal) => opts.checkout.redeem(body, signal));
  });
  app.post('/v1/earnings', async (req, reply) => {
    const body = parse(EarningBody, req.body, reply);
    if (!body) return reply;
    return card(req, reply, (signal) => opts.checkout.earn(body, signal));
  });
  app.post('/v1/checkout', async (req, reply) => {
    const body = parse(CheckoutBody, req.body, reply);
    if (!body) return reply;
    return card(req, reply, (signal) => opts.checkout.checkout(body, signal));
  });
  app.get('/v1/balance', async (req, reply) => {
    const q = parse(BalanceQuery, req.query, reply);
    if (!q) return reply;
    return card(req, reply, (signal) => opts.checkout.balance(q, signal));
  });
  app.get('/v1/operations/:reference', async (req, reply) => {
    const p = parse(OperationParams, req.params, reply);
    if (!p) return reply;
    const found = opts.checkout.operation(p.reference);
    if (!found) {
      return reply
        .code(404)
        .send(apiErrorBody('unknown-reference', `no final outcome for reference ${p.reference}: it was never used, or nothing reached the host (it may be used again)`));
    }
    return found;
  });
  app.get('/v1/health', async (_req, reply) => {
    const h = opts.control.health();
    return reply.code(h.status === 'ok' ? 200 : 503).send(h);
  });
  app.get('/v1/queue', async (req, reply) => {
    const q = parse(QueueQuery, req.query, reply);
    if (!q) return reply;
    return opts.control.listQueue(q);
  });
  app.post('/v1/queue/flush', async () => opts.control.flushQueue());

  await app.listen({ host: opts.listen.host, port: opts.listen.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.listen.port;
  return { app, url: `http://${formatHostPort({ host: opts.listen.host, port })}` };
}

function parse<T>(schema: z.ZodType<T>, input: unknown, reply: FastifyReply): T | undefined {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  reply.code(400).send(apiErrorBody('E37', firstIssue(r.error)));
  return undefined;
}

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
