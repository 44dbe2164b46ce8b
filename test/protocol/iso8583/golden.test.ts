import { describe, expect, it } from 'vitest';
import { DE39, decode, encode, readResponse, responseTo, type Iso8583Message } from '../../../protocol/iso8583/index.js';
import { GOLDEN_0200 } from '../../fixtures/iso8583Golden0200.js';

/*
 * Golden vectors, worked out by hand from ISO 8583:1987 and our spec table
 * (ASCII MTI, binary bitmaps, ASCII LL prefixes). ASCII: '0'..'9' = 30..39,
 * '=' = 3D, 'A' = 41, 'B' = 42, 'C' = 43, 'I' = 49, 'N' = 4E, 'P' = 50,
 * 'T' = 54, 'X' = 58. Each bitmap byte covers 8 fields; the first field of
 * the byte is 0x80, the next 0x40, then 20, 10, 08, 04, 02, 01.
 */
const hex = (...parts: string[]) => parts.join('').replace(/\s+/g, '').toLowerCase();

// Vector 1: a 0200 with DE2 3 4 7 11 12 13 14 22 35 37 41 42 49 and DE100.
const V1_MESSAGE = GOLDEN_0200;
const V1_HEX = hex(
  '30323030', // MTI "0200"
  // primary bitmap
  'F2', // fields 1-8:   1 (secondary present) 80 + 2 40 + 3 20 + 4 10 + 7 02 = F2
  '3C', // fields 9-16:  11 20 + 12 10 + 13 08 + 14 04 = 3C
  '04', // fields 17-24: 22 is the 6th of the byte -> 04
  '00', // fields 25-32: none
  '28', // fields 33-40: 35 20 + 37 08 = 28
  'C0', // fields 41-48: 41 80 + 42 40 = C0
  '80', // fields 49-56: 49 80
  '00', // fields 57-64: none
  // secondary bitmap (fields 65-128): 100 is in the 5th byte (97-104), 4th position -> 10
  '00 00 00 00 10 00 00 00',
  '3136 36323830303030303030303030303136', // DE2  LL "16" + "6280000000000016"
  '303030303030', // DE3  "000000"
  '303030303030303031353030', // DE4  "000000001500"
  '31313232303031353330', // DE7  "1122001530"
  '303030313233', // DE11 "000123"
  '303031353330', // DE12 "001530"
  '31313232', // DE13 "1122"
  '33303132', // DE14 "3012"
  '393032', // DE22 "902"
  // DE35 LL "24" (16 PAN + 1 "=" + 4 expiry + 3 service code = 24)
  '3234 36323830303030303030303030303136 3D 33303132 313031',
  '54584E303030303030303432', // DE37 "TXN000000042"
  '3230363930313131', // DE41 "20690111"
  '494250 303030303030303030 313632', // DE42 "IBP" + nine "0" + "162" (15)
  '393939', // DE49 "999"
  '3035 3132333435', // DE100 LL "05" + "12345"
);
// Length check by hand: 4 + 16 + 18 + 6 + 12 + 10 + 6 + 6 + 4 + 4 + 3 + 26 + 12 + 8 + 15 + 3 + 7 = 160.

// Vector 2: a 0210 with DE38, DE39 and an 8-byte DE128.
const V2_MESSAGE: Iso8583Message = {
  mti: '0210',
  fields: {
    3: '000000',
    4: '000000001500',
    7: '1122001530',
    11: '000123',
    37: 'TXN000000042',
    38: 'A1B2C3',
    39: '00',
    41: '20690111',
    128: Buffer.from([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]),
  },
};
const V2_HEX = hex(
  '30323130', // MTI "0210"
  'B2', // fields 1-8:   1 80 + 3 20 + 4 10 + 7 02 = B2
  '20', // fields 9-16:  11 is the 3rd of the byte -> 20
  '00', // fields 17-24
  '00', // fields 25-32
  '0E', // fields 33-40: 37 08 + 38 04 + 39 02 = 0E
  '80', // fields 41-48: 41 80
  '00 00', // fields 49-64
  '00 00 00 00 00 00 00 01', // secondary: 128 is the last bit of the last byte -> 01
  '303030303030', // DE3  "000000"
  '303030303030303031353030', // DE4  "000000001500"
  '31313232303031353330', // DE7  "1122001530"
  '303030313233', // DE11 "000123"
  '54584E303030303030303432', // DE37 "TXN000000042"
  '413142324333', // DE38 "A1B2C3"
  '3030', // DE39 "00"
  '3230363930313131', // DE41 "20690111"
  '0123456789ABCDEF', // DE128 raw 8 bytes
);
// 4 + 16 + 6 + 12 + 10 + 6 + 12 + 6 + 2 + 8 + 8 = 90.

