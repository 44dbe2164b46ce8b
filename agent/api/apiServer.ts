import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { Logger } from 'pino';
import { maskPanLike } from '../../protocol/index.js';
import { formatHostPort, OPENABLE_ROUTES } from '../config/index.js';
import type { AgentControl } from './agentControl.js';
import { apiErrorBody } from './apiError.js';
import { apiErrorHandler } from './apiErrorHandler.js';
import { bearerAuth } from './bearerAuth.js';
import { hostCheck } from './hostCheck.js';
import { posRoutes, type PosCheckout } from './posRoutes.js';
import { RequestLogController } from './requestLogController.js';
import { metricsRoute } from './metricsRoute.js';
import { registerOpenApi } from './openApiDocument.js';
import { plainJsonSerializer } from './plainJsonSerializer.js';
import type { AgentMetrics } from '../metrics/index.js';

export type { AgentControl, Health } from './agentControl.js';

export interface ApiOptions {
  checkout: PosCheckout;
  control: AgentControl;
  /** The agent's logger: the API logs one line per request under `component: 'api'` (no bodies, no headers). */
  logger: Logger;
  /** host:port, loopback only (validated by the config). */
  listen: { host: string; port: number };
  /** Serves `GET /metrics` and counts every request. Default: no metrics route. */
  metrics?: AgentMetrics;
  /** The bearer token every route but {@link ApiOptions.openRoutes} requires (`api.tokenFile`). Default: none, every route open. */
  token?: string;
  /** Routes answered without the token. Default `/v1/health` and `/metrics`. */
  openRoutes?: readonly string[];
}

/** Largest request body, bytes. Bigger bodies get 413 E37. */
const BODY_LIMIT = 16 * 1024;

/**
 * The local POS API (DESIGN.md, "Agent local POS API"). Loopback only. Every
 * request first passes the `Host` check ({@link hostCheck}, 421), then, with
 * a token, the bearer check ({@link bearerAuth}, 401). The routes are one
 * plugin ({@link posRoutes}); every error leaves through
 * {@link apiErrorHandler} in the host's error shape.
 */
export async function startApi(opts: ApiOptions): Promise<{ app: FastifyInstance; url: string }> {
  const log = opts.logger.child({ component: 'api' });
  // Seen as fastify's logger interface, so the app is a plain FastifyInstance (pino's Logger is one).
  const loggerInstance: FastifyBaseLogger = log;
  // Only the documented methods are served: no HEAD twin of each GET route (the OpenAPI document names none).
  const app = Fastify({
    loggerInstance,
    logController: new RequestLogController(),
    bodyLimit: BODY_LIMIT,
    exposeHeadRoutes: false,
    // Longer than any request line Node reads (16 KiB of headers): a long path parameter reaches the guards and
    // then its route's schema (400), instead of the router's own 414.
    routerOptions: { maxParamLength: 16 * 1024 },
    frameworkErrors: routerRefusal,
  });
  // Bodies are JSON only: any other Content-Type (text/plain included) is 415 E14, as the OpenAPI document says.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler(apiErrorHandler(log));
  app.setSerializerCompiler(plainJsonSerializer);
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
  // First: it documents every route registered after it (GET /openapi.json).
  await registerOpenApi(app, opts.listen);
  // Not encapsulated, and first: their onRequest hooks guard every route, the 404s included.
  await app.register(fastifyPlugin(hostCheck), { host: opts.listen.host, port: opts.listen.port });
  if (opts.token !== undefined) await app.register(fastifyPlugin(bearerAuth), { token: opts.token, openRoutes: opts.openRoutes ?? OPENABLE_ROUTES });
  // Not encapsulated: its onResponse hook counts the requests of every route, the 404s included.
  if (opts.metrics) await app.register(fastifyPlugin(metricsRoute), { metrics: opts.metrics });
  await app.register(posRoutes, { checkout: opts.checkout, control: opts.control });

  await app.listen({ host: opts.listen.host, port: opts.listen.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.listen.port;
  return { app, url: `http://${formatHostPort({ host: opts.listen.host, port })}` };
}

/**
 * What the router refuses before any hook runs (fastify's `frameworkErrors`): a URL that is not valid
 * percent-encoding, and a path parameter over the router's limit. 400 E37 in the API's error shape, before the
 * Host and token checks (the same for every path, so it tells nothing about the routes); the URL is not echoed,
 * since it may hold a card number.
 */
function routerRefusal(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const message = err.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid percent-encoding' : 'the URL cannot be routed (a path segment too long?)';
  req.log.warn({ code: 'E37' }, 'POS API request refused');
  void reply.code(400).type('application/json; charset=utf-8').send(JSON.stringify(apiErrorBody('E37', message)));
}
