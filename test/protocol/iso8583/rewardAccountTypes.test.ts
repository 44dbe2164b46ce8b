import { describe, expect, it } from 'vitest';
import { Iso8583Error, decodeRewardAccountTypes, encodeRewardAccountTypes } from '../../../protocol/iso8583/index.js';

describe('DE63 reward account types', () => {
  it.each([
    { name: 'one pool account', value: '011', types: ['1'] },
    { name: 'two accounts', value: '011' + '02P2', types: ['1', 'P2'] },
    { name: 'a 16-character type', value: '16' + 'ABCDEFGHIJ-_!~#9', types: ['ABCDEFGHIJ-_!~#9'] },
    { name: 'no entries', value: '', types: [] },
  ])('$name, both directions', ({ value, types }) => {
    expect(encodeRewardAccountTypes(types)).toBe(value);
    expect(decodeRewardAccountTypes(value)).toEqual(types);
  });

  it.each([
    { name: 'length not digits', value: '1A1' },
    { name: 'length 00', value: '00' },
    { name: 'length 17 > 16', value: '17' + 'A'.repeat(17) },
    { name: 'item cut short', value: '03AB' },
    { name: 'a lone length digit', value: '011' + '0' },
    { name: 'a space in a type', value: '02A ' },
    { name: 'seven items', value: '011'.repeat(7) },
  ])('refuses $name with ISO_ERR_PROFILE on field 63', ({ value }) => {
    let err: unknown;
    try {
      decodeRewardAccountTypes(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Iso8583Error);
    expect((err as Iso8583Error).code).toBe('ISO_ERR_PROFILE');
    expect((err as Iso8583Error).field).toBe(63);
    expect((err as Iso8583Error).message).toMatch(/^field 63 \(Reward Account Types\): /);
  });

  it.each([
    { name: 'an empty type', types: [''] },
    { name: 'a type with a space', types: ['pool 1'] },
    { name: 'a 17-character type', types: ['A'.repeat(17)] },
    { name: 'a non-ASCII type', types: ['é'] },
    { name: 'seven types', types: ['1', '1', '1', '1', '1', '1', '1'] },
  ])('will not encode $name', ({ types }) => {
    expect(() => encodeRewardAccountTypes(types)).toThrow(expect.objectContaining({ code: 'ISO_ERR_PROFILE', field: 63 }));
  });
});
