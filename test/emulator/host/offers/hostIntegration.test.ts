import { describe, expect, it } from 'vitest';
import { card, hostForFile, MERCHANT, TERMINAL } from '../hostFixture.js';

/** The offers plugin inside the real host: its signature-checking auth hook, its ledger DB and fixtures. */
describe('Pay with Points in the host emulator', () => {
  const h = hostForFile();

  const offerCard = () => card('offer');

  it('lists and redeems the fixture offer with a signed request', async () => {
    const c = offerCard();
    const list = await h.api({
      method: 'POST', path: '/terminal/offers',
      body: { merchantId: MERCHANT, terminalId: TERMINAL, pan: c.pan, expiryDate: c.expiry, amount: 1000 },
    });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      offers: [{
        card_offer_id: 'cof_1', offer_id: 'ofr_1', display_text: 'BP: 10% off with Pay with Points',
        type: 'discount', value: 10, value_type: 'percent', benefit: 100, min_spend: 500,
      }],
    });
    const redeem = await h.api({
      method: 'POST', path: '/terminal/offers/redeem',
      body: { card_offer_id: 'cof_1', merchantId: MERCHANT, terminalId: TERMINAL, transactionId: 'int-1', amount: 1000, pan: c.pan, expiryDate: c.expiry },
    });
    expect(redeem.status).toBe(200);
    expect(redeem.body).toEqual({ redemption_id: 'red_1', type: 'discount', benefit: 100 });
  });

  it("the host's auth hook guards the terminal endpoints (401 E22 without a token, E26 with a bad signature)", async () => {
    const c = offerCard();
    const body = { merchantId: MERCHANT, terminalId: TERMINAL, pan: c.pan, expiryDate: c.expiry, amount: 1000 };
    const noToken = await h.api({ method: 'POST', path: '/terminal/offers', body, omit: ['Authorization'] });
    expect(noToken.status).toBe(401);
    expect((noToken.body as { error: { code: string } }).error.code).toBe('E22');
    const badSig = await h.api({ method: 'POST', path: '/terminal/offers', body, override: { Signature: 'AAAA' } });
    expect(badSig.status).toBe(401);
    expect((badSig.body as { error: { code: string } }).error.code).toBe('E26');
  });

  it('answers bad JSON on its routes with 400 E32 in the seed body shape', async () => {
    const res = await h.api({ method: 'POST', path: '/terminal/offers', body: '{"merchantId":' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ code: 'E32', message: 'JSON data is badly formatted' }],
      error: { code: 'E32', message: 'JSON data is badly formatted' },
    });
  });

  it('shows /_emulator/webhooks as not configured when the host has no webhook', async () => {
    const res = await h.api({ path: '/_emulator/webhooks' });
    expect(res.body).toEqual({ configured: false, deliveries: [], attempts: [] });
  });
});
