import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOffersApp, type TestApp } from './offersTestApp.js';

// Test PANs from emulator/host/fixtures.ts only.
const HAPPY = '6280000000000016';
const EMPTY = '6280000000000024';
const BAD_LUHN = '6280000000000017';

const offer = { name: 'Shop: 3.00 back', description: ['3.00 cashback'], type: 'cashback', value: 300, value_type: 'amount' };
const NOW = new Date('2026-06-15T12:00:00Z');

let t: TestApp;
beforeEach(async () => {
  t = await startOffersApp({ now: () => NOW });
});
afterEach(async () => {
  await t.close();
});

async function person(email = 'ada@example.com'): Promise<string> {
  const res = await t.post('/persons', { first_name: 'Ada', last_name: 'Lovelace', email });
  expect(res.status).toBe(201);
  return res.body.person_id as string;
}

describe('POST /offers', () => {
  it('creates an offer: 201 {offer_id}', async () => {
    const res = await t.post('/offers', { merchant_id: '58725', offer });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['offer_id']);
    // The fixture offer is ofr_1, so this one is the second.
    expect(res.body.offer_id).toBe('ofr_2');
  });

  it('rejects a bad offer with 400, code 1013, every problem listed', async () => {
    const res = await t.post('/offers', { merchant_id: '58725', offer: { ...offer, value_type: 'points', value: -1 } });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(res.body.errors?.[0]);
    expect(res.body.errors?.map((e: { code: string }) => e.code)).toEqual(['1013', '1013']);
    expect(res.body.errors?.map((e: { message: string }) => e.message)).toEqual([
      'POST /offers: offer.value: must be at least 1',
      'POST /offers: offer.value_type: must be "percent" or "amount"',
    ]);
  });

  it('answers bad JSON with 400 E32 and a wrong content type with 415 E14', async () => {
    const bad = await t.post('/offers', null, { raw: '{"merchant_id": ' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('E32');
    const text = await t.post('/offers', null, { raw: 'merchant_id=1', contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.body.error?.code).toBe('E14');
  });
});

describe('POST /persons', () => {
  it('creates a person, and a second with the same email is 409 / 2020', async () => {
    expect(await person()).toBe('per_2'); // per_1 is the fixture card's person
    const again = await t.post('/persons', { first_name: 'A', last_name: 'L', email: 'ada@example.com' });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('2020');
  });

  it('rejects a bad email with 1013', async () => {
    const res = await t.post('/persons', { first_name: 'A', last_name: 'L', email: 'not-an-email' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ code: '1013', message: 'POST /persons: email: must be an email address' }]);
  });
});

describe('POST /cards', () => {
  it('registers a card: 201 {card_id, last4}', async () => {
    const person_id = await person();
    const res = await t.post('/cards', { person_id, pan: HAPPY, exp_month: 12, exp_year: 2030 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ card_id: 'crd_2', last4: '0016' });
  });

  it('accepts a two-digit year and the current month', async () => {
    const res = await t.post('/cards', { person_id: await person(), pan: EMPTY, exp_month: 6, exp_year: 26 });
    expect(res.status).toBe(201);
  });

  it.each([
    { name: 'bad Luhn', pan: BAD_LUHN, exp_month: 12, exp_year: 2030, message: 'PAN fails the Luhn check' },
    { name: 'last month', pan: HAPPY, exp_month: 5, exp_year: 2026, message: 'card expiry is in the past' },
    { name: 'month 13', pan: HAPPY, exp_month: 13, exp_year: 2030, message: 'POST /cards: exp_month: must be 1-12' },
    { name: 'letters in PAN', pan: 'abcd', exp_month: 1, exp_year: 2030, message: 'POST /cards: pan: must be 12-19 digits' },
  ])('rejects $name with 400 / 1013 and no PAN in the answer', async ({ pan, exp_month, exp_year, message }) => {
    const res = await t.post('/cards', { person_id: await person(), pan, exp_month, exp_year });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: '1013', message });
    expect(JSON.stringify(res.body)).not.toContain(pan.slice(0, 12));
  });

  it('404 / P14 for an unknown person, 409 / 2020 for a card registered twice', async () => {
    const unknown = await t.post('/cards', { person_id: 'per_999', pan: HAPPY, exp_month: 12, exp_year: 2030 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('P14');
    const person_id = await person();
    expect((await t.post('/cards', { person_id, pan: HAPPY, exp_month: 12, exp_year: 2030 })).status).toBe(201);
    const twice = await t.post('/cards', { person_id, pan: HAPPY, exp_month: 12, exp_year: 2030 });
    expect(twice.status).toBe(409);
    expect(twice.body.error?.code).toBe('2020');
  });
});

describe('POST /cards/:id/offers', () => {
  it('links a card to an offer (201), linking again is 409 / 2020', async () => {
    const { offer_id } = (await t.post('/offers', { merchant_id: '58725', offer })).body;
    const { card_id } = (await t.post('/cards', { person_id: await person(), pan: HAPPY, exp_month: 12, exp_year: 2030 })).body;
    const first = await t.post(`/cards/${card_id}/offers`, { offer_id });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ card_offer_id: 'cof_2' });
    const again = await t.post(`/cards/${card_id}/offers`, { offer_id });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('2020');
  });

  it('404 / P14 for an unknown card or offer, 400 / 1013 without offer_id', async () => {
    const { card_id } = (await t.post('/cards', { person_id: await person(), pan: HAPPY, exp_month: 12, exp_year: 2030 })).body;
    const noCard = await t.post('/cards/crd_404/offers', { offer_id: 'ofr_1' });
    expect([noCard.status, noCard.body.error]).toEqual([404, { code: 'P14', message: 'card not found' }]);
    const noOffer = await t.post(`/cards/${card_id}/offers`, { offer_id: 'ofr_77' });
    expect([noOffer.status, noOffer.body.error]).toEqual([404, { code: 'P14', message: 'offer_id not found' }]);
    const missing = await t.post(`/cards/${card_id}/offers`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error?.code).toBe('1013');
  });
});
