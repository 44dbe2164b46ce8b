import { describe, expect, it } from 'vitest';
import { terminalOffersResponseSchema, terminalRedeemResponseSchema } from '../../../protocol/offers/index.js';

describe('Pay with Points terminal response schemas', () => {
  it('offers: numeric ids become strings, a digit-string benefit a number', () => {
    const out = terminalOffersResponseSchema.parse({ offers: [{ card_offer_id: 7, offer_id: 'of_1', display_text: 'BP', type: 'discount', value: 10, value_type: 'percent', benefit: '250' }] });
    expect(out).toEqual({ offers: [{ card_offer_id: '7', offer_id: 'of_1', display_text: 'BP', type: 'discount', value: 10, value_type: 'percent', benefit: 250 }] });
    expect(terminalOffersResponseSchema.safeParse({ offers: [{ card_offer_id: '1', offer_id: '1', display_text: '', type: 'gift', value: 1, value_type: 'amount', benefit: 1 }] }).success).toBe(false);
  });

  it('redeem', () => {
    expect(terminalRedeemResponseSchema.parse({ redemption_id: 'rd_1', type: 'cashback', benefit: 300 })).toEqual({ redemption_id: 'rd_1', type: 'cashback', benefit: 300 });
    expect(terminalRedeemResponseSchema.safeParse({ redemption_id: 'rd_1', type: 'cashback' }).success).toBe(false);
  });
});
