/**
 * The OpenAPI document against the real agent's answers, so the spec cannot
 * drift from the code: an emulated counter (host, reader, agent processes),
 * every POS route driven through the flows the e2e suites use (approved,
 * declined, unknown card, offline and queued, offer checkout, no card,
 * lookups, the queue and its flush, refusals), and every answer checked with
 * ajv against the response schema that the agent's own `/openapi.json` gives
 * for its route and status. Then the good and bad requests of
 * test/support/openApiSweep.ts on every route of the document (the token, the
 * Host, bodies, parameters, Content-Types), each answer as written by hand and
 * as the document says (status, media type, body, headers), and each request
 * judged by the document's request schemas as the agent judged it.
 */
import { describe, expect, it } from 'vitest';
import type { PosAnswer } from '../../emulator/stack/posClient.js';
import { e2eStackForSuite, eventually, skipWithoutSocat } from '../support/e2eStack.js';
import { documentedRoutes, ResponseChecker, templateOf, type OpenApiDoc } from '../support/openApiContract.js';
import { runSweep, sweepCases, uncovered } from '../support/openApiSweep.js';

const LIMITS = ['offline:', '  enabled: true', '  maxPointsPerTxn: 500', '  maxTotalPoints: 1000', '  maxCount: 5', '  maxAgeS: 3600', '  unknownCards: allow'].join('\n');

describe.skipIf(skipWithoutSocat)('the OpenAPI document against the running agent', () => {
  const e = e2eStackForSuite({ hostTimeoutMs: 1500, extraConfig: LIMITS });
  /** Every (method, url) the flows called: each answer is checked against the document. */
  const calls: { method: string; url: string; answer: PosAnswer }[] = [];
  const swiped = async (card: string, method: string, url: string, body?: unknown) => {
    const answer = await e.swiped(card, method, url, body);
    calls.push({ method, url, answer });
    return answer;
  };
  const agent = async (method: string, url: string, body?: unknown) => {
    const answer = await e.agent(method, url, body);
    calls.push({ method, url, answer });
    return answer;
  };

  it('answers every route as its document says', async () => {
    await e.ready();
    const doc = (await agent('GET', '/openapi.json')).body as unknown as OpenApiDoc;

    // Online: approved, declined, unknown card, an offer checkout, a balance, an earning.
    await swiped('happy', 'POST', '/v1/redemptions', { reference: 'oa-redeem', points: 10 });
    await swiped('empty', 'POST', '/v1/redemptions', { reference: 'oa-declined', points: 10 });
    await swiped('unknown', 'POST', '/v1/redemptions', { reference: 'oa-unknown', points: 10 });
    await swiped('happy', 'POST', '/v1/earnings', { reference: 'oa-earn', amount: 1000 });
    await swiped('offer', 'POST', '/v1/checkout', { reference: 'oa-checkout', amount: 5000, redeemPoints: 20, acceptOffer: true });
    await swiped('happy', 'GET', '/v1/balance');
    await swiped('unknown', 'GET', '/v1/balance');
    // No card before the deadline.
    await agent('POST', '/v1/earnings', { reference: 'oa-nocard', amount: 100, timeoutMs: 200 });
    await agent('POST', '/v1/checkout', { reference: 'oa-nocard-2', amount: 100, timeoutMs: 200 });
    await agent('POST', '/v1/redemptions', { reference: 'oa-nocard-3', points: 1, timeoutMs: 200 });
    // Lookups: a recorded outcome, a retry with another body, one never used.
    await agent('GET', '/v1/operations/oa-redeem');
    await agent('GET', '/v1/operations/oa-checkout');
    await agent('POST', '/v1/redemptions', { reference: 'oa-redeem', points: 11 });
    await agent('GET', '/v1/operations/oa-never');
    // A sale, a part of it returned, the rest voided; a void of a sale that never was.
    await swiped('happy', 'POST', '/v1/checkout', { reference: 'oa-sale', amount: 3000, redeemPoints: 100 });
    await swiped('happy', 'POST', '/v1/returns', { reference: 'oa-return', originalReference: 'oa-sale', amount: 1000 });
    await swiped('happy', 'POST', '/v1/voids', { reference: 'oa-void', originalReference: 'oa-sale' });
    await agent('POST', '/v1/voids', { reference: 'oa-void-none', originalReference: 'oa-never-sold' });
    await agent('GET', '/v1/operations/oa-return');
    // Refusals.
    await agent('POST', '/v1/redemptions', { reference: 'oa-bad' });
    await agent('GET', '/v1/queue?state=bogus');

    // Offline: a queued burn and a queued earning, the queue, the health, a flush that cannot reach the host.
    await e.stack.stopHost();
    await swiped('happy', 'POST', '/v1/redemptions', { reference: 'oa-off-redeem', points: 50 });
    await swiped('happy', 'POST', '/v1/earnings', { reference: 'oa-off-earn', amount: 700 });
    await agent('GET', '/v1/health');
    await agent('GET', '/v1/queue');
    await agent('GET', '/v1/queue?state=pending&limit=5');
    await agent('POST', '/v1/queue/flush');
    await agent('GET', '/v1/operations/oa-off-earn');
    await e.stack.startHost();
    await eventually('the queue to drain', async () => {
      const h = (await e.agent('GET', '/v1/health')).body as { host: string; queue: { pending: number } };
      return h.host === 'online' && h.queue.pending === 0;
    });
    await agent('POST', '/v1/queue/flush');
    await agent('GET', '/v1/queue?state=done');
    await agent('GET', '/v1/health');

    const check = new ResponseChecker(doc);
    const problems = calls.flatMap((c) => check.problems(c.method, c.url, c.answer.status, c.answer.body));
    expect(problems).toEqual([]);

    // Every JSON route of the document was driven at least once (so a new route needs a flow here).
    const driven = new Set(calls.map((c) => `${c.method} ${templateOf(doc, c.url.split('?')[0] ?? '')}`));
    const notDriven = documentedRoutes(doc).filter((r) => !driven.has(r) && r !== 'GET /metrics');
    expect(notDriven).toEqual([]);
    // The flows above did reach the answers they meant to.
    const statuses = calls.map(({ answer: a }) => `${a.status}:${String(a.body.status ?? (a.body.error as { code?: string } | undefined)?.code ?? '')}`);
    expect(calls.filter((c) => c.method === 'POST' && (c.url === '/v1/returns' || c.url === '/v1/voids')).map((c) => c.answer.body.status)).toEqual(['accepted', 'accepted', 'declined']);
    expect(statuses).toEqual(expect.arrayContaining(['200:approved', '200:declined', '200:accepted', '200:timeout', '409:reference-conflict', '404:unknown-reference', '400:E37']));

    // Good and bad requests on every route of the document, the real agent's answers held against it.
    const cases = sweepCases({ openRoutes: 'open', knownReference: 'oa-redeem', prefix: 'oa-sweep' });
    expect(uncovered(doc, cases)).toEqual([]);
    expect(await runSweep(e.stack.agentUrl, e.stack.apiToken, doc, cases)).toEqual([]);
  }, 120_000);
});
