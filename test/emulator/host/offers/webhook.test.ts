import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { RetryScheduler } from '../../../../emulator/host/offers/index.js';
import { HttpsReceiver, selfSignedCert } from './httpsReceiver.js';
import { startOffersApp, type TestApp } from './offersTestApp.js';

const SECRET = 'whsec_cG9zLWFnZW50LW9mZmVycy10ZXN0LWtleS0zMmJ5dGU=';
const OFFER_CARD = { pan: '6280000000000057', expiryDate: '3012' };
const REDEEM = {
  card_offer_id: 'cof_1', merchantId: 'IBP000000000162', terminalId: '20690111', transactionId: 'wh-1', amount: 2000, ...OFFER_CARD,
};

/** Runs each scheduled attempt on the next turn of the event loop and records the requested delay. */
function immediateScheduler(delays: number[]): RetryScheduler {
  return {
    setTimeout(fn, ms) {
      delays.push(ms);
      return setImmediate(fn);
    },
    clearTimeout(h) {
      clearImmediate(h as NodeJS.Immediate);
    },
  };
}

let tls: { cert: string; key: string };
beforeAll(async () => {
  tls = await selfSignedCert();
});

let receiver: HttpsReceiver;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  await receiver?.close();
});

async function start(opts: { delays?: number[]; scheduler?: RetryScheduler; maxAttempts?: number; trust?: boolean } = {}) {
  receiver = new HttpsReceiver();
  await receiver.start(tls);
  t = await startOffersApp({
    webhook: {
      url: receiver.url,
      secret: SECRET,
      ca: opts.trust === false ? undefined : tls.cert,
      scheduler: opts.scheduler ?? immediateScheduler(opts.delays ?? []),
      policy: { maxAttempts: opts.maxAttempts ?? 6 },
    },
  });
  return t;
}

