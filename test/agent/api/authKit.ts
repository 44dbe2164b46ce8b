import Fastify from 'fastify';
import type { Logger } from 'pino';
import { startApi } from '../../../agent/api/apiServer.js';
import { metricsRoute } from '../../../agent/api/metricsRoute.js';
import { posRoutes } from '../../../agent/api/posRoutes.js';
import type { AgentControl } from '../../../agent/api/agentControl.js';
import { createLogger } from '../../../agent/log/index.js';
import { AgentMetrics } from '../../../agent/metrics/index.js';
import { zeroLineCounters } from '../../../agent/cardSources/serial/serialReaderCounters.js';
import { HEALTHY, recordingCheckout } from './apiTestKit.js';

/** Every route of the POS API with a request its schema accepts, and the status the good token gets. */
export interface RouteCase {
  method: 'GET' | 'POST';
  /** The route pattern, as fastify registers it. */
  route: string;
  /** The path requested. */
  path: string;
  body?: string;
  /** Status with the good token (the stand-ins answer "no card", an unknown reference is 404). */
  ok: number;
  /** Open without the token by default (`api.openRoutes`). */
  open?: boolean;
}

export const ROUTES: readonly RouteCase[] = [
  { method: 'POST', route: '/v1/redemptions', path: '/v1/redemptions', body: JSON.stringify({ reference: 'r-1', points: 10 }), ok: 200 },
  { method: 'POST', route: '/v1/earnings', path: '/v1/earnings', body: JSON.stringify({ reference: 'e-1', amount: 100 }), ok: 200 },
  { method: 'POST', route: '/v1/checkout', path: '/v1/checkout', body: JSON.stringify({ reference: 'c-1', amount: 100 }), ok: 200 },
  { method: 'POST', route: '/v1/voids', path: '/v1/voids', body: JSON.stringify({ reference: 'v-1', originalReference: 'c-1' }), ok: 200 },
  { method: 'POST', route: '/v1/returns', path: '/v1/returns', body: JSON.stringify({ reference: 'rt-1', originalReference: 'c-1', amount: 50 }), ok: 200 },
  { method: 'GET', route: '/v1/balance', path: '/v1/balance', ok: 200 },
  { method: 'GET', route: '/v1/operations/:reference', path: '/v1/operations/op-1', ok: 404 },
  { method: 'GET', route: '/v1/health', path: '/v1/health', ok: 200, open: true },
  { method: 'GET', route: '/v1/queue', path: '/v1/queue', ok: 200 },
  { method: 'POST', route: '/v1/queue/flush', path: '/v1/queue/flush', ok: 200 },
  { method: 'GET', route: '/metrics', path: '/metrics', ok: 200, open: true },
];

/** What posRoutes and metricsRoute register, as `METHOD pattern` (HEAD left out): the table above must cover it. */
export async function registeredRoutes(): Promise<string[]> {
  const app = Fastify();
  const seen: string[] = [];
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') seen.push(`${m} ${r.url}`);
  });
  await app.register(posRoutes, { checkout: recordingCheckout(), control: recordingControl().control });
  await app.register(metricsRoute, { metrics: fakeMetrics() });
  await app.ready();
  await app.close();
  return seen.sort();
}

/** Metrics on fixed stand-in sources (no process metrics). */
export function fakeMetrics(): AgentMetrics {
  const stats = { pending: 0, sending: 0, done: 0, dead: 0, abandoned: 0, counters: { accepted: 0, sent: 0, retried: 0, dead: 0, expired: 0, abandoned: 0, pruned: 0 }, oldestPendingAgeS: 0, offline: { count: 0, points: 0 }, invariantHolds: true };
  return new AgentMetrics(
    {
      queue: { stats: () => stats, offlineExposure: () => ({ count: 0, points: 0, oldestCreatedAt: null }) },
      limits: { enabled: false, maxPointsPerTxn: 500, maxTotalPoints: 2000, maxCount: 10, maxAgeS: 3600 },
      reader: () => ({ state: 'connected', counters: () => ({ ...zeroLineCounters(), reconnects: 0 }) }),
      now: () => 1_000_000,
    },
    { version: '0.0.0-test', transport: 'rest' },
    { processMetrics: false },
  );
}

/** A control stand-in that records the views and the flushes asked of it. */
export function recordingControl(): { control: AgentControl; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    control: {
      health: () => (calls.push('health'), HEALTHY),
      listQueue: (q) => (calls.push('listQueue'), { q }),
      flushQueue: async () => (calls.push('flushQueue'), { flushed: 0 }),
    },
  };
}

/** The real API on 127.0.0.1:0 with a token (or none), every log line (trace level) kept in `logs`. */
export async function authApi(opts: { token?: string; openRoutes?: readonly string[]; listenHost?: string }) {
  const logs: string[] = [];
  const logger: Logger = createLogger({ level: 'trace', merchantId: 'IBP000000000162', terminalId: '20690111', destination: { write: (s: string) => void logs.push(s) } });
  const checkout = recordingCheckout();
  const { control, calls } = recordingControl();
  const started = await startApi({
    checkout,
    control,
    logger,
    metrics: fakeMetrics(),
    listen: { host: opts.listenHost ?? '127.0.0.1', port: 0 },
    ...(opts.token === undefined ? {} : { token: opts.token }),
    ...(opts.openRoutes === undefined ? {} : { openRoutes: opts.openRoutes }),
  });
  const port = Number(new URL(started.url).port);
  /** Everything the checkout and the control were asked: empty while every request was refused. */
  const reached = (): unknown[] => [...checkout.calls, ...calls];
  return { ...started, port, logs, reached };
}
