/** Returns and voids in the loyalty profile: the 0200 refund, the 0420 earn reversal and DE95 (emulator/README.md, "Returns and voids: the host extension"). */
import { describe, expect, it } from 'vitest';
import {
  Iso8583Error,
  decode,
  decodeReplacementAmounts,
  earnReversalAdvice,
  encode,
  encodeReplacementAmounts,
  readRequest,
  readResponse,
  refundRequest,
  responseTo,
  replacementFor,
  reversalAdvice,
  type Iso8583Message,
} from '../../../protocol/iso8583/index.js';

const PAN = '6280000000000016';
// 2026-11-22 00:15:30 UTC -> DE7 "1122001530", DE12 "001530", DE13 "1122".
const NOW = new Date(Date.UTC(2026, 10, 22, 0, 15, 30));
const terminal = { merchantId: 'IBP000000000162', terminalId: '20690111', stan: '000123', now: NOW, pan: PAN, expiry: '3012' };
const ascii = (s: string) => Buffer.from(s, 'ascii').toString('hex');
const hex = (...parts: string[]) => parts.join('').replace(/\s+/g, '').toLowerCase();

function profileError(fn: () => unknown, field: number): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(Iso8583Error);
  expect(caught).toMatchObject({ code: 'ISO_ERR_PROFILE', field });
}

describe('DE95 replacement amounts', () => {
  it('is actual amount(12) settlement amount(12) C/D fee(8) C/D settlement fee(8)', () => {
    expect(encodeReplacementAmounts(replacementFor(380))).toBe('000000000380' + '000000000380' + 'C00000000' + 'C00000000');
    expect(encodeReplacementAmounts({ transaction: 0, settlement: 7, transactionFee: -25, settlementFee: 3 })).toBe(
      '000000000000' + '000000000007' + 'D00000025' + 'C00000003',
    );
    expect(decodeReplacementAmounts('000000001234' + '000000001200' + 'D00000005' + 'C00000000')).toEqual({
      transaction: 1234, settlement: 1200, transactionFee: -5, settlementFee: 0,
    });
  });

  it('refuses bad content with ISO_ERR_PROFILE on field 95', () => {
    profileError(() => decodeReplacementAmounts('0'.repeat(41)), 95);
    profileError(() => decodeReplacementAmounts('00000000038A' + '000000000380' + 'C00000000' + 'C00000000'), 95);
    profileError(() => decodeReplacementAmounts('000000000380' + '000000000380' + 'X00000000' + 'C00000000'), 95);
    profileError(() => encodeReplacementAmounts(replacementFor(-1)), 95);
    profileError(() => encodeReplacementAmounts(replacementFor(1e12)), 95);
    profileError(() => encodeReplacementAmounts({ ...replacementFor(1), transactionFee: 1e8 }), 95);
  });
});

describe('0200 refund', () => {
  const msg = refundRequest({ ...terminal, accountId: '12', points: 200, originalTransactionId: 'TXN000000042', transactionId: 'RFND-1' });

  it('encodes to a hand-worked vector: DE3 20aa00, DE4 points, DE37 the burn, DE48 its own id', () => {
    expect(encode(msg).toString('hex')).toBe(hex(
      ascii('0200'),
      '72', // fields 1-8: 2 40 + 3 20 + 4 10 + 7 02
      '3C', // 9-16: 11 20 + 12 10 + 13 08 + 14 04
      '04', // 17-24: 22
      '00',
      '08', // 33-40: 37
      'C1', // 41-48: 41 80 + 42 40 + 48 01
      '80', // 49-56: 49
      '00',
      ascii('16' + PAN), // DE2 LL
      ascii('201200'), // DE3 refund from account 12
      ascii('000000000200'), // DE4 200 points
      ascii('1122001530'), // DE7
      ascii('000123'), // DE11
      ascii('001530'), // DE12
      ascii('1122'), // DE13
      ascii('3012'), // DE14
      ascii('902'), // DE22
      ascii('TXN000000042'), // DE37 the original burn's RRN
      ascii('20690111'), // DE41
      ascii('IBP000000000162'), // DE42
      ascii('006RFND-1'), // DE48 LLL: the refund's own transactionId
      ascii('999'), // DE49 points
    ));
  });

  it('reads back as a refund', () => {
    expect(readRequest(decode(encode(msg)))).toEqual({
      kind: 'refund', mti: '0200', stan: '000123', rrn: 'TXN000000042', pan: PAN, expiry: '3012',
      merchantId: 'IBP000000000162', terminalId: '20690111', accountId: '12', points: 200, transactionId: 'RFND-1',
    });
  });

  it('refuses bad content with a typed error', () => {
    profileError(() => refundRequest({ ...terminal, points: 5, originalTransactionId: 'B1', transactionId: 'has space' }), 48);
    profileError(() => refundRequest({ ...terminal, points: -5, originalTransactionId: 'B1', transactionId: 'R1' }), 4);
    const zero: Iso8583Message = { mti: '0200', fields: { ...msg.fields, 4: '000000000000' } };
    profileError(() => readRequest(zero), 4);
    const noOwnId: Iso8583Message = { mti: '0200', fields: { ...msg.fields } };
    delete noOwnId.fields[48];
    profileError(() => readRequest(noOwnId), 48);
    profileError(() => readRequest({ mti: '0200', fields: { ...msg.fields, 3: '201201' } }), 3);
  });
});

