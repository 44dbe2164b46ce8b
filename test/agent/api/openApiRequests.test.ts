/**
 * The OpenAPI document against what the POS API accepts and refuses (issue
 * 31, item 2): every route of the document gets good requests and bad ones
 * (malformed JSON, an unknown field, a wrong type, a value out of range, no
 * body, another Content-Type, a body over the limit, a bad or too long path
 * parameter, a query value out of range, no token, a wrong token, a foreign
 * Host, two Host headers), each with its answer written by hand. Every
 * answer's status, media type, body and required headers are checked with ajv
 * against the document the app serves, and every request against the
 * document's request schemas: the good ones must be accepted by them, the bad
 * ones refused. The real app on 127.0.0.1 (the routes, the guards, the error
 * handler), with stand-ins for the checkout and the queue; the same sweep runs
 * against a real agent in test/e2e/openApiContract.test.ts.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../../../agent/api/apiServer.js';
import type { AgentControl } from '../../../agent/api/agentControl.js';
import type { PosCheckout } from '../../../agent/api/posRoutes.js';
import { documentedRoutes, type OpenApiDoc } from '../../support/openApiContract.js';
import { runSweep, sweepCases, uncovered, type SweepCase } from '../../support/openApiSweep.js';
import { HEALTHY, recordingCheckout } from './apiTestKit.js';
import { fakeMetrics } from './authKit.js';

const TOKEN = 'sweep-token-0123456789-abcdefghijklmnopqrstuvwxyz';
const KNOWN = 'sale-1';

/** The queue's counts as the real queue gives them (hand-written). */
const STATS = {
  pending: 1, sending: 0, done: 2, dead: 0, abandoned: 0,
  counters: { accepted: 3, sent: 2, retried: 1, dead: 0, expired: 0, abandoned: 0, pruned: 0 },
  oldestPendingAgeS: 12.5, offline: { count: 1, points: 50 }, invariantHolds: true,
};
const ITEM = {
  id: 3, transactionId: 'T-3', kind: 'burn', offline: true, state: 'pending', maskedPan: '628000******0016', attempts: 1,
  lastError: 'host-unreachable', deadReason: null, refusal: null, createdAt: '2026-01-02T03:04:05.000Z', nextDueAt: '2026-01-02T03:04:35.000Z',
  sentAt: null, updatedAt: '2026-01-02T03:04:06.000Z', payload: { points: 50 }, result: null,
};
const control: AgentControl = {
  health: () => HEALTHY,
  listQueue: () => ({ stats: STATS, forwarder: { sent: 2, retried: 1, dead: 0, expired: 0, oldestPendingAgeS: 12.5 }, items: [ITEM] }),
  flushQueue: async () => ({ flushed: { sent: 0, failed: 1, dead: 0 }, stats: STATS }),
};

/** The stand-in checkout (every card operation: no card), with one recorded outcome, for KNOWN. */
function checkout(): PosCheckout & { calls: unknown[] } {
  const c = recordingCheckout();
  return {
    ...c,
    operation: (reference) =>
      reference === KNOWN
        ? {
            reference, kind: 'redemption', state: 'final',
            answer: { status: 'approved', transactionId: 'T-1', card: { pan: '628000******0016', kind: 'card' }, debited: 10, balanceAfter: 90 },
            operations: [{ transactionId: 'T-1', kind: 'burn', state: 'done', offline: false, reason: null }],
          }
        : undefined,
  };
}

async function started(openRoutes?: readonly string[]) {
  const co = checkout();
  const api = await startApi({
    checkout: co, control, metrics: fakeMetrics(), token: TOKEN, listen: { host: '127.0.0.1', port: 0 },
    logger: pino({ level: 'silent' }),
    ...(openRoutes === undefined ? {} : { openRoutes }),
  });
  const res = await fetch(`${api.url}/openapi.json`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return { ...api, calls: co.calls, doc: (await res.json()) as OpenApiDoc };
}

describe.each([
  ['open (the default api.openRoutes)', 'open', undefined],
  ['closed (api.openRoutes: [])', 'closed', []],
] as const)('the POS API, /v1/health and /metrics %s, against its OpenAPI document', (_name, openRoutes, openRoutesOption) => {
  let api: Awaited<ReturnType<typeof started>>;
  beforeAll(async () => {
    api = await started(openRoutesOption);
  });
  afterAll(() => api.app.close());
  const cases = sweepCases({ openRoutes, knownReference: KNOWN, prefix: 'sweep' });

  it('sends good and bad requests to every route of the document', () => {
    // By hand: the document's operations (a new route needs its cases in test/support/openApiSweep.ts).
    expect(documentedRoutes(api.doc).sort()).toEqual([
      'GET /metrics', 'GET /openapi.json', 'GET /v1/balance', 'GET /v1/health', 'GET /v1/operations/{reference}', 'GET /v1/queue',
      'POST /v1/checkout', 'POST /v1/earnings', 'POST /v1/queue/flush', 'POST /v1/redemptions', 'POST /v1/returns', 'POST /v1/voids',
    ]);
    expect(uncovered(api.doc, cases)).toEqual([]);
  });

  it('answers each as written by hand and as the document says, and the document judges each request as the server does', async () => {
    expect(await runSweep(api.url, TOKEN, api.doc, cases)).toEqual([]);
    // The good card operations reached the checkout, once each; no bad one did.
    expect(api.calls.map((c) => (c as [string])[0])).toEqual(['redeem', 'earn', 'checkout', 'void', 'return', 'balance']);
  });
});

describe('the sweep itself', () => {
  let api: Awaited<ReturnType<typeof started>>;
  beforeAll(async () => {
    api = await started();
  });
  afterAll(() => api.app.close());

  it('reports an answer other than the one written, and a request the document judges otherwise than the case says', async () => {
    const wrong: SweepCase[] = [
      // The server refuses it (400 E37), the case says 200, and the document's schemas refuse it too.
      { route: 'POST /v1/queue/flush', method: 'POST', url: '/v1/queue/flush', body: '{"now":true}', schemas: 'accept', status: 200 },
      // Accepted by the server and the document, but the case says the schemas refuse it.
      { route: 'GET /v1/queue', bad: 'none really', method: 'GET', url: '/v1/queue?limit=5', schemas: 'refuse', status: 200 },
    ];
    const problems = await runSweep(api.url, TOKEN, api.doc, wrong);
    expect(problems).toEqual([
      expect.stringMatching(/^POST \/v1\/queue\/flush \[good\]: expected 200 , got 400 /),
      expect.stringMatching(/^POST \/v1\/queue\/flush \[good\]: the document's request schemas refuse it: .*additional/),
      'GET /v1/queue [none really]: the document\'s request schemas accept it, the server refuses it',
    ]);
  });
});
