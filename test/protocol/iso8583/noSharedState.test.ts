import { describe, expect, it } from 'vitest';
import { Iso8583Error, decode, encode, type Iso8583Fields } from '../../../protocol/iso8583/index.js';

const PAN = '6280000000000016';
const ECHO = { mti: '0800', fields: { 7: '1122001530', 11: '000001', 70: '301' } };
// 0800, primary bitmap 82 20 00 00 00 00 00 00 (DE1, 7, 11), secondary 04 00 .. (DE70), then the fields.
const ECHO_HEX = '30383030' + '8220000000000000' + '0400000000000000' + '31313232303031353330' + '303030303031' + '333031';

function refusal(fields: Iso8583Fields): { code: string; field: number | undefined } {
  try {
    encode({ mti: '0200', fields });
  } catch (e) {
    if (e instanceof Iso8583Error) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected encode to throw');
}

describe('the codec keeps no state between calls', () => {
  it('an encode run while another is half done (a field getter) changes neither', () => {
    let inner: Buffer | undefined;
    const fields = {
      2: PAN,
      3: '000000',
      get 4(): string {
        inner = encode(ECHO);
        return '1500';
      },
      11: '000123',
    };
    const outer = encode({ mti: '0200', fields });
    expect(inner?.toString('hex')).toBe(ECHO_HEX);
    expect(decode(outer)).toEqual({ mti: '0200', fields: { 2: PAN, 3: '000000', 4: '000000001500', 11: '000123' } });
  });

  it('a decode run inside an encode changes neither', () => {
    let seen: unknown;
    const fields = {
      get 11(): string {
        seen = decode(Buffer.from(ECHO_HEX, 'hex'));
        return '000123';
      },
      70: '301',
    };
    expect(decode(encode({ mti: '0800', fields }))).toEqual({ mti: '0800', fields: { 11: '000123', 70: '301' } });
    expect(seen).toEqual(ECHO);
  });

  it('a refused message does not spoil the next one', () => {
    expect(refusal({ 2: PAN, 35: `${PAN}=3012?` })).toEqual({ code: 'ISO_ERR_CHARSET', field: 35 });
    expect(encode(ECHO).toString('hex')).toBe(ECHO_HEX);
  });
});

describe('with several bad fields, the first in field order is reported', () => {
  it.each([
    { name: 'charset (DE2) before length (DE4)', fields: { 2: 'X'.repeat(16), 4: '1'.repeat(13) }, code: 'ISO_ERR_CHARSET', field: 2 },
    { name: 'length (DE2) before charset (DE4)', fields: { 2: '6'.repeat(20), 4: '-5' }, code: 'ISO_ERR_LENGTH_MAX', field: 2 },
    { name: 'type (DE3) before charset (DE35)', fields: { 3: Buffer.from('000000'), 35: `${PAN}=3012?` }, code: 'ISO_ERR_TYPE', field: 3 },
    { name: 'charset (DE37) before type (DE64)', fields: { 37: 'ABC-1', 64: 'not bytes' }, code: 'ISO_ERR_CHARSET', field: 37 },
    { name: 'charset (DE41) before exact length (DE128)', fields: { 41: 'caf\u00e9', 128: Buffer.alloc(7) }, code: 'ISO_ERR_CHARSET', field: 41 },
  ] as { name: string; fields: Iso8583Fields; code: string; field: number }[])('$name', ({ fields, code, field }) => {
    expect(refusal(fields)).toEqual({ code, field });
  });
});

describe('each field value is read once', () => {
  it('a field whose getter answers differently on each read is read once: the message is sized and written from the same value', () => {
    const reads = ['6280000000000016', '628000000000001', '62800000000000167'];
    let n = 0;
    const fields = {
      get 2(): string {
        return reads[Math.min(n++, reads.length - 1)] as string;
      },
      3: '000000',
      11: '000123',
    };
    const out = encode({ mti: '0200', fields });
    // Whatever read was encoded, it is whole: the length prefix, the field and the next one agree with what decodes.
    const back = decode(out);
    expect(reads).toContain(back.fields[2]);
    expect(back.fields[3]).toBe('000000');
    expect(back.fields[11]).toBe('000123');
    expect(encode({ mti: '0200', fields: { 2: back.fields[2] as string, 3: '000000', 11: '000123' } })).toEqual(out);
  });
});
