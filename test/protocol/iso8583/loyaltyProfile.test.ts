import { describe, expect, it } from 'vitest';
import {
  DE39,
  Iso8583Error,
  balanceRequest,
  burnRequest,
  decode,
  earnAdvice,
  echoRequest,
  encode,
  readRequest,
  readResponse,
  responseMti,
  responseTo,
  reversalAdvice,
  toRrn,
} from '../../../protocol/iso8583/index.js';

const PAN = '6280000000000016';
// 2026-11-22 00:15:30 UTC -> DE7 "1122001530", DE12 "001530", DE13 "1122".
const NOW = new Date(Date.UTC(2026, 10, 22, 0, 15, 30));
const base = { merchantId: 'IBP000000000162', terminalId: '20690111', stan: '000123', now: NOW, pan: PAN, expiry: '3012', transactionId: 'TXN000000042' };

const wire = <T extends Parameters<typeof encode>[0]>(m: T) => decode(encode(m));

describe('loyalty profile builders', () => {
  it('0100 balance: DE3 31aa00 and the ISO meaning of every field', () => {
    const m = wire(balanceRequest({ ...base, accountId: '12' }));
    expect(m.mti).toBe('0100');
    expect(m.fields).toEqual({
      2: PAN,
      3: '311200',
      7: '1122001530',
      11: '000123',
      12: '001530',
      13: '1122',
      14: '3012',
      22: '902',
      37: 'TXN000000042',
      41: '20690111',
      42: 'IBP000000000162',
    });
    expect(balanceRequest(base).fields[3]).toBe('310000');
  });

  it('0200 burn: points in DE4, rewardTrxId in DE48, currency 999', () => {
    const m = wire(burnRequest({ ...base, accountId: '12', points: 500, rewardTrxId: 'RT-1' }));
    expect(m.mti).toBe('0200');
    expect(m.fields[3]).toBe('001200');
    expect(m.fields[4]).toBe('000000000500');
    expect(m.fields[48]).toBe('RT-1');
    expect(m.fields[49]).toBe('999');
    const r = readRequest(m);
    expect(r).toMatchObject({ kind: 'burn', accountId: '12', points: 500, rewardTrxId: 'RT-1', rrn: 'TXN000000042', pan: PAN, expiry: '3012', stan: '000123' });
  });

  it('0220 earn advice, 0221 on repeat; DE12/13 from the sale time', () => {
    const first = wire(earnAdvice({ ...base, amount: 12345, localTime: '20261121235959' }));
    expect(first.mti).toBe('0220');
    expect(first.fields[12]).toBe('235959');
    expect(first.fields[13]).toBe('1121');
    expect(first.fields[4]).toBe('000000012345');
    expect(earnAdvice({ ...base, amount: 1, localTime: '20261121235959', repeat: true }).mti).toBe('0221');
    expect(readRequest(first)).toMatchObject({ kind: 'earn', amount: 12345, currency: '999', localTime: '1121235959', repeat: false });
  });

  it('0420 reversal: DE37 is the original RRN, DE90 names the original, 0421 on repeat', () => {
    const m = wire(reversalAdvice({ ...base, original: { transactionId: 'TXN000000042', accountId: '12', stan: '77', transmissionDateTime: '1122001500' } }));
    expect(m.mti).toBe('0420');
    expect(m.fields[37]).toBe('TXN000000042');
    // DE90: MTI 0200 + STAN 000077 + DE7 1122001500 + 11 + 11 zeros = 42 digits.
    expect(m.fields[90]).toBe('0200' + '000077' + '1122001500' + '0'.repeat(22));
    expect(readRequest(m)).toMatchObject({ kind: 'reversal', originalMti: '0200', originalStan: '000077', rrn: 'TXN000000042', repeat: false });
    expect(reversalAdvice({ ...base, original: { transactionId: 'X' }, repeat: true }).mti).toBe('0421');
  });

  it('0800 echo with DE70 301', () => {
    const m = wire(echoRequest({ stan: '42', now: NOW }));
    expect(m).toEqual({ mti: '0800', fields: { 7: '1122001530', 11: '000042', 70: '301' } });
    expect(readRequest(m)).toEqual({ kind: 'echo', mti: '0800', stan: '000042' });
  });

  it.each([
    ['0100', '0110'],
    ['0200', '0210'],
    ['0220', '0230'],
    ['0221', '0230'],
    ['0420', '0430'],
    ['0421', '0430'],
    ['0800', '0810'],
  ])('response MTI of %s is %s', (req, res) => {
    expect(responseMti(req)).toBe(res);
  });
});

