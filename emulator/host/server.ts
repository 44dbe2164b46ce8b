import type { Duplex } from 'node:stream';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { errorBody } from '../../protocol/loyalty/index.js';
import { createAuthHook, NonceCache, TokenStore, type ClientCredentials } from './auth/index.js';
import type { Clock } from './clock.js';
import type { Delays } from './delays.js';
import { sendError } from './errorReply.js';
import { hostErrorHandler } from './errorHandler.js';
import { assertFaultEndpoint, createFaultHook, FaultTable } from './faults.js';
import type { Fixtures } from './fixtures.js';
import { AccountCatalog, LedgerHistory, type Ledger } from './ledger/index.js';
import { registerOffers, type OffersHandle } from './offers/index.js';
import { catalogRoutes } from './routes/index.js';
import { emulatorRoutes } from './routes/index.js';
import { returnRoutes, rewardRoutes } from './routes/index.js';
import { tokenRoute } from './routes/index.js';
import { transactionRoutes } from './routes/index.js';
import type { TlsMaterial } from './tls.js';

/** Largest request body, bytes. Bigger bodies get 413 with the error body. */
export const BODY_LIMIT = 64 * 1024;

export interface ServerDeps {
  ledger: Ledger;
  fixtures: Fixtures;
  clock: Clock;
  delays: Delays;
  clients: readonly ClientCredentials[];
  tls: TlsMaterial | null;
  webhook: { url: string; secret: string; ca?: string | Buffer } | null;
  logger: FastifyBaseLogger | false;
}

export interface HostServer {
  app: FastifyInstance;
  faults: FaultTable;
  tokens: TokenStore;
  nonces: NonceCache;
  catalog: AccountCatalog;
  history: LedgerHistory;
  offers: OffersHandle;
}

/**
 * Requests Node's HTTP parser refuses before any route runs (headers over
 * 16 KiB, a malformed request line) still get the seed's error body.
 */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify(errorBody('E37', tooLarge ? 'the request headers are too large (at most 16 KiB)' : 'the HTTP request is malformed'));
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * Builds the host's fastify app (not yet listening): each route group is a
 * plugin (`routes/`, `offers/`), registered with its dependencies; request
 * schemas are zod (fastify-type-provider-zod); every error leaves through
 * {@link hostErrorHandler} as the seed's error body.
 */
export function buildServer(deps: ServerDeps): HostServer {
  const app: FastifyInstance = Fastify({
    ...(deps.tls ? { https: { key: deps.tls.key, cert: deps.tls.cert } } : {}),
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    forceCloseConnections: true,
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(hostErrorHandler);
  app.setNotFoundHandler((_req, reply) => sendError(reply, 'E16'));

  const faults = new FaultTable();
  const tokens = new TokenStore(deps.clock, deps.clients);
  const nonces = new NonceCache(deps.clock);
  const catalog = new AccountCatalog(deps.ledger.db, deps.ledger, deps.clock);
  const history = new LedgerHistory(deps.ledger.db);
  const auth = createAuthHook({ tokens, nonces, clock: deps.clock, scheme: deps.tls ? 'https' : 'http' });

  app.addHook('onRequest', createFaultHook(faults, deps.delays.delay));
  // Every route but /_emulator/* has a name in FAULT_ENDPOINTS, so a fault can single it out.
  app.addHook('onRoute', (route) => assertFaultEndpoint(route.url));
  void app.register(tokenRoute, { tokens });
  void app.register(rewardRoutes, { ledger: deps.ledger, auth, delay: deps.delays.delay, slowDelayS: deps.fixtures.slowDelayS });
  void app.register(returnRoutes, { ledger: deps.ledger, auth });
  void app.register(catalogRoutes, { catalog, auth });
  void app.register(transactionRoutes, { ledger: deps.ledger, history, auth });
  void app.register(emulatorRoutes, { fixtures: deps.fixtures, faults, history, ledger: deps.ledger });

  // Pay with Points (emulator/host/offers/, another part): same DB, host key, clock and auth hook.
  const offers = registerOffers(app, {
    db: deps.ledger.db,
    authenticate: auth,
    fixtures: deps.fixtures,
    hostKey: deps.ledger.hostKey,
    now: () => new Date(deps.clock()),
    ...(deps.webhook ? { webhook: deps.webhook } : {}),
  });

  return { app, faults, tokens, nonces, catalog, history, offers };
}