describe('golden vectors', () => {
  it.each([
    { name: '0200 with secondary DE100', message: V1_MESSAGE, hex: V1_HEX, length: 160 },
    { name: '0210 with DE38/DE39/DE128', message: V2_MESSAGE, hex: V2_HEX, length: 90 },
  ])('$name: encodes to the hand-computed hex and decodes back', ({ message, hex: expected, length }) => {
    expect(expected.length / 2).toBe(length);
    expect(encode(message).toString('hex')).toBe(expected);
    expect(decode(Buffer.from(expected, 'hex'))).toEqual(message);
  });

  it('omits the secondary bitmap when no field 65-128 is present', () => {
    const { 100: _drop, ...primaryOnly } = V1_MESSAGE.fields;
    const out = encode({ mti: '0200', fields: primaryOnly });
    // bit 1 cleared: F2 - 80 = 72; the 8 secondary bytes and DE100 (7 bytes) are gone.
    expect(out.subarray(4, 12).toString('hex')).toBe('723c040028c08000');
    expect(out.length).toBe(160 - 8 - 7);
  });

  it.each([
    { name: 'fixed n zero-pads left', id: 4, value: '1500', wire: '303030303030303031353030', decoded: '000000001500' },
    { name: 'fixed an space-pads right', id: 38, value: 'AB', wire: '414220202020', decoded: 'AB    ' },
    { name: 'fixed ans space-pads right', id: 41, value: 'T1', wire: '5431202020202020', decoded: 'T1      ' },
    { name: 'empty LLVAR', id: 100, value: '', wire: '3030', decoded: '' },
  ])('$name', ({ id, value, wire, decoded }) => {
    const out = encode({ mti: '0800', fields: { [id]: value } });
    const bitmapLen = id > 64 ? 16 : 8;
    expect(out.subarray(4 + bitmapLen).toString('hex')).toBe(wire);
    expect(decode(out).fields[id]).toBe(decoded);
  });
});

// Vector 3: a 0110 of the loyalty profile with DE48 (rewardTrxId), two DE54
// entries and DE63 (their reward account types, `LL type` each).
const V3_HEX = hex(
  '30313130', // MTI "0110"
  '00', // fields 1-8:   none
  '20', // fields 9-16:  11 is the 3rd of the byte -> 20
  '00', // fields 17-24
  '00', // fields 25-32
  '02', // fields 33-40: 39 is the 7th of the byte -> 02
  '01', // fields 41-48: 48 is the 8th -> 01
  '04', // fields 49-56: 54 is the 6th -> 04
  '02', // fields 57-64: 63 is the 7th -> 02
  '303030313233', // DE11 "000123"
  '3030', // DE39 "00"
  '303033 525439', // DE48 LLL "003" + "RT9"
  '303430', // DE54 LLL "040": two 20-character entries
  '3132 3032 393939 43 303030303030303032343530', // "12" "02" "999" "C" "000000002450"
  '3133 3032 393939 43 303030303030303030313030', // "13" "02" "999" "C" "000000000100"
  '303037', // DE63 LLL "007"
  '3031 31', // "01" "1": account 12 is type 1
  '3032 5032', // "02" "P2": account 13 is type P2
);
// 4 + 8 + 6 + 2 + 6 + 43 + 10 = 79.

describe('golden vector: DE63 reward account types in a 0110', () => {
  const request: Iso8583Message = { mti: '0100', fields: { 11: '000123' } };
  const balances = [
    { accountType: '12', amountType: '02', currency: '999', amount: 2450 },
    { accountType: '13', amountType: '02', currency: '999', amount: 100 },
  ];

  it('responseTo encodes to the hand-computed hex', () => {
    expect(V3_HEX.length / 2).toBe(79);
    const res = responseTo(request, { responseCode: DE39.approved, rewardTrxId: 'RT9', balances, accountTypes: ['1', 'P2'] });
    expect(encode(res).toString('hex')).toBe(V3_HEX);
  });

  it('readResponse decodes the account types beside the DE54 entries', () => {
    const r = readResponse(decode(Buffer.from(V3_HEX, 'hex')));
    expect(r.balances).toEqual(balances);
    expect(r.accountTypes).toEqual(['1', 'P2']);
    expect(r.rewardTrxId).toBe('RT9');
  });
});
