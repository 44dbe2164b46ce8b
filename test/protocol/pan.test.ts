import { describe, expect, it } from 'vitest';
import { findPanLike, isExpired, maskPan, maskPanLike, panFingerprint, parsePan, parseYymm, PanError, type Yymm } from '../../protocol/pan.js';

// Test PANs from emulator/host/fixtures.ts.
const HAPPY = '6280000000000016';
const OFFER = '6280000000000057';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PanError);
    expect((e as Error).message).not.toContain(HAPPY);
    return (e as PanError).code;
  }
  return 'no error';
}

describe('maskPan', () => {
  it.each([
    [HAPPY, '628000******0016'],
    ['6280000000057', '628000***0057'],
    ['6280000000000000008', '628000*********0008'],
    ['12345678901', '123456*8901'],
    ['1234567890', '**********'],
    ['', ''],
  ])('%s -> %s', (pan, masked) => {
    expect(maskPan(pan)).toBe(masked);
  });
});

describe('panFingerprint', () => {
  it('matches openssl HMAC-SHA256', () => {
    // printf '%s' 6280000000000016 | openssl dgst -sha256 -hmac testkey
    expect(panFingerprint(Buffer.from('testkey'), HAPPY)).toBe('d9e3f17338eaa844ea4b016d1621a037132e440cf8613fe4816df6805308b774');
  });
  it('depends on the key', () => {
    expect(panFingerprint(Buffer.from('otherkey'), HAPPY)).not.toBe(panFingerprint(Buffer.from('testkey'), HAPPY));
  });
});

describe('findPanLike / maskPanLike', () => {
  it('finds a PAN in text', () => {
    expect(findPanLike(`card ${HAPPY} ok`)).toEqual([{ index: 5, length: 16 }]);
  });
  it('finds a PAN glued to other digits, so masking leaves no PAN in the clear', () => {
    const text = `x99${HAPPY}`;
    expect(findPanLike(text).length).toBeGreaterThan(0);
    expect(maskPanLike(text)).not.toContain(HAPPY);
  });
  it('finds a PAN written with spaces or dashes, and masks it to 6 and 4 digits', () => {
    // 6280000000000016 (the fixture card happy) passes Luhn: doubling every second digit from the right,
    // 1→2, 8→16→7, 6→12→3; the sum 6 + 2 + 0 + 7 + 2 + 3 = 20 ends in 0.
    expect(findPanLike('ref 6280-0000-0000-0016 ok')).toEqual([{ index: 4, length: 19 }]);
    expect(findPanLike('6280 0000 0000 0016')).toEqual([{ index: 0, length: 19 }]);
    expect(maskPanLike('ref 6280-0000-0000-0016 ok')).toBe('ref 628000******0016 ok');
    // A separator doubled, or another kind of character, ends the run.
    expect(findPanLike('6280--0000-0000-0016')).toEqual([]);
    expect(findPanLike('6280/0000/0000/0016')).toEqual([]);
  });
  it('ignores short and Luhn-failing runs', () => {
    expect(findPanLike('123456789012 and 6280000000000017')).toEqual([]);
  });
  it('masks every PAN in text', () => {
    expect(maskPanLike(`a=${HAPPY};b=${OFFER}`)).toBe('a=628000******0016;b=628000******0057');
  });
});

describe('parsePan', () => {
  it('accepts a Luhn-valid PAN', () => {
    expect(parsePan(HAPPY)).toBe(HAPPY);
  });
  it.each([
    ['letters', '62800000000000AB', 'PAN_ERR_FORMAT'],
    ['too short', '62800000016', 'PAN_ERR_FORMAT'],
    ['too long', '62800000000000000000', 'PAN_ERR_FORMAT'],
    ['Luhn', '6280000000000017', 'PAN_ERR_LUHN'],
  ])('%s -> %s', (_n, input, code) => {
    expect(codeOf(() => parsePan(input))).toBe(code);
  });
});

describe('parseYymm / isExpired', () => {
  it.each([
    ['3012', 'ok'],
    ['3001', 'ok'],
    ['3013', 'EXPIRY_ERR_MONTH'],
    ['3000', 'EXPIRY_ERR_MONTH'],
    ['301', 'EXPIRY_ERR_FORMAT'],
    ['30a2', 'EXPIRY_ERR_FORMAT'],
  ])('%s -> %s', (input, expected) => {
    expect(expected === 'ok' ? (parseYymm(input), 'ok') : codeOf(() => parseYymm(input))).toBe(expected);
  });
  const now = new Date('2026-11-22T00:00:00Z');
  it.each([
    ['2610', true],
    ['2611', false], // valid through its expiry month
    ['2612', false],
    ['2001', true],
    ['3012', false],
  ])('%s expired at 2026-11: %s', (yymm, expired) => {
    expect(isExpired(yymm as Yymm, now)).toBe(expired);
  });
});