describe('card_offer.redeemed webhook', () => {
  it('is POSTed over HTTPS, signed so that the standardwebhooks library verifies it', async () => {
    const app = await start();
    const res = await app.post('/terminal/offers/redeem', REDEEM);
    expect(res.body).toEqual({ redemption_id: 'red_1', type: 'discount', benefit: 200 });
    await app.handle.webhooks!.settled();
    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0]!;
    const payload = new Webhook(SECRET).verify(body, headers) as { type: string; timestamp: string; data: unknown };
    expect(payload.type).toBe('card_offer.redeemed');
    expect(Number.isNaN(Date.parse(payload.timestamp))).toBe(false);
    expect(payload.data).toEqual({
      card_offer_id: 'cof_1', offer_id: 'ofr_1', redemption_id: 'red_1', merchant_id: '58725', terminal_id: '20690111',
      amount: 2000, benefit: 200, type: 'discount', last4: '0057',
    });
    expect(body).not.toContain(OFFER_CARD.pan);
    expect(headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);

    const log = await app.get('/_emulator/webhooks');
    expect(log.body.configured).toBe(true);
    expect(log.body.deliveries).toEqual([
      { id: headers['webhook-id'], type: 'card_offer.redeemed', state: 'delivered', attempts: 1, next_attempt_at: null },
    ]);
    expect(log.body.attempts).toEqual([
      { id: headers['webhook-id'], attempt: 1, at: expect.any(String), status: 200, error: null },
    ]);
  });

  it('does not hold the redeem answer while the receiver is slow', async () => {
    const app = await start();
    receiver.hold = true;
    const res = await app.post('/terminal/offers/redeem', REDEEM);
    expect(res.status).toBe(200);
    await receiver.receivedCount(1);
    // The receiver has the request and has not answered: the delivery is still pending.
    expect(app.handle.webhooks!.snapshot().deliveries.map((d) => d.state)).toEqual(['pending']);
    receiver.release();
    await app.handle.webhooks!.settled();
    expect(app.handle.webhooks!.snapshot().deliveries.map((d) => d.state)).toEqual(['delivered']);
  });

  it('retries with exponential backoff after 500s, same id each time, each attempt verifiable', async () => {
    const delays: number[] = [];
    const app = await start({ delays });
    receiver.statuses = [500, 500, 500];
    await app.post('/terminal/offers/redeem', REDEEM);
    await app.handle.webhooks!.settled();
    expect(delays).toEqual([0, 200, 400, 800]); // first attempt at once, then 200 ms doubling
    expect(receiver.received).toHaveLength(4);
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const r of receiver.received) expect(() => new Webhook(SECRET).verify(r.body, r.headers)).not.toThrow();
    const log = (await app.get('/_emulator/webhooks')).body;
    expect(log.attempts?.map((a: { attempt: number; status: number }) => [a.attempt, a.status])).toEqual([
      [1, 500], [2, 500], [3, 500], [4, 200],
    ]);
    expect(log.deliveries?.[0]?.state).toBe('delivered');
  });

  it('gives up after maxAttempts and says so', async () => {
    const delays: number[] = [];
    const app = await start({ delays, maxAttempts: 3 });
    receiver.statuses = [503, 503, 503, 503];
    await app.post('/terminal/offers/redeem', REDEEM);
    await app.handle.webhooks!.settled();
    expect(delays).toEqual([0, 200, 400]);
    const log = (await app.get('/_emulator/webhooks')).body;
    expect(log.deliveries).toEqual([expect.objectContaining({ state: 'failed', attempts: 3 })]);
    expect(log.attempts?.map((a: { status: number }) => a.status)).toEqual([503, 503, 503]);
  });

  it("records a TLS error when the receiver's certificate is not trusted", async () => {
    const app = await start({ trust: false, maxAttempts: 1 });
    await app.post('/terminal/offers/redeem', REDEEM);
    await app.handle.webhooks!.settled();
    expect(receiver.received).toHaveLength(0);
    const [attempt] = app.handle.webhooks!.snapshot().attempts;
    expect(attempt).toMatchObject({ attempt: 1, status: null });
    expect(attempt!.error).toMatch(/CERT|SELF_SIGNED|certificate/i);
  });

  it('sends nothing more for an idempotent replay', async () => {
    const app = await start();
    await app.post('/terminal/offers/redeem', REDEEM);
    await app.post('/terminal/offers/redeem', REDEEM);
    await app.handle.webhooks!.settled();
    expect(app.handle.webhooks!.snapshot().deliveries).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('stops retrying when the app closes', async () => {
    let scheduled: (() => void) | undefined;
    const cleared: unknown[] = [];
    const retryScheduled = new Promise<void>((resolve) => {
      scheduled = resolve;
    });
    const scheduler: RetryScheduler = {
      setTimeout(fn, ms) {
        if (ms === 0) return setImmediate(fn);
        scheduled?.();
        return { retry: ms }; // held: never runs
      },
      clearTimeout(h) {
        cleared.push(h);
      },
    };
    const app = await start({ scheduler });
    receiver.statuses = [500];
    await app.post('/terminal/offers/redeem', REDEEM);
    await retryScheduled;
    const sender = app.handle.webhooks!;
    await app.close();
    t = undefined;
    await sender.settled();
    expect(cleared).toEqual([{ retry: 200 }]);
    expect(sender.snapshot().deliveries.map((d) => d.state)).toEqual(['cancelled']);
    expect(receiver.received).toHaveLength(1);
  });
});

describe('without a webhook', () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await startOffersApp();
  });
  afterAll(async () => {
    await plain.close();
  });

  it('redeems normally and /_emulator/webhooks says none is configured', async () => {
    expect((await plain.post('/terminal/offers/redeem', REDEEM)).status).toBe(200);
    expect((await plain.get('/_emulator/webhooks')).body).toEqual({ configured: false, deliveries: [], attempts: [] });
  });
});
