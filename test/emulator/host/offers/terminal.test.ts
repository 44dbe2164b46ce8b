import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOffersApp, type TestApp } from './offersTestApp.js';

// Test PANs from emulator/host/fixtures.ts only.
const OFFER_CARD = { pan: '6280000000000057', expiryDate: '3012' }; // linked to the BP offer (ofr_1 / cof_1)
const HAPPY = { pan: '6280000000000016', expiryDate: '3012' };
const EXPIRED = { pan: '6280000000000032', expiryDate: '2001' };
const TERMINAL = { merchantId: 'IBP000000000162', terminalId: '20690111' };

let clock = new Date('2026-06-15T12:00:00Z');
let t: TestApp;
beforeEach(async () => {
  clock = new Date('2026-06-15T12:00:00Z');
  t = await startOffersApp({ now: () => clock });
});
afterEach(async () => {
  await t.close();
});

const lookup = (card: { pan: string; expiryDate: string }, amount: number, terminal = TERMINAL) =>
  t.post('/terminal/offers', { ...terminal, ...card, amount });

let tx = 0;
const redeem = (card_offer_id: string, amount: number, card = OFFER_CARD, transactionId = `tx-${++tx}`) =>
  t.post('/terminal/offers/redeem', { card_offer_id, ...TERMINAL, transactionId, amount, ...card });

/** Enrolls HAPPY in a new offer at BP (58725) and returns its card_offer_id. */
async function enrollHappy(offer: Record<string, unknown>): Promise<string> {
  const { offer_id } = (
    await t.post('/offers', {
      merchant_id: '58725',
      offer: { name: 'BP 2.50 back', description: [], type: 'cashback', value: 250, value_type: 'amount', ...offer },
    })
  ).body;
  const { person_id } = (await t.post('/persons', { first_name: 'H', last_name: 'H', email: 'h@example.com' })).body;
  const { card_id } = (await t.post('/cards', { person_id, pan: HAPPY.pan, exp_month: 12, exp_year: 2030 })).body;
  return (await t.post(`/cards/${card_id}/offers`, { offer_id })).body.card_offer_id as string;
}

describe('POST /terminal/offers', () => {
  it('shows the fixture BP offer to the demo terminal through the merchant alias', async () => {
    const res = await lookup(OFFER_CARD, 1999);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      offers: [
        {
          card_offer_id: 'cof_1',
          offer_id: 'ofr_1',
          display_text: 'BP: 10% off with Pay with Points',
          type: 'discount',
          value: 10,
          value_type: 'percent',
          benefit: 199, // floor(1999 * 10 / 100)
          min_spend: 500,
        },
      ],
    });
  });

  it('also matches the Pay with Points merchant id itself', async () => {
    const res = await lookup(OFFER_CARD, 1000, { merchantId: '58725', terminalId: 'T1' });
    expect(res.body.offers?.map((o: { card_offer_id: string }) => o.card_offer_id)).toEqual(['cof_1']);
  });

  it.each([
    { name: 'another merchant', card: OFFER_CARD, amount: 1000, terminal: { merchantId: 'IOTHER0000001', terminalId: 'T1' } },
    { name: 'below the 5.00 minimum spend', card: OFFER_CARD, amount: 499, terminal: TERMINAL },
    { name: 'an unknown card', card: HAPPY, amount: 1000, terminal: TERMINAL },
  ])('lists nothing for $name', async ({ card, amount, terminal }) => {
    const res = await lookup(card, amount, terminal);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ offers: [] });
  });

  it('needs authentication', async () => {
    const res = await t.post('/terminal/offers', { ...TERMINAL, ...OFFER_CARD, amount: 1000 }, { auth: false });
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('E22');
  });

  it('422 / P54 for an expired card, 400 / 1013 for a bad PAN, never echoing it', async () => {
    const expired = await lookup(EXPIRED, 1000);
    expect([expired.status, expired.body.error]).toEqual([422, { code: 'P54', message: 'Expired card' }]);
    const bad = await lookup({ pan: '6280000000000058', expiryDate: '3012' }, 1000);
    expect([bad.status, bad.body.error]).toEqual([400, { code: '1013', message: 'PAN fails the Luhn check' }]);
    expect(JSON.stringify(bad.body)).not.toContain('6280000000000058');
  });

  it('honours start and end dates (inclusive, UTC days)', async () => {
    const cof = await enrollHappy({ start_date: '2026-06-16', end_date: '2026-06-17' });
    const listed = async () => (await lookup(HAPPY, 1000)).body.offers?.map((o: { card_offer_id: string }) => o.card_offer_id);
    expect(await listed()).toEqual([]);
    clock = new Date('2026-06-16T00:00:00Z');
    expect(await listed()).toEqual([cof]);
    clock = new Date('2026-06-17T23:59:59Z');
    expect(await listed()).toEqual([cof]);
    clock = new Date('2026-06-18T00:00:00Z');
    expect(await listed()).toEqual([]);
    const late = await redeem(cof, 1000, HAPPY);
    expect([late.status, late.body.error?.code]).toEqual([422, 'P57']);
  });
});

