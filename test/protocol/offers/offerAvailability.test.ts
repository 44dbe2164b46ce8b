import { describe, expect, it } from 'vitest';
import { offerAvailability, utcDay, type OfferSpec } from '../../../protocol/offers/index.js';

const base: OfferSpec = {
  name: 'BP 10%',
  description: [],
  type: 'discount',
  value: 10,
  value_type: 'percent',
  min_spend: 500,
  start_date: '2026-03-01',
  end_date: '2026-03-31',
  activation_limit: 2,
};

describe('offerAvailability', () => {
  it.each([
    { name: 'day before start', today: '2026-02-28', amount: 1000, redemptions: 0, want: { ok: false, reason: 'not-started' } },
    { name: 'start day is inclusive', today: '2026-03-01', amount: 1000, redemptions: 0, want: { ok: true, benefit: 100 } },
    { name: 'end day is inclusive', today: '2026-03-31', amount: 1000, redemptions: 1, want: { ok: true, benefit: 100 } },
    { name: 'day after end', today: '2026-04-01', amount: 1000, redemptions: 0, want: { ok: false, reason: 'ended' } },
    { name: 'limit reached', today: '2026-03-10', amount: 1000, redemptions: 2, want: { ok: false, reason: 'limit-reached' } },
    { name: 'below min spend', today: '2026-03-10', amount: 499, redemptions: 0, want: { ok: false, reason: 'below-min-spend' } },
  ])('$name', ({ today, amount, redemptions, want }) => {
    expect(offerAvailability(base, { today, amount, redemptions })).toEqual(want);
  });

  it('an offer without dates or limit is always live', () => {
    const open: OfferSpec = { name: 'x', description: [], type: 'cashback', value: 250, value_type: 'amount' };
    expect(offerAvailability(open, { today: '1999-01-01', amount: 100, redemptions: 10_000 })).toEqual({ ok: true, benefit: 100 });
  });

  it('utcDay uses the UTC calendar day', () => {
    expect(utcDay(new Date('2026-03-31T23:59:59-05:00'))).toBe('2026-04-01');
  });
});
