import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../../../protocol/loyalty/errorCatalog.js';
import { REFUSAL_KINDS, isRefusalKind, type RefusalKind } from '../../../protocol/loyalty/refusalKind.js';
import { de39Of, offersCodeOf, refusalOfDe39, refusalOfHostCode, refusalOfRestCode, restCodeOf } from '../../../protocol/loyalty/refusalTable.js';
import { OFFERS_ERROR_CATALOG } from '../../../protocol/offers/index.js';

// Golden values, written by hand from the seed's catalog (seeds/loyalty-api.txt "Response Codes"), the
// project's L codes and DE39 table (DESIGN.md "Loyalty host: ISO 8583", "Late originals", "Returns and voids")
// and the Pay with Points P codes (protocol/offers/offersErrorCatalog.ts).

/** Every REST code either catalog holds, with the kind it means. */
const REST: [code: string, kind: RefusalKind][] = [
  ['2020', 'duplicate'],
  ['1013', 'invalid-identifier'],
  ['10002', 'other'],
  ['E10', 'bad-request'],
  ['E11', 'bad-request'],
  ['E12', 'not-authorized'],
  ['E13', 'not-authorized'],
  ['E14', 'bad-request'],
  ['E15', 'bad-request'],
  ['E16', 'bad-request'],
  ['E17', 'bad-request'],
  ['E18', 'host-busy'],
  ['E19', 'system-error'],
  ['E20', 'system-error'],
  ['E21', 'system-error'],
  ['E22', 'not-authorized'],
  ['E23', 'not-authorized'],
  ['E24', 'not-authorized'],
  ['E25', 'not-authorized'],
  ['E26', 'not-authorized'],
  ['E27', 'not-authorized'],
  ['E28', 'not-authorized'],
  ['E29', 'not-authorized'],
  ['E30', 'not-authorized'],
  ['E31', 'bad-request'],
  ['E32', 'bad-request'],
  ['E33', 'system-error'],
  ['E34', 'host-busy'],
  ['E35', 'system-error'],
  ['E36', 'system-error'],
  ['E37', 'bad-request'],
  ['E38', 'system-error'],
  ['E39', 'system-error'],
  ['E40', 'system-error'],
  ['E41', 'bad-request'],
  ['L13', 'over-reversal'],
  ['L14', 'unknown-card'],
  ['L25', 'original-not-found'],
  ['L30', 'stale-balance-enquiry'],
  ['L51', 'insufficient-points'],
  ['L54', 'expired-card'],
  ['L58', 'wrong-terminal'],
  ['L94', 'late-original-refused'],
  ['L96', 'system-error'],
  ['P12', 'already-reversed'],
  ['P13', 'below-minimum-spend'],
  ['P14', 'offer-not-found'],
  ['P54', 'offer-card-expired'],
  ['P57', 'offer-unavailable'],
  ['P58', 'wrong-terminal'],
  ['P65', 'offer-limit-reached'],
];

/** Every DE39 refusal of the loyalty profile. */
const DE39: [code: string, kind: RefusalKind][] = [
  ['13', 'over-reversal'],
  ['14', 'unknown-card'],
  ['25', 'original-not-found'],
  ['30', 'format-error'],
  ['51', 'insufficient-points'],
  ['54', 'expired-card'],
  ['58', 'wrong-terminal'],
  ['94', 'duplicate'],
  ['96', 'system-error'],
];

/** What each kind is answered with: loyalty REST (code, HTTP status), offers REST, DE39. */
const ANSWERS: [kind: RefusalKind, rest: [string, number] | undefined, offers: [string, number] | undefined, de39: string | undefined][] = [
  ['unknown-card', ['L14', 404], undefined, '14'],
  ['expired-card', ['L54', 422], undefined, '54'],
  ['insufficient-points', ['L51', 422], undefined, '51'],
  ['stale-balance-enquiry', ['L30', 422], undefined, '30'],
  ['invalid-identifier', ['1013', 400], ['1013', 400], '14'],
  ['duplicate', ['2020', 409], ['2020', 409], '94'],
  ['original-not-found', ['L25', 404], undefined, '25'],
  ['late-original-refused', ['L94', 409], undefined, '94'],
  ['over-reversal', ['L13', 422], undefined, '13'],
  ['wrong-terminal', ['L58', 403], ['P58', 403], '58'],
  ['offer-not-found', undefined, ['P14', 404], undefined],
  ['offer-card-expired', undefined, ['P54', 422], undefined],
  ['offer-unavailable', undefined, ['P57', 422], undefined],
  ['below-minimum-spend', undefined, ['P13', 422], undefined],
  ['offer-limit-reached', undefined, ['P65', 422], undefined],
  ['already-reversed', undefined, ['P12', 409], undefined],
  ['bad-request', ['E37', 400], ['E37', 400], undefined],
  ['format-error', undefined, undefined, '30'],
  ['not-authorized', ['E22', 401], undefined, undefined],
  ['host-busy', ['E34', 503], undefined, '96'],
  ['system-error', ['L96', 500], undefined, '96'],
  ['other', undefined, undefined, undefined],
];