describe('0420 earn reversal', () => {
  const original = { transactionId: 'EARN00000007', stan: '000077', transmissionDateTime: '1121120000' };

  it('partial: encodes to a hand-worked vector with DE90 naming the 0220 and DE95 the points kept', () => {
    const msg = earnReversalAdvice({ ...terminal, original, remaining: 380 });
    expect(encode(msg).toString('hex')).toBe(hex(
      ascii('0420'),
      'E2', // fields 1-8: 1 (secondary) 80 + 2 40 + 3 20 + 7 02
      '3C', '04', '00', '08', 'C0', '80', '00', // 11-14, 22, 37, 41 42, 49
      '00 00 00 42 00 00 00 00', // secondary: 89-96 byte, 90 = 40 + 95 = 02
      ascii('16' + PAN),
      ascii('000000'), // DE3 the earn's code
      ascii('1122001530'),
      ascii('000123'),
      ascii('001530'),
      ascii('1122'),
      ascii('3012'),
      ascii('902'),
      ascii('EARN00000007'), // DE37 the earn's RRN
      ascii('20690111'),
      ascii('IBP000000000162'),
      ascii('999'),
      ascii('0220' + '000077' + '1121120000' + '0'.repeat(22)), // DE90
      ascii('000000000380' + '000000000380' + 'C00000000' + 'C00000000'), // DE95
    ));
    expect(readRequest(decode(encode(msg)))).toMatchObject({ kind: 'earn-reversal', rrn: 'EARN00000007', originalStan: '000077', remaining: 380, repeat: false });
  });

  it('full: no DE95; 0421 on repeat; DE4 echoes the earn amount when given', () => {
    const msg = earnReversalAdvice({ ...terminal, original: { ...original, amount: 5000 }, repeat: true });
    expect(msg.mti).toBe('0421');
    expect(msg.fields[95]).toBeUndefined();
    expect(decode(encode(msg)).fields[4]).toBe('000000005000');
    expect(readRequest(decode(encode(msg)))).toMatchObject({ kind: 'earn-reversal', remaining: undefined, repeat: true });
  });

  it('refuses an earn reversal with another processing code, and DE95 on a burn reversal', () => {
    const msg = earnReversalAdvice({ ...terminal, original });
    profileError(() => readRequest({ mti: '0420', fields: { ...msg.fields, 3: '001200' } }), 3);
    const burnRev = reversalAdvice({ ...terminal, original: { transactionId: 'B1', accountId: '12' } });
    profileError(() => readRequest({ mti: '0420', fields: { ...burnRev.fields, 95: encodeReplacementAmounts(replacementFor(1)) } }), 95);
    profileError(() => readRequest({ mti: '0420', fields: { ...msg.fields, 95: 'C'.repeat(42) } }), 95);
    // Well-formed DE95 outside the profile: a settlement amount that differs, or a fee.
    profileError(() => readRequest({ mti: '0420', fields: { ...msg.fields, 95: '000000000380' + '000000000000' + 'C00000000' + 'C00000000' } }), 95);
    profileError(() => readRequest({ mti: '0420', fields: { ...msg.fields, 95: '000000000380' + '000000000380' + 'D00000099' + 'C00000001' } }), 95);
  });
});

describe('the earn answer carries its credited points in DE57 (extension)', () => {
  it('a 0230 with DE57 "93" reads as 93 earned points; without DE57, undefined; anything but digits is refused', () => {
    const advice: Iso8583Message = { mti: '0220', fields: { 3: '000000', 4: '000000000930', 11: '000124', 37: 'earn00000001' } };
    const withPoints = decode(encode(responseTo(advice, { responseCode: '00', earnedPoints: 93 })));
    expect(withPoints.fields[57]).toBe('93');
    expect(readResponse(withPoints).earnedPoints).toBe(93);
    expect(readResponse(decode(encode(responseTo(advice, { responseCode: '00' })))).earnedPoints).toBeUndefined();
    profileError(() => readResponse({ mti: '0230', fields: { 11: '000124', 39: '00', 57: '9x' } }), 57);
  });
});
