import { describe, expect, it } from 'vitest';
import { Iso8583Error, encode, type Iso8583Fields } from '../../../protocol/iso8583/index.js';

const PAN = '6280000000000016';

function codeOf(mti: string, fields: Iso8583Fields): { code: string; field: number | undefined; message: string } {
  try {
    encode({ mti, fields });
  } catch (e) {
    if (!(e instanceof Iso8583Error)) throw e;
    return { code: e.code, field: e.field, message: e.message };
  }
  throw new Error('expected encode to throw');
}

describe('encode strictness', () => {
  it.each([
    { name: 'PAN over 19 digits', fields: { 2: PAN + '0123' }, code: 'ISO_ERR_LENGTH_MAX', field: 2 },
    { name: 'PAN with a letter', fields: { 2: PAN.slice(0, 15) + 'X' }, code: 'ISO_ERR_CHARSET', field: 2 },
    { name: 'amount 13 digits in n 12', fields: { 4: '1234567890123' }, code: 'ISO_ERR_LENGTH_MAX', field: 4 },
    { name: 'amount with a minus sign', fields: { 4: '-5' }, code: 'ISO_ERR_CHARSET', field: 4 },
    { name: 'RRN with "-" (not an)', fields: { 37: 'ABC-1' }, code: 'ISO_ERR_CHARSET', field: 37 },
    { name: 'terminal id 9 chars in ans 8', fields: { 41: '123456789' }, code: 'ISO_ERR_LENGTH_MAX', field: 41 },
    { name: 'ans with a non-ASCII char', fields: { 43: 'caf\u00e9' }, code: 'ISO_ERR_CHARSET', field: 43 },
    { name: 'ans with a control char', fields: { 48: 'a\nb' }, code: 'ISO_ERR_CHARSET', field: 48 },
    { name: 'track 2 with "?" sentinel', fields: { 35: `${PAN}=3012?` }, code: 'ISO_ERR_CHARSET', field: 35 },
    { name: 'track 2 over 37', fields: { 35: `${PAN}=${'1'.repeat(21)}` }, code: 'ISO_ERR_LENGTH_MAX', field: 35 },
    { name: 'DE128 of 7 bytes', fields: { 128: Buffer.alloc(7) }, code: 'ISO_ERR_LENGTH', field: 128 },
    { name: 'DE64 of 9 bytes', fields: { 64: Buffer.alloc(9) }, code: 'ISO_ERR_LENGTH_MAX', field: 64 },
    { name: 'DE64 as a string', fields: { 64: '0123456789ABCDEF' }, code: 'ISO_ERR_TYPE', field: 64 },
    { name: 'DE3 as a Buffer', fields: { 3: Buffer.from('000000') }, code: 'ISO_ERR_TYPE', field: 3 },
    { name: 'DE55 over 999 bytes', fields: { 55: Buffer.alloc(1000) }, code: 'ISO_ERR_LENGTH_MAX', field: 55 },
    { name: 'field 65', fields: { 65: Buffer.alloc(8) }, code: 'ISO_ERR_FIELD65', field: 65 },
    { name: 'field 1', fields: { 1: Buffer.alloc(8) }, code: 'ISO_ERR_FIELD_ID', field: 1 },
    { name: 'field 129', fields: { 129: 'x' }, code: 'ISO_ERR_FIELD_ID', field: undefined },
    { name: 'field 0', fields: { 0: '0200' }, code: 'ISO_ERR_FIELD_ID', field: undefined },
  ] as { name: string; fields: Iso8583Fields; code: string; field: number | undefined }[])('$name → $code', ({ fields, code, field }) => {
    const err = codeOf('0200', fields);
    expect(err.code).toBe(code);
    expect(err.field).toBe(field);
    expect(err.message).not.toContain(PAN.slice(0, 12));
  });

  it('names the field in the message', () => {
    expect(codeOf('0200', { 35: `${PAN}=3012?` }).message).toMatch(/^pack field 35 \(Track 2 Data\): character at position 21 is outside charset z/);
  });

  it.each(['020', '02000', '02A0', '', '\u0660\u0662\u0660\u0660'])('rejects MTI %j', (mti) => {
    expect(codeOf(mti, {}).code).toBe('ISO_ERR_MTI');
  });

  it('rejects a field with no spec in a custom spec', () => {
    const spec = { 3: { length: 6, description: 'Processing Code', kind: 'n', prefix: 'fixed', pad: 'zero-left' } } as const;
    let err: unknown;
    try {
      encode({ mti: '0200', fields: { 4: '1' } }, spec);
    } catch (e) {
      err = e;
    }
    expect((err as Iso8583Error).code).toBe('ISO_ERR_NO_SPEC');
  });

  it('skips undefined values and accepts fields in any insertion order', () => {
    const a = encode({ mti: '0800', fields: { 70: '301', 11: '000001', 7: undefined } });
    const b = encode({ mti: '0800', fields: { 11: '000001', 70: '301' } });
    expect(a.equals(b)).toBe(true);
  });

  it('does not truncate: a value exactly at the limit passes, one over throws', () => {
    expect(encode({ mti: '0200', fields: { 2: '6'.repeat(19) } }).length).toBe(4 + 8 + 2 + 19);
    expect(codeOf('0200', { 2: '6'.repeat(20) }).code).toBe('ISO_ERR_LENGTH_MAX');
  });
});
