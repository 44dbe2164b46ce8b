import { afterEach, describe, expect, it } from 'vitest';
import { HostError } from '../../../agent/host/hostClient.js';
import { RestHostClient } from '../../../agent/host/restHostClient.js';
import { fixtureCardRef } from '../../support/fixtureCardRef.js';
import { expectedSignature, seedError, startTestHost, type TestHost } from './restTestServer.js';

const card = fixtureCardRef('happy');
const CLIENT_ID = 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088';
const BALANCE = { rewardTrxId: '2263234', accounts: [{ accountId: '12', accountName: '', accountType: '1', availableBalance: '2450' }] };

let host: TestHost | undefined;
let client: RestHostClient | undefined;
afterEach(async () => {
  await client?.close();
  await host?.close();
  client = undefined;
  host = undefined;
});

function newClient(url: string, now: () => number): RestHostClient {
  return new RestHostClient({ baseUrl: url, clientId: CLIENT_ID, clientSecret: 'secret', merchantId: 'IBP000000000162', terminalId: '20690111', timeoutMs: 5000, connectTimeoutMs: 2000, now });
}

describe('RestHostClient authentication', () => {
  it('fetches a token with the seed sample Basic header and caches it until 90% of expires_in', async () => {
    const seen: string[] = [];
    host = await startTestHost((app) => app.get('/api/v1/loyalty/rewards', async (req) => (seen.push(String(req.headers.authorization)), BALANCE)), { tokens: ['tok-1', 'tok-2'], expiresIn: 100 });
    let now = 1_700_000_000_000;
    client = newClient(host.url, () => now);
    await client.balance({ card, transactionId: 't1' });
    await client.balance({ card, transactionId: 't2' });
    now += 89_000; // 89% of 100 s: still cached
    await client.balance({ card, transactionId: 't3' });
    now += 2_000; // 91%: refreshed
    await client.balance({ card, transactionId: 't4' });
    // Golden value from seeds/loyalty-api.txt (the sample request's header).
    expect(host.tokenRequests[0]).toEqual({ authorization: 'Basic SUtJQTFCNzU5M0M0NDAyQkM1RTAwQzQ2QUM4QjFDMUNDMEI4NUVFQkIwODg6c2VjcmV0', body: 'grant_type=client_credentials' });
    expect(host.tokenRequests).toHaveLength(2);
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('signs every call as DESIGN.md specifies', async () => {
    const checks: { ok: boolean; nonce: string; timestamp: string; method: string }[] = [];
    host = await startTestHost((app) => {
      app.addHook('onRequest', async (req) => {
        if (req.url.startsWith('/passport')) return;
        const h = req.headers as Record<string, string>;
        const want = expectedSignature(req.method, `${host?.url}${req.url}`, h.timestamp ?? '', h.nonce ?? '', CLIENT_ID, 'secret');
        checks.push({ ok: h.signature === want && h.signaturemethod === 'SHA512', nonce: h.nonce ?? '', timestamp: h.timestamp ?? '', method: req.method });
      });
      app.get('/api/v1/loyalty/rewards', async () => BALANCE);
      app.post('/api/v1/loyalty/rewards/earn', async () => BALANCE);
    });
    client = newClient(host.url, () => 1_700_000_123_456);
    await client.balance({ card, transactionId: 'a b&c' });
    await client.earn({ card, transactionId: 'e1', amount: 1000, timeStamp: '20240101120000' });
    expect(checks.map((c) => [c.method, c.ok, c.timestamp])).toEqual([
      ['GET', true, '1700000123'],
      ['POST', true, '1700000123'],
    ]);
    for (const c of checks) expect(c.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(checks[0]?.nonce).not.toBe(checks[1]?.nonce);
  });

  it('on a 401, refreshes the token and retries once', async () => {
    const seen: string[] = [];
    host = await startTestHost(
      (app) =>
        app.get('/api/v1/loyalty/rewards', async (req, reply) => {
          seen.push(String(req.headers.authorization));
          if (req.headers.authorization === 'Bearer stale') return reply.code(401).send(seedError('E22', 'Access key has not been supplied.'));
          return BALANCE;
        }),
      { tokens: ['stale', 'fresh'] },
    );
    client = newClient(host.url, () => 1_700_000_000_000);
    const res = await client.balance({ card, transactionId: 't1' });
    expect(res.rewardTrxId).toBe('2263234');
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('a second 401 is HOST_ERR_AUTH, outcome failed (retry later, never dead-letter), with the host code', async () => {
    let calls = 0;
    host = await startTestHost((app) => app.post('/api/v1/loyalty/rewards/earn', async (_req, reply) => (calls++, reply.code(401).send(seedError('E24', 'Please synchronize your time')))));
    client = newClient(host.url, () => 1_700_000_000_000);
    const err = await client.earn({ card, transactionId: 'e1', amount: 10, timeStamp: '20240101120000' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ code: 'HOST_ERR_AUTH', outcome: 'failed', status: 401, hostCode: 'E24' });
    expect(calls).toBe(2);
    expect(host.tokenRequests).toHaveLength(2);
  });

  it('bad credentials at the token endpoint: HOST_ERR_AUTH, outcome not-sent (the operation never left)', async () => {
    let burns = 0;
    host = await startTestHost((app) => app.post('/api/v1/loyalty/rewards/redeem', async () => (burns++, { rewardTrxId: 'x', accounts: [] })), {
      tokenFailure: { status: 401, body: { code: 'Unauthorized', description: 'Bad credentials', errors: null } },
    });
    client = newClient(host.url, () => 1_700_000_000_000);
    const err = await client.burn({ card, rewardTrxId: 'r', transactionId: 'b1', mandates: [{ accountId: '12', accountType: '1', debit: 100 }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HOST_ERR_AUTH', outcome: 'not-sent', hostCode: 'Unauthorized' });
    expect(burns).toBe(0);
  });

  it('probe reports the clock skew from the Date header', async () => {
    host = await startTestHost(() => undefined);
    const hostNow = Date.now();
    client = newClient(host.url, () => hostNow + 45 * 60_000);
    const probe = await client.probe();
    expect(probe.serverDate).toBeInstanceOf(Date);
    expect(probe.skewS).toBeGreaterThan(40 * 60);
    expect(probe.skewS).toBeLessThan(50 * 60);
  });
});