describe('POST /terminal/offers/redeem', () => {
  it('redeems the BP offer: {redemption_id, type, benefit}', async () => {
    const res = await redeem('cof_1', 2500);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ redemption_id: 'red_1', type: 'discount', benefit: 250 });
  });

  it('is idempotent by transactionId: same body, same answer; different body, 409 / 2020', async () => {
    const first = await redeem('cof_1', 2500, OFFER_CARD, 'T-42');
    const again = await redeem('cof_1', 2500, OFFER_CARD, 'T-42');
    expect(again).toEqual(first);
    const count = t.db.prepare('SELECT COUNT(*) AS n FROM offers_redemptions').get() as { n: number };
    expect(count.n).toBe(1);
    const changed = await redeem('cof_1', 2600, OFFER_CARD, 'T-42');
    expect([changed.status, changed.body.error?.code]).toEqual([409, '2020']);
  });

  it('counts redemptions toward the activation limit; a replay still answers after the limit', async () => {
    const cof = await enrollHappy({ activation_limit: 2 });
    expect((await redeem(cof, 1000, HAPPY, 'a')).body).toEqual({ redemption_id: 'red_1', type: 'cashback', benefit: 250 });
    expect((await redeem(cof, 100, HAPPY, 'b')).body).toEqual({ redemption_id: 'red_2', type: 'cashback', benefit: 100 });
    const third = await redeem(cof, 1000, HAPPY, 'c');
    expect([third.status, third.body.error?.code]).toEqual([422, 'P65']);
    expect((await lookup(HAPPY, 1000)).body.offers).toEqual([]);
    expect((await redeem(cof, 1000, HAPPY, 'a')).body).toEqual({ redemption_id: 'red_1', type: 'cashback', benefit: 250 });
  });

  it('422 / P13 below the minimum spend, 422 / P57 at another merchant', async () => {
    const low = await redeem('cof_1', 499);
    expect([low.status, low.body.error?.code]).toEqual([422, 'P13']);
    const elsewhere = await t.post('/terminal/offers/redeem', {
      card_offer_id: 'cof_1', merchantId: 'IOTHER0000001', terminalId: 'T1', transactionId: 'x1', amount: 1000, ...OFFER_CARD,
    });
    expect([elsewhere.status, elsewhere.body.error?.code]).toEqual([422, 'P57']);
  });

  it("404 / P14 for another card's card offer or an unknown id", async () => {
    const cof = await enrollHappy({});
    const wrongCard = await redeem(cof, 1000, OFFER_CARD);
    expect([wrongCard.status, wrongCard.body.error]).toEqual([404, { code: 'P14', message: 'card_offer_id not found for this card' }]);
    const unknown = await redeem('cof_999', 1000);
    expect(unknown.status).toBe(404);
  });

  it('400 / 1013 for a missing transactionId, 401 without auth', async () => {
    const res = await t.post('/terminal/offers/redeem', { card_offer_id: 'cof_1', ...TERMINAL, amount: 1000, ...OFFER_CARD });
    expect([res.status, res.body.error]).toEqual([
      400,
      { code: '1013', message: 'POST /terminal/offers/redeem: transactionId: must be a string' },
    ]);
    const noAuth = await t.post('/terminal/offers/redeem', {}, { auth: false });
    expect(noAuth.status).toBe(401);
  });
});
