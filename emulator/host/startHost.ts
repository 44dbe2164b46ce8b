import { writeFileSync } from 'node:fs';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import { Delays } from './delays.js';
import type { FaultTable } from './faults.js';
import { DEFAULT_FIXTURES, type Fixtures } from './fixtures.js';
import { Ledger, openLedgerDb, type AccountCatalog, type LedgerHistory } from './ledger/index.js';
import type { OffersHandle } from './offers/index.js';
import { startIsoServer, type IsoServer } from './iso/index.js';
import { buildServer } from './server.js';
import { selfSignedCert } from './tls.js';
import type { ClientCredentials, TokenStore } from './auth/index.js';

/** Options of {@link startHost}; every one has a default. */
export interface HostOptions {
  /** TCP port on 127.0.0.1. Default 0 (a free port). */
  port?: number;
  /** ISO 8583 port. Default: no ISO listener. */
  isoPort?: number;
  /** ISO 8583 connections idle this long are closed, seconds. Default 60. */
  isoIdleS?: number;
  /** Most ISO 8583 connections open at once. Default 256. */
  isoMaxConnections?: number;
  /** SQLite file for the ledger. Default ':memory:'. Reuse a file to keep balances across restarts. */
  db?: string;
  /** Test cards and settings. Default {@link DEFAULT_FIXTURES}. */
  fixtures?: Fixtures;
  /** OAuth clients in addition to the seed's sample client. Default none. */
  clients?: readonly ClientCredentials[];
  /** The host clock, epoch ms. Default Date.now. */
  clock?: Clock;
  /** Serve HTTPS with a self-signed certificate generated at start-up. Default false. */
  tls?: boolean;
  /** Write the certificate (PEM) here when `tls` is on. Default: not written. */
  tlsCaOut?: string;
  /**
   * Where Pay with Points sends `card_offer.redeemed`. Default: no webhooks.
   * `ca` is a PEM certificate to trust for an HTTPS receiver with its own certificate.
   */
  webhook?: { url: string; secret: string; ca?: string | Buffer };
  /** A pino logger. Default: no logging. */
  logger?: FastifyBaseLogger;
  /** TEST ONLY: apply repeated transactionIds again (a deliberately broken host, to show the fleet check can fail). */
  unsafeNoIdempotency?: boolean;
}

/** A running host emulator: its addresses, its parts (ledger, faults, offers, ...) and how to close it. */
export interface RunningHost {
  /** e.g. http://127.0.0.1:7400 (https:// with TLS). */
  url: string;
  port: number;
  /** Null when no ISO 8583 listener runs. */
  isoPort: number | null;
  /** The certificate PEM when serving TLS, else null. */
  caPem: string | null;
  ledger: Ledger;
  catalog: AccountCatalog;
  history: LedgerHistory;
  faults: FaultTable;
  tokens: TokenStore;
  offers: OffersHandle;
  fixtures: Fixtures;
  app: FastifyInstance;
  /** Stops listening, ends pending delays, closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Starts the host on 127.0.0.1 and resolves once it is listening. */
export async function startHost(opts: HostOptions = {}): Promise<RunningHost> {
  const clock = opts.clock ?? systemClock;
  const fixtures = opts.fixtures ?? DEFAULT_FIXTURES;
  const { db, hostKey } = openLedgerDb(opts.db ?? ':memory:');
  const ledger = new Ledger(db, hostKey, fixtures, clock, opts.unsafeNoIdempotency ?? false);
  const delays = new Delays();
  let server: ReturnType<typeof buildServer> | undefined;
  let iso: IsoServer | undefined;
  try {
    const tls = opts.tls ? await selfSignedCert(new Date(clock())) : null;
    if (tls && opts.tlsCaOut) writeFileSync(opts.tlsCaOut, tls.cert, { mode: 0o644 });
    server = buildServer({
      ledger, fixtures, clock, delays, tls,
      clients: opts.clients ?? [],
      webhook: opts.webhook ?? null,
      logger: opts.logger ?? false,
    });
    await server.app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
    const address = server.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;

    // ISO 8583 front-end (emulator/host/iso/, another part), on the same ledger.
    if (opts.isoPort !== undefined) {
      iso = await startIsoServer({
        ledger, port: opts.isoPort, delay: delays.delay, slowDelayS: fixtures.slowDelayS, faults: server.faults,
        ...(opts.isoIdleS === undefined ? {} : { idleTimeoutMs: opts.isoIdleS * 1000 }),
        ...(opts.isoMaxConnections === undefined ? {} : { maxConnections: opts.isoMaxConnections }),
        ...(opts.logger ? { log: opts.logger.child({ component: 'iso' }) } : {}),
      });
    }
    const isoPort: number | null = iso?.port ?? null;
    const isoServer = iso;

    let closed = false;
    const s = server;
    return {
      url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
      port, isoPort, caPem: tls?.cert ?? null, ledger, fixtures,
      catalog: s.catalog, history: s.history, faults: s.faults, tokens: s.tokens, offers: s.offers, app: s.app,
      async close() {
        if (closed) return;
        closed = true;
        delays.cancelAll();
        await isoServer?.close();
        await s.app.close();
        ledger.close();
      },
    };
  } catch (err) {
    delays.cancelAll();
    await iso?.close().catch(() => undefined);
    await server?.app.close().catch(() => undefined);
    ledger.close();
    throw err;
  }
}
