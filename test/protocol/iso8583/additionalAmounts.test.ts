import { describe, expect, it } from 'vitest';
import { Iso8583Error, decodeAdditionalAmounts, encodeAdditionalAmounts } from '../../../protocol/iso8583/index.js';

describe('DE54 additional amounts', () => {
  it.each([
    { name: 'one credit balance', value: '1202999C000000002450', entries: [{ accountType: '12', amountType: '02', currency: '999', amount: 2450 }] },
    { name: 'a debit (negative) balance', value: '0001840D000000000100', entries: [{ accountType: '00', amountType: '01', currency: '840', amount: -100 }] },
    {
      name: 'two entries',
      value: '1202999C000000000000' + '1302999C999999999999',
      entries: [
        { accountType: '12', amountType: '02', currency: '999', amount: 0 },
        { accountType: '13', amountType: '02', currency: '999', amount: 999_999_999_999 },
      ],
    },
  ])('$name, both directions', ({ value, entries }) => {
    expect(encodeAdditionalAmounts(entries)).toBe(value);
    expect(decodeAdditionalAmounts(value)).toEqual(entries);
  });

  it.each([
    ['not a multiple of 20', '1202999C00000000245'],
    ['bad sign', '1202999X000000002450'],
    ['letter in amount', '1202999C00000000245A'],
    ['letter in account type', 'A202999C000000002450'],
  ])('refuses %s', (_n, value) => {
    expect(() => decodeAdditionalAmounts(value)).toThrow(Iso8583Error);
  });

  it('refuses entries that do not fit', () => {
    const e = { accountType: '12', amountType: '02', currency: '999', amount: 1 };
    expect(() => encodeAdditionalAmounts([e, e, e, e, e, e, e])).toThrow(/at most 6/);
    expect(() => encodeAdditionalAmounts([{ ...e, amount: 1e12 }])).toThrow(/under 10\^12/);
    expect(() => encodeAdditionalAmounts([{ ...e, accountType: '1' }])).toThrow(/2 digits/);
    expect(() => encodeAdditionalAmounts([{ ...e, amount: 1.5 }])).toThrow(Iso8583Error);
  });
});
