import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostError } from '../../../agent/host/hostClient.js';
import { RestHostClient } from '../../../agent/host/restHostClient.js';
import { fixtureCardRef } from '../../support/fixtureCardRef.js';
import { hostErrorOf } from '../../support/hostErrorOf.js';
import { seedError, startTestHost, type TestHost } from './restTestServer.js';

const card = fixtureCardRef('happy');
const burnReq = { card, rewardTrxId: 'r1', transactionId: 'burn-1', mandates: [{ accountId: '12', accountType: '1', debit: 100 }] };

let host: TestHost | undefined;
let client: RestHostClient | undefined;
let raw: Server | undefined;
const sockets = new Set<Socket>();
afterEach(async () => {
  await client?.close();
  await host?.close();
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise<void>((r) => (raw ? raw.close(() => r()) : r()));
  client = undefined;
  host = undefined;
  raw = undefined;
});

function clientFor(url: string, timeoutMs = 300): RestHostClient {
  return new RestHostClient({ baseUrl: url, clientId: 'c', clientSecret: 's', merchantId: 'm', terminalId: 't', timeoutMs, connectTimeoutMs: 1000 });
}

function assertNoPan(err: HostError): void {
  expect(err.message).not.toContain(card.pan);
  expect(String(err.stack)).not.toContain(card.pan);
}

describe('RestHostClient failures and outcomes', () => {
  it('connection refused: not-sent, HOST_ERR_CONNECT', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    client = clientFor(`http://127.0.0.1:${port}`);
    const err = await hostErrorOf(client.burn(burnReq));
    expect(err).toMatchObject({ code: 'HOST_ERR_CONNECT', outcome: 'not-sent' });
    expect(err.retryable).toBe(true);
  });

  it('accepted but never answered: unknown, HOST_ERR_TIMEOUT', async () => {
    let burnsSeen = 0;
    host = await startTestHost((app) => app.post('/api/v1/loyalty/rewards/redeem', () => (burnsSeen++, new Promise(() => undefined))));
    client = clientFor(host.url, 200);
    const err = await hostErrorOf(client.burn(burnReq));
    expect(err).toMatchObject({ code: 'HOST_ERR_TIMEOUT', outcome: 'unknown' });
    expect(burnsSeen).toBe(1);
    assertNoPan(err);
  });

  it('connection dropped after the request arrived: unknown', async () => {
    host = await startTestHost((app) =>
      app.post('/api/v1/loyalty/rewards/redeem', async (req) => {
        req.raw.socket.destroy();
        return new Promise(() => undefined);
      }),
    );
    client = clientFor(host.url, 5000);
    const err = await hostErrorOf(client.burn(burnReq));
    expect(err).toMatchObject({ code: 'HOST_ERR_TIMEOUT', outcome: 'unknown' });
  });

  it('token endpoint never answers: the operation was not sent', async () => {
    raw = createServer((s) => sockets.add(s)); // accepts, reads, never answers
    await new Promise<void>((r) => raw?.listen(0, '127.0.0.1', () => r()));
    client = clientFor(`http://127.0.0.1:${(raw.address() as { port: number }).port}`, 200);
    const err = await hostErrorOf(client.burn(burnReq));
    expect(err).toMatchObject({ code: 'HOST_ERR_TIMEOUT', outcome: 'not-sent' });
  });

  it('5xx: failed, HOST_ERR_SERVER', async () => {
    host = await startTestHost((app) => app.post('/api/v1/loyalty/rewards/earn', async (_q, reply) => reply.code(500).send(seedError('L96', 'System error'))));
    client = clientFor(host.url);
    const err = await hostErrorOf(client.earn({ card, transactionId: 'e', amount: 1, timeStamp: '20240101000000' }));
    expect(err).toMatchObject({ code: 'HOST_ERR_SERVER', outcome: 'failed', status: 500, hostCode: 'L96' });
  });

  it('504 from a gateway: unknown (the host may have acted)', async () => {
    host = await startTestHost((app) => app.post('/api/v1/loyalty/rewards/redeem', async (_q, reply) => reply.code(504).send('Gateway Timeout')));
    client = clientFor(host.url);
    expect(await hostErrorOf(client.burn(burnReq))).toMatchObject({ code: 'HOST_ERR_SERVER', outcome: 'unknown', status: 504 });
  });

  it.each([
    { status: 422, code: 'L51', message: 'Insufficient points' },
    { status: 404, code: 'L14', message: 'Unknown card: the identifier is not enrolled' },
    { status: 409, code: '2020', message: 'Duplicate Account Not Allowed' },
    { status: 400, code: '1013', message: 'Account Creation Error [UMI Format]' },
  ])('4xx $code with the seed body: rejected with hostCode', async ({ status, code, message }) => {
    host = await startTestHost((app) => app.post('/api/v1/loyalty/rewards/redeem', async (_q, reply) => reply.code(status).send(seedError(code, `${message} ${card.pan}`))));
    client = clientFor(host.url);
    const err = await hostErrorOf(client.burn(burnReq));
    expect(err).toMatchObject({ code: 'HOST_ERR_REJECTED', outcome: 'rejected', status, hostCode: code });
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(message);
    assertNoPan(err);
  });

  it('429: failed (retry later)', async () => {
    host = await startTestHost((app) => app.post('/api/v1/loyalty/rewards/redeem', async (_q, reply) => reply.code(429).send(seedError('E34', 'busy'))));
    client = clientFor(host.url);
    expect(await hostErrorOf(client.burn(burnReq))).toMatchObject({ outcome: 'failed', status: 429 });
  });

  it('2xx with a body that breaks the contract after a burn: HOST_ERR_PROTOCOL, unknown', async () => {
    host = await startTestHost((app) => app.post('/api/v1/loyalty/rewards/redeem', async () => ({ rewardTrxId: 'r1', accounts: [{ accountId: '12', accountType: '1', debit: 'lots', balance: '1' }] })));
    client = clientFor(host.url);
    expect(await hostErrorOf(client.burn(burnReq))).toMatchObject({ code: 'HOST_ERR_PROTOCOL', outcome: 'unknown', status: 200 });
  });

  it('2xx that is not JSON: HOST_ERR_PROTOCOL, unknown', async () => {
    host = await startTestHost((app) => app.get('/api/v1/loyalty/rewards', async (_q, reply) => reply.type('text/html').send('<html>proxy</html>')));
    client = clientFor(host.url);
    expect(await hostErrorOf(client.balance({ card, transactionId: 'b' }))).toMatchObject({ code: 'HOST_ERR_PROTOCOL', outcome: 'unknown' });
  });
});
