import { describe, expect, it } from 'vitest';
import {
  createCardSchema,
  createOfferSchema,
  OffersError,
  parseBody,
  terminalRedeemSchema,
} from '../../../protocol/offers/index.js';

function fail(schema: Parameters<typeof parseBody>[0], input: unknown): OffersError {
  try {
    parseBody(schema, input, 'test');
  } catch (e) {
    if (e instanceof OffersError) return e;
    throw e;
  }
  throw new Error('expected parseBody to throw');
}

const offer = { name: 'BP 10%', description: ['a'], type: 'discount', value: 10, value_type: 'percent' };

describe('parseBody with the offer schemas', () => {
  it('accepts a numeric merchant id and keeps it as text', () => {
    expect(parseBody(createOfferSchema, { merchant_id: 58725, offer }, 'test').merchant_id).toBe('58725');
  });

  it('reports every problem with its path, code 1013, in the seed body shape', () => {
    const err = fail(createOfferSchema, { merchant_id: '', offer: { ...offer, type: 'free', value: 150, end_date: '2026-02-30' } });
    expect(err.code).toBe('1013');
    expect(err.status).toBe(400);
    const body = err.toBody();
    expect(body.error).toEqual(body.errors[0]);
    const messages = body.errors.map((e) => e.message).join('\n');
    expect(body.errors.every((e) => e.code === '1013')).toBe(true);
    expect(messages).toMatch(/merchant_id/);
    expect(messages).toMatch(/offer\.type: must be "discount" or "cashback"/);
    expect(messages).toMatch(/offer\.end_date: must be a date YYYY-MM-DD/);
  });

  it('rejects a percent over 100 and an end before the start', () => {
    const err = fail(createOfferSchema, { merchant_id: '1', offer: { ...offer, value: 101, start_date: '2026-03-02', end_date: '2026-03-01' } });
    const messages = err.toBody().errors.map((e) => e.message);
    expect(messages).toContain('test: offer.value: a percent must be 1-100');
    expect(messages).toContain('test: offer.end_date: must not be before start_date');
  });

  it('never echoes a PAN, even a malformed one', () => {
    const pan = '6280000000000057';
    const err = fail(createCardSchema, { person_id: 'per_1', pan: `${pan}x`, exp_month: 13, exp_year: 2030 });
    expect(JSON.stringify(err.toBody())).not.toContain(pan);
    expect(err.toBody().errors.map((e) => e.message)).toEqual(['test: pan: must be 12-19 digits', 'test: exp_month: must be 1-12']);
  });

  it('masks a PAN that a caller put in a message', () => {
    const err = new OffersError('1013', 'bad card 6280000000000057');
    expect(err.message).toBe('bad card 628000******0057');
  });

  it('rejects a non-integer amount and a month-13 expiry at the terminal', () => {
    const err = fail(terminalRedeemSchema, {
      card_offer_id: 'cof_1', merchantId: 'M', terminalId: 'T', transactionId: 't1', amount: 10.5, pan: '6280000000000057', expiryDate: '3013',
    });
    expect(err.toBody().errors.map((e) => e.message)).toEqual([
      'test: amount: must be an integer in minor units',
      'test: expiryDate: must be YYMM with month 01-12',
    ]);
  });
});
