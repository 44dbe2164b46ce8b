/**
 * The POS API logs one line per request through the agent's logger, with
 * method, url, status and time taken, and never a card number: not from the
 * URL, not from a body (bodies are not logged).
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../agent/log/index.js';
import { findPanLike } from '../../../protocol/pan.js';
import { api, recordingCheckout } from './apiTestKit.js';

const PAN = '6280000000000016';

describe('POS API request log', () => {
  it('writes method, url, statusCode and responseTime for each request, with no PAN', async () => {
    const chunks: string[] = [];
    const logger = createLogger({ level: 'info', merchantId: 'IBP000000000162', terminalId: '20690111', destination: { write: (s: string) => void chunks.push(s) } });
    const a = await api(recordingCheckout(), logger);
    expect((await a.call('GET', '/v1/health')).status).toBe(200);
    expect((await a.call('POST', '/v1/earnings', JSON.stringify({ reference: 'e-1', amount: 100, pan: PAN }))).status).toBe(400);
    expect((await a.call('GET', `/v1/cards/${PAN}`)).status).toBe(404);
    // The same number percent-encoded, with separators, or in a query with '+' for spaces.
    const encoded = [...PAN].map((d) => `%3${d}`).join('');
    expect((await a.call('GET', `/v1/operations/6280%200000%200000%200016`)).status).toBe(400);
    expect((await a.call('GET', `/v1/cards/${encoded}`)).status).toBe(404);
    expect((await a.call('GET', '/v1/queue?ref=6280+0000+0000+0016')).status).toBe(400);
    await a.app.close(); // every response has finished, so every line is written

    const out = chunks.join('');
    expect(out).not.toContain(PAN);
    expect(findPanLike(out)).toEqual([]);
    const requests = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request completed');
    expect(requests.map(({ method, url, statusCode, component, merchantId }) => ({ method, url, statusCode, component, merchantId }))).toEqual([
      { method: 'GET', url: '/v1/health', statusCode: 200, component: 'api', merchantId: 'IBP000000000162' },
      { method: 'POST', url: '/v1/earnings', statusCode: 400, component: 'api', merchantId: 'IBP000000000162' },
      { method: 'GET', url: '/v1/cards/628000******0016', statusCode: 404, component: 'api', merchantId: 'IBP000000000162' },
      { method: 'GET', url: '/v1/operations/628000******0016', statusCode: 400, component: 'api', merchantId: 'IBP000000000162' },
      { method: 'GET', url: '/v1/cards/628000******0016', statusCode: 404, component: 'api', merchantId: 'IBP000000000162' },
      { method: 'GET', url: '/v1/queue?ref=628000******0016', statusCode: 400, component: 'api', merchantId: 'IBP000000000162' },
    ]);
    for (const line of requests) {
      expect(line.responseTime).toEqual(expect.any(Number));
      expect(line).not.toHaveProperty('body');
      expect(line).not.toHaveProperty('req');
    }
  });
});
