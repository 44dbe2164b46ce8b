/** Returns and voids: undoing an offer redemption, and its signed webhook (emulator/README.md, "Returns and voids: the host extension"). */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { DEFAULT_FIXTURES, type Fixtures } from '../../../../emulator/host/fixtures.js';
import type { RetryScheduler } from '../../../../emulator/host/offers/index.js';
import { HttpsReceiver, selfSignedCert } from './httpsReceiver.js';
import { startOffersApp, type TestApp } from './offersTestApp.js';

const SECRET = 'whsec_cG9zLWFnZW50LW9mZmVycy10ZXN0LWtleS0zMmJ5dGU=';
const OFFER_CARD = { pan: '6280000000000057', expiryDate: '3012' };
const TERMINAL = { merchantId: 'IBP000000000162', terminalId: '20690111' };
const redeem = (transactionId: string) => ({ card_offer_id: 'cof_1', ...TERMINAL, transactionId, amount: 2000, ...OFFER_CARD });
const reverse = (app: TestApp, redemptionId: string, body: Record<string, unknown>) => app.post(`/terminal/offers/redemptions/${redemptionId}/reversal`, body);

/** The fixture offer, single use. */
const SINGLE_USE: Fixtures = { ...DEFAULT_FIXTURES, offers: DEFAULT_FIXTURES.offers.map((o) => ({ ...o, activation_limit: 1 })) };

const immediate: RetryScheduler = { setTimeout: (fn) => setImmediate(fn), clearTimeout: (h) => clearImmediate(h as NodeJS.Immediate) };

let tls: { cert: string; key: string };
let receiver: HttpsReceiver;
let app: TestApp;
beforeAll(async () => {
  tls = await selfSignedCert();
});
afterEach(async () => {
  await app.close();
  await receiver.close();
});

async function start(): Promise<TestApp> {
  receiver = new HttpsReceiver();
  await receiver.start(tls);
  app = await startOffersApp({ fixtures: SINGLE_USE, webhook: { url: receiver.url, secret: SECRET, ca: tls.cert, scheduler: immediate } });
  return app;
}

describe('POST /terminal/offers/redemptions/{redemption_id}/reversal', () => {
  it('undoes a single-use redemption (redeemable again) and sends a card_offer.redemption_reversed webhook the receiver verifies', async () => {
    const t = await start();
    expect((await t.post('/terminal/offers/redeem', redeem('r-1'))).body).toEqual({ redemption_id: 'red_1', type: 'discount', benefit: 200 });
    const used = await t.post('/terminal/offers/redeem', redeem('r-2'));
    expect([used.status, used.body.error?.code]).toEqual([422, 'P65']);

    const res = await reverse(t, 'red_1', { transactionId: 'v-1', ...TERMINAL });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ redemption_id: 'red_1', transactionId: 'v-1', reversed: true, type: 'discount', benefit: 200 });
    await t.handle.webhooks!.settled();
    expect(receiver.received).toHaveLength(2);
    const { headers, body } = receiver.received[1]!;
    const payload = new Webhook(SECRET).verify(body, headers) as { type: string; data: unknown };
    expect(payload.type).toBe('card_offer.redemption_reversed');
    expect(payload.data).toEqual({
      card_offer_id: 'cof_1', offer_id: 'ofr_1', redemption_id: 'red_1', merchant_id: '58725', terminal_id: '20690111',
      amount: 2000, benefit: 200, type: 'discount', last4: '0057', reversal_transaction_id: 'v-1',
    });
    expect(body).not.toContain(OFFER_CARD.pan);
    expect(() => new Webhook('whsec_' + Buffer.alloc(32, 1).toString('base64')).verify(body, headers)).toThrow();

    // A retry of the reversed redemption (same transactionId, same body) is told it was reversed, not "applied".
    const retried = await t.post('/terminal/offers/redeem', redeem('r-1'));
    expect([retried.status, retried.body.error?.code]).toEqual([409, 'P12']);

    // Redeemable again; a repeat of the reversal answers the same and sends nothing more.
    expect((await t.post('/terminal/offers/redeem', redeem('r-3'))).body).toMatchObject({ redemption_id: 'red_2' });
    const again = await reverse(t, 'red_1', { transactionId: 'v-1' });
    expect(again.body).toEqual(res.body);
    await t.handle.webhooks!.settled();
    expect(receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
      'card_offer.redeemed', 'card_offer.redemption_reversed', 'card_offer.redeemed',
    ]);
  });

  it('refuses: P12 a second reversal under another transactionId, 2020 a transactionId reused, P14 unknown, P58 another terminal, 1013 no transactionId', async () => {
    const t = await start();
    await t.post('/terminal/offers/redeem', redeem('r-1'));
    await reverse(t, 'red_1', { transactionId: 'v-1' });
    const twice = await reverse(t, 'red_1', { transactionId: 'v-2' });
    expect([twice.status, twice.body.error?.code]).toEqual([409, 'P12']);
    await t.post('/terminal/offers/redeem', redeem('r-2'));
    const reused = await reverse(t, 'red_2', { transactionId: 'v-1' });
    expect([reused.status, reused.body.error?.code]).toEqual([409, '2020']);
    const unknown = await reverse(t, 'red_99', { transactionId: 'v-3' });
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'P14']);
    const other = await reverse(t, 'red_2', { transactionId: 'v-4', terminalId: '99999999' });
    expect([other.status, other.body.error?.code]).toEqual([403, 'P58']);
    const bad = await reverse(t, 'red_2', {});
    expect([bad.status, bad.body.error?.code]).toEqual([400, '1013']);
    // red_2 is still in force: the single-use offer stays used.
    const used = await t.post('/terminal/offers/redeem', redeem('r-3'));
    expect(used.body.error?.code).toBe('P65');
    await t.handle.webhooks!.settled();
    expect(receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
      'card_offer.redeemed', 'card_offer.redemption_reversed', 'card_offer.redeemed',
    ]);
  });
});
