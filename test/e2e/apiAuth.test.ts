/**
 * The POS API token end to end (issue 18), on the emulated counter as real
 * processes: the counter turns the token on as the template does
 * (`pos-agent keygen --api-token`, `api.tokenFile`), so `pos-agent run`
 * refuses every route without it, answers the cashier's app that sends it,
 * refuses a foreign Host, and writes the token nowhere.
 */
import { describe, expect, it } from 'vitest';
import { jsonLine } from '../../emulator/stack/childProcess.js';
import { httpCall } from '../agent/api/httpCall.js';
import { e2eStackForSuite, skipWithoutSocat } from '../support/e2eStack.js';

const ROUTES: [string, string, string?][] = [
  ['POST', '/v1/redemptions', JSON.stringify({ reference: 'a-1', points: 1 })],
  ['POST', '/v1/earnings', JSON.stringify({ reference: 'a-2', amount: 1 })],
  ['POST', '/v1/checkout', JSON.stringify({ reference: 'a-3', amount: 1 })],
  ['POST', '/v1/voids', JSON.stringify({ reference: 'a-5', originalReference: 'a-3' })],
  ['POST', '/v1/returns', JSON.stringify({ reference: 'a-6', originalReference: 'a-3', amount: 1 })],
  ['GET', '/v1/balance'],
  ['GET', '/v1/operations/a-4'],
  ['GET', '/v1/queue'],
  ['POST', '/v1/queue/flush'],
];

describe.skipIf(skipWithoutSocat)('pos-agent run with api.tokenFile', () => {
  const e = e2eStackForSuite({ hostTimeoutMs: 2000 });

  it('says at start that the API takes a bearer token, without the token', () => {
    const line = e.stack.agent.stdout.map((l) => jsonLine(l)).find((l) => l?.msg === 'api listening');
    expect(line).toMatchObject({ auth: 'bearer', openRoutes: ['/v1/health', '/metrics'] });
  });

  it.each(ROUTES)('%s %s: 401 without the token or with one a byte short, and nothing is queued', async (method, path, body) => {
    const short = `Bearer ${e.stack.apiToken.slice(0, -1)}`;
    for (const headers of [{}, { authorization: short }] as Record<string, string>[]) {
      const a = await httpCall(e.stack.agentUrl, { method, path, ...(body === undefined ? {} : { body }), headers });
      expect(a.status).toBe(401);
      e.answers.push({ status: a.status, body: a.body as Record<string, unknown> });
    }
    const q = await e.agent('GET', '/v1/queue');
    expect((q.body as { items: unknown[] }).items).toEqual([]);
  });

  it('the cashier app with the token gets its sale, and health and metrics stay open for monitoring', async () => {
    const r = await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'auth-sale-1', amount: 500 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'accepted' });
    expect((await httpCall(e.stack.agentUrl, { method: 'GET', path: '/v1/health' })).status).toBe(200);
    expect((await httpCall(e.stack.agentUrl, { method: 'GET', path: '/metrics' })).text).toContain('pos_agent_pos_requests_total{route="/v1/earnings",status="401"}');
  });

  it('refuses a foreign Host with 421, even with the token', async () => {
    const a = await httpCall(e.stack.agentUrl, { method: 'GET', path: '/v1/queue', headers: { host: 'rebound.example', authorization: `Bearer ${e.stack.apiToken}` } });
    expect([a.status, (a.body as { error: { code: string } }).error.code]).toEqual([421, 'host-not-allowed']);
    const port = new URL(e.stack.agentUrl).port;
    expect((await httpCall(e.stack.agentUrl, { method: 'GET', path: '/v1/queue', headers: { host: `localhost:${port}`, authorization: `Bearer ${e.stack.apiToken}` } })).status).toBe(200);
  });

  it('the token is in no line the agent, the reader or the host wrote, and in no answer', () => {
    expect(e.stack.agent.stdout.some((l) => jsonLine(l)?.statusCode === 401)).toBe(true); // the scan has lines to read
    expect(e.tokenLeaks()).toEqual([]);
    expect(e.panLeaks()).toEqual([]);
  });
});
