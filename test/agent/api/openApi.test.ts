/**
 * The POS API's OpenAPI document (GET /openapi.json) against the API itself:
 * a valid OpenAPI 3.1 document, every route fastify serves in it (whoever
 * added the route), the limits written in it, and the error answers as its
 * schemas say. The answers of real card operations are checked in
 * test/e2e/openApiContract.test.ts.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../../../agent/api/apiServer.js';
import { AgentMetrics } from '../../../agent/metrics/index.js';
import { documentedRoutes, ResponseChecker, servedRoutes, type OpenApiDoc } from '../../support/openApiContract.js';
import { control, recordingCheckout } from './apiTestKit.js';

describe('the POS API OpenAPI document', () => {
  let started: Awaited<ReturnType<typeof startApi>>;
  let doc: OpenApiDoc & Record<string, unknown>;

  beforeAll(async () => {
    const metrics = new AgentMetrics(
      {
        queue: {
          stats: () => ({ pending: 0, sending: 0, done: 0, dead: 0, abandoned: 0, counters: { accepted: 0, sent: 0, retried: 0, dead: 0, expired: 0, abandoned: 0, pruned: 0 }, oldestPendingAgeS: 0, offline: { count: 0, points: 0 }, invariantHolds: true }),
          offlineExposure: () => ({ count: 0, points: 0, oldestCreatedAt: null }),
        },
        limits: { enabled: false, maxPointsPerTxn: 0, maxTotalPoints: 0, maxCount: 0, maxAgeS: 0 },
        reader: () => undefined,
        now: () => Date.now(),
      },
      { version: '0.0.0', transport: 'rest' },
      { processMetrics: false },
    );
    started = await startApi({ checkout: recordingCheckout(), control, logger: pino({ level: 'silent' }), listen: { host: '127.0.0.1', port: 0 }, metrics });
    const res = await fetch(`${started.url}/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as typeof doc;
  });
  afterAll(() => started.app.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route the API serves, and only those', () => {
    const served = servedRoutes(started.app);
    // A sanity check on the route reading itself: these are there whatever else is added.
    expect(served).toEqual(expect.arrayContaining(['POST /v1/redemptions', 'GET /v1/operations/{reference}', 'POST /v1/queue/flush', 'GET /metrics', 'GET /openapi.json']));
    expect(documentedRoutes(doc).sort()).toEqual(served.sort());
  });

  it('gives every operation a summary and every answer a description', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, { summary?: string; responses?: Record<string, { description?: string }> }>)) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        for (const [status, r] of Object.entries(op.responses ?? {})) expect(r.description, `${method} ${path} ${status}`).not.toBe('Default Response');
      }
    }
  });

  it('says which routes need the bearer token: every one, optional only on those api.openRoutes may leave open', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, { security?: unknown }>)) {
        const expected = path === '/v1/health' || path === '/metrics' ? [{}, { bearer: [] }] : [{ bearer: [] }];
        expect([`${method} ${path}`, op.security]).toEqual([`${method} ${path}`, expected]);
      }
    }
  });

  it('documents the guards in front of every route: 401 for the token, 421 for a foreign Host', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, { responses?: Record<string, { description?: string }> }>)) {
        expect(op.responses?.['401']?.description, `${method} ${path} 401`).toMatch(/token-required/);
        expect(op.responses?.['421']?.description, `${method} ${path} 421`).toMatch(/host-not-allowed/);
      }
    }
  });

  it('writes the limits and the idempotency rules of reference', () => {
    const redeem = doc.paths['/v1/redemptions']?.post as unknown as {
      description: string;
      requestBody: { content: { 'application/json': { schema: { properties: Record<string, Record<string, unknown>>; additionalProperties: boolean } } } };
    };
    const body = redeem.requestBody.content['application/json'].schema;
    expect(body.properties.timeoutMs).toMatchObject({ minimum: 100, maximum: 600000 });
    expect(body.properties.reference).toMatchObject({ minLength: 1, maxLength: 64 });
    expect(body.properties.points).toMatchObject({ type: 'integer', maximum: 1_000_000_000 });
    expect(body.additionalProperties).toBe(false);
    expect(redeem.description).toContain('idempotency key');
    expect(redeem.description).toContain('reference-conflict');
    expect(JSON.stringify((doc.info as { description: string }).description)).toContain('16 KiB');
    for (const path of ['/v1/redemptions', '/v1/earnings', '/v1/checkout']) {
      expect(Object.keys(doc.paths[path]?.post?.responses ?? {}).sort()).toEqual(['200', '400', '401', '409', '413', '415', '421', '500', '503']);
    }
  });

  it('matches the error answers the API really gives', async () => {
    const check = new ResponseChecker(doc);
    const cases: [string, string, string | undefined, string, number][] = [
      ['POST', '/v1/redemptions', '{"reference":"r1"}', 'application/json', 400],
      ['POST', '/v1/earnings', '{"reference":', 'application/json', 400],
      ['POST', '/v1/checkout', JSON.stringify({ reference: 'r', amount: 1, pad: 'x'.repeat(17_000) }), 'application/json', 413],
      ['POST', '/v1/redemptions', '<reference>r</reference>', 'application/xml', 415],
      // Bodies are JSON only: text/plain too is 415 (fastify's text/plain parser is removed).
      ['POST', '/v1/redemptions', 'reference=r&points=1', 'text/plain', 415],
      ['GET', '/v1/operations/never-used', undefined, 'application/json', 404],
      ['GET', '/v1/balance?timeoutMs=5', undefined, 'application/json', 400],
      ['GET', '/v1/queue?limit=0', undefined, 'application/json', 400],
    ];
    for (const [method, path, body, type, status] of cases) {
      const res = await fetch(`${started.url}${path}`, { method, ...(body === undefined ? {} : { body, headers: { 'content-type': type } }) });
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(check.problems(method, path, res.status, await res.json())).toEqual([]);
    }
    // The checker itself refuses what the document does not say.
    expect(check.problems('GET', '/v1/health', 200, { status: 'fine' })).not.toEqual([]);
    expect(check.problems('GET', '/v1/health', 418, {})).not.toEqual([]);
  });
});
