import { describe, expect, it } from 'vitest';
import { Iso8583Error, decode } from '../../../protocol/iso8583/index.js';

const PAN = '6280000000000016';
const PAN_HEX = Buffer.from(PAN, 'latin1').toString('hex');

/*
 * Hand-built inputs. Bitmap bytes: field 2 alone = 40; 2+35 = 40 00 00 00 20 ...;
 * bit 1 (secondary) = 80.
 */
const cases: { name: string; hex: string; code: string; field?: number; offset?: number }[] = [
  { name: 'empty input', hex: '', code: 'ISO_ERR_TRUNCATED', offset: 0 },
  { name: 'MTI with a letter', hex: '303230' + '41' + '4000000000000000', code: 'ISO_ERR_MTI', offset: 0 },
  { name: 'bitmap cut short', hex: '30323030' + '400000', code: 'ISO_ERR_TRUNCATED', offset: 4 },
  { name: 'DE2 prefix not digits', hex: '30323030' + '4000000000000000' + '3141' + PAN_HEX, code: 'ISO_ERR_LENGTH_PREFIX', field: 2, offset: 13 },
  { name: 'DE2 length 20 > max 19', hex: '30323030' + '4000000000000000' + '3230' + PAN_HEX + '3031323334', code: 'ISO_ERR_LENGTH_MAX', field: 2, offset: 12 },
  { name: 'DE2 shorter than its prefix', hex: '30323030' + '4000000000000000' + '3136' + PAN_HEX.slice(0, 20), code: 'ISO_ERR_TRUNCATED', field: 2, offset: 14 },
  { name: 'DE2 prefix cut', hex: '30323030' + '4000000000000000' + '31', code: 'ISO_ERR_TRUNCATED', field: 2, offset: 12 },
  // DE2 with "D" (0x44) at position 3: outside n.
  { name: 'DE2 letter in n', hex: '30323030' + '4000000000000000' + '3136' + '363238' + '44' + PAN_HEX.slice(8), code: 'ISO_ERR_CHARSET', field: 2, offset: 17 },
  // DE35 = 40 (a "@" is not in z). Bitmap: 35 -> byte 5 = 20.
  { name: 'DE35 "@" outside z', hex: '30323030' + '0000000020000000' + '3031' + '40', code: 'ISO_ERR_CHARSET', field: 35, offset: 14 },
  { name: 'DE2 then 1 trailing byte', hex: '30323030' + '4000000000000000' + '3136' + PAN_HEX + '00', code: 'ISO_ERR_TRAILING', offset: 30 },
  // bit 1 set, secondary all zero: we never send that.
  { name: 'secondary bitmap with no field', hex: '30323030' + '8000000000000000' + '0000000000000000', code: 'ISO_ERR_BITMAP', field: 1 },
  { name: 'secondary bitmap cut', hex: '30323030' + '8000000000000000' + '0000', code: 'ISO_ERR_TRUNCATED', offset: 12 },
  { name: 'field 65 (tertiary bitmap)', hex: '30323030' + '8000000000000000' + '8000000000000000' + '00'.repeat(8), code: 'ISO_ERR_FIELD65', field: 65 },
  // DE100 LL "12" > max 11.
  { name: 'DE100 length 12 > 11', hex: '30323030' + '8000000000000000' + '0000000010000000' + '3132' + '31'.repeat(12), code: 'ISO_ERR_LENGTH_MAX', field: 100 },
];

describe('decode strictness', () => {
  it.each(cases)('$name → $code', ({ hex, code, field, offset }) => {
    let err: unknown;
    try {
      decode(Buffer.from(hex, 'hex'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Iso8583Error);
    const e = err as Iso8583Error;
    expect(e.code).toBe(code);
    if (field !== undefined) expect(e.field).toBe(field);
    if (offset !== undefined) expect(e.offset).toBe(offset);
    expect(e.message).not.toContain(PAN);
    expect(e.message).not.toContain(PAN.slice(0, 12));
  });

  it('names the field and its description', () => {
    expect(() => decode(Buffer.from('30323030' + '0000000020000000' + '3031' + '40', 'hex'))).toThrow(/^unpack field 35 \(Track 2 Data\): /);
  });

  it('reports a bit with no spec (custom spec without DE3)', () => {
    const spec = { 2: { length: 19, description: 'PAN', kind: 'n', prefix: 'LL', pad: 'none' } } as const;
    let err: unknown;
    try {
      decode(Buffer.from('30323030' + '6000000000000000' + '3031' + '35', 'hex'), spec); // 60 = fields 2 and 3
    } catch (e) {
      err = e;
    }
    expect((err as Iso8583Error).code).toBe('ISO_ERR_NO_SPEC');
    expect((err as Iso8583Error).field).toBe(3);
  });

  it('never puts track data or the PAN in a message, whatever breaks in DE35', () => {
    const track = `${PAN}=3012101`;
    const good = '30323030' + '0000000020000000' + '3234' + Buffer.from(track, 'latin1').toString('hex');
    for (let cut = 0; cut < good.length / 2; cut++) {
      try {
        decode(Buffer.from(good, 'hex').subarray(0, cut));
      } catch (e) {
        expect((e as Error).message).not.toContain(PAN.slice(0, 8));
      }
    }
  });

  it('accepts a Uint8Array view with an offset', () => {
    const bytes = Buffer.from('xx' + '0800' + '0000000000000000', 'latin1');
    bytes.fill(0, 6);
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset + 2, 12);
    expect(decode(view)).toEqual({ mti: '0800', fields: {} });
  });
});
