import { describe, expect, it } from 'vitest';
import { parseCardData, parseTrack1, parseTrack2, findTracks } from '../../../protocol/reader/track.js';
import { TrackError } from '../../../protocol/reader/trackError.js';
import { buildTrack1, buildTrack2 } from '../../../protocol/reader/buildTracks.js';

// Test PANs from emulator/host/fixtures.ts: happy 6280000000000016, offer 6280000000000057.
const HAPPY = '6280000000000016';
const BAD_LUHN = '6280000000000017';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TrackError);
    const err = e as TrackError;
    // no card data in the message
    expect(err.message).not.toContain(HAPPY);
    expect(err.message).not.toContain('62800000');
    expect(err.message).not.toContain('3012');
    return err.code;
  }
  return 'no error';
}

describe('parseTrack2', () => {
  it('reads PAN, expiry and service code', () => {
    expect(parseTrack2(`${HAPPY}=3012101123`)).toEqual({ pan: HAPPY, expiry: '3012', serviceCode: '101' });
  });
  it.each([
    ['no separator', `${HAPPY}3012101`, 'TRACK_ERR_FORMAT'],
    ['letters', `${HAPPY.slice(0, 10)}AB0016=3012101`, 'TRACK_ERR_FORMAT'],
    ['no service code', `${HAPPY}=3012`, 'TRACK_ERR_FORMAT'],
    ['PAN too short', '4111=3012101', 'TRACK_ERR_FORMAT'],
    ['PAN too long', '62800000000000000000=3012101', 'TRACK_ERR_FORMAT'],
    ['bad Luhn', `${BAD_LUHN}=3012101`, 'TRACK_ERR_LUHN'],
    ['month 13', `${HAPPY}=3013101`, 'TRACK_ERR_MONTH'],
    ['month 00', `${HAPPY}=3000101`, 'TRACK_ERR_MONTH'],
  ])('%s -> %s', (_name, body, code) => {
    expect(codeOf(() => parseTrack2(body))).toBe(code);
  });
  it('accepts month 12 and 01, and a past expiry (the host decides)', () => {
    expect(parseTrack2(`${HAPPY}=3001101`).expiry).toBe('3001');
    expect(parseTrack2('6280000000000032=2001101').expiry).toBe('2001');
  });
});

describe('parseTrack1', () => {
  it('reads PAN, name, expiry and service code', () => {
    expect(parseTrack1(`B${HAPPY}^HAPPY/HARRIET  ^3012101000`)).toEqual({
      pan: HAPPY,
      expiry: '3012',
      serviceCode: '101',
      name: 'HAPPY/HARRIET',
    });
  });
  it.each([
    ['no format code B', `${HAPPY}^HAPPY/HARRIET^3012101`, 'TRACK_ERR_FORMAT'],
    ['name too short', `B${HAPPY}^H^3012101`, 'TRACK_ERR_FORMAT'],
    ['lower case name', `B${HAPPY}^happy^3012101`, 'TRACK_ERR_FORMAT'],
    ['bad Luhn', `B${BAD_LUHN}^HAPPY/HARRIET^3012101`, 'TRACK_ERR_LUHN'],
    ['month 13', `B${HAPPY}^HAPPY/HARRIET^3013101`, 'TRACK_ERR_MONTH'],
  ])('%s -> %s', (_name, body, code) => {
    expect(codeOf(() => parseTrack1(body))).toBe(code);
  });
});

describe('parseCardData', () => {
  const t1 = `%B${HAPPY}^HAPPY/HARRIET^3012101?`;
  const t2 = `;${HAPPY}=3012101?`;
  it('track 2 alone', () => {
    expect(parseCardData(t2)).toEqual({ pan: HAPPY, expiry: '3012', serviceCode: '101' });
  });
  it('track 1 alone', () => {
    expect(parseCardData(t1).name).toBe('HAPPY/HARRIET');
  });
  it('both tracks: track 2 plus the name', () => {
    expect(parseCardData(t1 + t2)).toEqual({ pan: HAPPY, expiry: '3012', serviceCode: '101', name: 'HAPPY/HARRIET' });
  });
  it('a damaged track 1 does not spoil track 2', () => {
    expect(parseCardData(`%B${HAPPY}^X^?` + t2).pan).toBe(HAPPY);
  });
  it('tracks that disagree are a format error', () => {
    expect(codeOf(() => parseCardData(`%B6280000000000057^OFFER/OLIVER^3012101?` + t2))).toBe('TRACK_ERR_FORMAT');
  });
  it('no track at all is a format error with track 0', () => {
    let err: unknown;
    try {
      parseCardData('hello');
    } catch (e) {
      err = e;
    }
    expect((err as TrackError).code).toBe('TRACK_ERR_FORMAT');
    expect((err as TrackError).track).toBe(0);
  });
  it('bad Luhn in track 2 wins over a good track 1', () => {
    expect(codeOf(() => parseCardData(t1 + `;${BAD_LUHN}=3012101?`))).toBe('TRACK_ERR_LUHN');
  });
});

describe('track builders', () => {
  it('build the sentinel forms', () => {
    expect(buildTrack2({ pan: HAPPY, expiry: '3012' })).toBe(';6280000000000016=30121010000000?');
    expect(buildTrack1({ pan: HAPPY, expiry: '3012', name: 'HAPPY/HARRIET' })).toBe('%B6280000000000016^HAPPY/HARRIET^30121010000000?');
  });
  it('findTracks returns the bodies', () => {
    expect(findTracks('xx%B1^A^1?yy;2=3?zz')).toEqual({ track1: 'B1^A^1', track2: '2=3' });
  });
});
