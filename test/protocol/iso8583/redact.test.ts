import { describe, expect, it } from 'vitest';
import { REDACTED_FIELDS, decode, encode, redact, type Iso8583Message } from '../../../protocol/iso8583/index.js';

const PAN = '6280000000000016';

function message(): Iso8583Message {
  return {
    mti: '0200',
    fields: {
      2: PAN,
      3: '000000',
      4: '000000001500',
      14: '3012',
      35: `${PAN}=3012101`,
      37: 'TXN000000042',
      45: `B${PAN}^HAPPY/HARRIET^3012101`,
      52: Buffer.from('0123456789abcdef', 'hex'),
      55: Buffer.from('9f2608aabbccddeeff0011', 'hex'),
      64: Buffer.alloc(8, 7),
    },
  };
}

describe('redact', () => {
  it('masks DE2 to first 6 / last 4 and removes DE14, 35, 45, 52, 55', () => {
    const out = redact(message());
    expect(out.fields[2]).toBe('628000******0016');
    for (const id of [14, 35, 45, 52, 55]) expect(out.fields[id]).toBeUndefined();
    expect(REDACTED_FIELDS).toEqual([14, 35, 45, 52, 55]);
    expect(out.fields[3]).toBe('000000');
    expect(out.fields[37]).toBe('TXN000000042');
    expect(out.fields[64]).toEqual(Buffer.alloc(8, 7));
    expect(out.mti).toBe('0200');
  });

  it('returns a new message and leaves the input untouched', () => {
    const input = message();
    const snapshot = encode(input);
    const out = redact(input);
    expect(out).not.toBe(input);
    expect(out.fields).not.toBe(input.fields);
    (out.fields[64] as Buffer).fill(0);
    expect(encode(input).equals(snapshot)).toBe(true);
    expect(input.fields[2]).toBe(PAN);
    expect(input.fields[35]).toBe(`${PAN}=3012101`);
  });

  it('leaves no PAN digits run anywhere in the JSON of the result', () => {
    const json = JSON.stringify(redact(decode(encode(message()))));
    expect(json).not.toContain(PAN);
    expect(json).not.toContain('3012');
  });

  it('is for display only: encoding a redacted message fails on the masked DE2', () => {
    expect(() => encode(redact(message()))).toThrow(/field 2/);
  });
});