/** Kinds whose DE39 answer is shared and reads back as another kind (the profile has fewer codes than kinds). */
const DE39_READS_BACK_AS: Partial<Record<RefusalKind, RefusalKind>> = {
  'invalid-identifier': 'unknown-card',
  'stale-balance-enquiry': 'format-error',
  'late-original-refused': 'duplicate',
  'host-busy': 'system-error',
};

describe('REFUSAL_KINDS', () => {
  it('is the closed list, each kind once', () => {
    expect([...REFUSAL_KINDS].sort()).toEqual(ANSWERS.map(([kind]) => kind).sort());
    expect(new Set(REFUSAL_KINDS).size).toBe(REFUSAL_KINDS.length);
  });

  it.each([
    ['unknown-card', true],
    ['other', true],
    ['L14', false],
    ['host-L14', false],
    ['toString', false],
    [undefined, false],
  ])('isRefusalKind(%j) is %s', (value, expected) => {
    expect(isRefusalKind(value)).toBe(expected);
  });
});

describe('refusalOfRestCode', () => {
  it.each(REST)('%s → %s', (code, kind) => {
    expect(refusalOfRestCode(code)).toBe(kind);
  });

  it('covers every code of both catalogs', () => {
    const listed = new Set(REST.map(([code]) => code));
    for (const code of [...Object.keys(ERROR_CATALOG), ...Object.keys(OFFERS_ERROR_CATALOG)]) expect(listed.has(code), code).toBe(true);
  });

  it.each(['L99', 'P99', 'E42', '14', '', 'Unauthorized', 'toString', '__proto__', 'l14'])('reads %j as other', (code) => {
    expect(refusalOfRestCode(code)).toBe('other');
  });
});

describe('refusalOfDe39', () => {
  it.each(DE39)('%s → %s', (code, kind) => {
    expect(refusalOfDe39(code)).toBe(kind);
  });

  it.each(['00', '05', '91', 'L14', '2020', '4', '140', '', 'constructor'])('reads %j as other', (code) => {
    expect(refusalOfDe39(code)).toBe('other');
  });
});

describe('refusalOfHostCode (transport not known)', () => {
  it.each([
    ['14', 'unknown-card'],
    ['L14', 'unknown-card'],
    ['30', 'format-error'],
    ['L30', 'stale-balance-enquiry'],
    ['94', 'duplicate'],
    ['2020', 'duplicate'],
    ['L94', 'late-original-refused'],
    ['25', 'original-not-found'],
    ['L25', 'original-not-found'],
    ['P54', 'offer-card-expired'],
    ['insufficient-points', 'other'],
    ['redemption-unknown', 'other'],
  ] as [string, RefusalKind][])('%s → %s', (code, kind) => {
    expect(refusalOfHostCode(code)).toBe(kind);
  });
});

describe('the reverse tables (what the host emulator answers with)', () => {
  it.each(ANSWERS)('%s', (kind, rest, offers, de39) => {
    expect(restCodeOf(kind)).toEqual(rest === undefined ? undefined : { code: rest[0], status: rest[1] });
    expect(offersCodeOf(kind)).toEqual(offers === undefined ? undefined : { code: offers[0], status: offers[1] });
    expect(de39Of(kind)).toBe(de39);
  });

  it('round-trip over REST: each answer reads back as its kind', () => {
    for (const kind of REFUSAL_KINDS) {
      const rest = restCodeOf(kind);
      if (rest !== undefined) expect(refusalOfRestCode(rest.code), kind).toBe(kind);
      const offers = offersCodeOf(kind);
      if (offers !== undefined) expect(refusalOfRestCode(offers.code), kind).toBe(kind);
    }
  });

  it('round-trip over DE39: each answer reads back as its kind, but for the shared codes', () => {
    for (const kind of REFUSAL_KINDS) {
      const de39 = de39Of(kind);
      if (de39 !== undefined) expect(refusalOfDe39(de39), kind).toBe(DE39_READS_BACK_AS[kind] ?? kind);
    }
  });

  it('gives the ISO host the DE39 it answers each ledger code with today', () => {
    // The ledger code → DE39 table of the ISO front-end (protocol/README.md, "DE39").
    const ledger: [string, string][] = [
      ['L14', '14'], ['1013', '14'], ['L54', '54'], ['L51', '51'], ['2020', '94'], ['L25', '25'],
      ['L94', '94'], ['L30', '30'], ['L96', '96'], ['L13', '13'], ['L58', '58'],
    ];
    for (const [code, de39] of ledger) expect(de39Of(refusalOfRestCode(code)), code).toBe(de39);
  });
});