describe('loyalty profile responses', () => {
  it('0110 echoes STAN and RRN, carries DE39, DE48 and DE54 balances, and not the PAN', () => {
    const req = wire(balanceRequest({ ...base, accountId: '12' }));
    const res = wire(responseTo(req, { responseCode: DE39.approved, rewardTrxId: 'RT-9', balances: [{ accountType: '12', amountType: '02', currency: '999', amount: 2450 }] }));
    expect(res.mti).toBe('0110');
    expect(res.fields[2]).toBeUndefined();
    expect(res.fields[14]).toBeUndefined();
    // DE54 by hand: "12" "02" "999" "C" "000000002450"
    expect(res.fields[54]).toBe('1202999C000000002450');
    expect(readResponse(res)).toEqual({
      mti: '0110',
      stan: '000123',
      responseCode: '00',
      rrn: 'TXN000000042',
      rewardTrxId: 'RT-9',
      approvalCode: undefined,
      balances: [{ accountType: '12', amountType: '02', currency: '999', amount: 2450 }],
    });
  });

  it('DE63: one reward account type per DE54 entry; absent DE63 reads as undefined', () => {
    const req = wire(balanceRequest({ ...base, accountId: '12' }));
    const entry = { accountType: '12', amountType: '02', currency: '999', amount: 2450 };
    const res = wire(responseTo(req, { responseCode: DE39.approved, rewardTrxId: 'RT-9', balances: [entry], accountTypes: ['1'] }));
    expect(res.fields[63]).toBe('011');
    expect(readResponse(res).accountTypes).toEqual(['1']);
    const old = wire(responseTo(req, { responseCode: DE39.approved, rewardTrxId: 'RT-9', balances: [entry] }));
    expect(old.fields[63]).toBeUndefined();
    expect(readResponse(old).accountTypes).toBeUndefined();
    // No DE54 entries: no DE63 either.
    expect(responseTo(req, { responseCode: DE39.unknownCard, accountTypes: [] }).fields[63]).toBeUndefined();
  });

  it('DE63 that does not match DE54 one for one is a profile error on field 63, both ways', () => {
    const req = wire(balanceRequest({ ...base, accountId: '12' }));
    const entry = { accountType: '12', amountType: '02', currency: '999', amount: 2450 };
    expect(() => responseTo(req, { responseCode: DE39.approved, balances: [entry, { ...entry, accountType: '13' }], accountTypes: ['1'] }))
      .toThrow(expect.objectContaining({ code: 'ISO_ERR_PROFILE', field: 63 }));
    const res = wire(responseTo(req, { responseCode: DE39.approved, balances: [entry], accountTypes: ['1'] }));
    expect(() => readResponse({ ...res, fields: { ...res.fields, 63: '011' + '011' } })).toThrow(expect.objectContaining({ code: 'ISO_ERR_PROFILE', field: 63 }));
    expect(() => readResponse({ ...res, fields: { ...res.fields, 63: '02 1' } })).toThrow(expect.objectContaining({ code: 'ISO_ERR_PROFILE', field: 63 }));
  });

  it.each(['00', '51', '54', '14', '94', '25', '96', '30'] as const)('reads DE39 %s', (code) => {
    const res = responseTo(echoRequest({ stan: '1', now: NOW }), { responseCode: code });
    expect(readResponse(wire(res)).responseCode).toBe(code);
  });

  it('refuses a response code outside the table, and a non-response MTI', () => {
    const res = wire({ mti: '0210', fields: { 11: '000001', 39: '05' } });
    expect(() => readResponse(res)).toThrow(Iso8583Error);
    expect(() => readResponse(wire({ mti: '0200', fields: { 11: '000001', 39: '00' } }))).toThrow(/not a loyalty-profile response/);
  });

  it('refuses requests that lack what the flow needs, naming the field', () => {
    const m = wire(burnRequest({ ...base, accountId: '12', points: 1, rewardTrxId: 'R' }));
    delete m.fields[48];
    let err: unknown;
    try {
      readRequest(m);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Iso8583Error);
    expect((err as Iso8583Error).code).toBe('ISO_ERR_PROFILE');
    expect((err as Iso8583Error).field).toBe(48);
    expect(() => readRequest({ mti: '0300', fields: {} })).toThrow(/not a loyalty-profile request/);
  });

  it('refuses an accountId that does not fit DE3', () => {
    expect(() => balanceRequest({ ...base, accountId: 'ACC-1' })).toThrow(/accountId must be 1-2 digits/);
  });
});

describe('transactionId ↔ DE37', () => {
  it('carries short alphanumeric ids as they are', () => {
    expect(toRrn('TXN000000042')).toBe('TXN000000042');
    expect(readRequest(wire(balanceRequest({ ...base, transactionId: 'abc' })))).toMatchObject({ rrn: 'abc' });
  });

  it('hashes longer ids to a stable 12-character an value', () => {
    const id = '3f1c9a52-8d7e-4b0a-9c61-2f0e5d4b7a19';
    const rrn = toRrn(id);
    expect(rrn).toMatch(/^H[0-9A-Z]{11}$/);
    expect(toRrn(id)).toBe(rrn);
    expect(toRrn(id.replace('3f', '4f'))).not.toBe(rrn);
  });
});
