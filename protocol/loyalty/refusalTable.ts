import type { ResponseCode } from '../iso8583/index.js';
import { offersStatusOf, type OffersWireCode } from '../offers/index.js';
import { statusOf, type LoyaltyErrorCode } from './errorCatalog.js';
import type { RefusalKind } from './refusalKind.js';

/**
 * The one refusal table: wire codes → {@link RefusalKind} (the agent reads
 * answers with it), and kind → wire code (the host emulator answers with it).
 * Sources: the seed's error catalog and the project's L codes
 * (`errorCatalog.ts`), the Pay with Points catalog (`../offers/offersErrorCatalog.ts`),
 * and the loyalty profile's DE39 codes (`../iso8583/responseCodes.ts`).
 * protocol/README.md ("Refusal kinds") shows it as one table.
 */

/** Every code of the loyalty catalog and of the offers catalog, by kind (the offers catalog's 1013, 2020, E14, E21, E32, E37 are the loyalty catalog's). */
const KIND_OF_REST_CODE = {
  '2020': 'duplicate',
  '1013': 'invalid-identifier',
  // The seed's sample balance failure, `{"code":"10002","message":"null"}`: it says nothing more.
  '10002': 'other',
  E10: 'bad-request',
  E11: 'bad-request',
  E12: 'not-authorized',
  E13: 'not-authorized',
  E14: 'bad-request',
  E15: 'bad-request',
  E16: 'bad-request',
  E17: 'bad-request',
  E18: 'host-busy',
  E19: 'system-error',
  E20: 'system-error',
  E21: 'system-error',
  E22: 'not-authorized',
  E23: 'not-authorized',
  E24: 'not-authorized',
  E25: 'not-authorized',
  E26: 'not-authorized',
  E27: 'not-authorized',
  E28: 'not-authorized',
  E29: 'not-authorized',
  E30: 'not-authorized',
  E31: 'bad-request',
  E32: 'bad-request',
  E33: 'system-error',
  E34: 'host-busy',
  E35: 'system-error',
  E36: 'system-error',
  E37: 'bad-request',
  E38: 'system-error',
  E39: 'system-error',
  E40: 'system-error',
  E41: 'bad-request',
  L13: 'over-reversal',
  L14: 'unknown-card',
  L25: 'original-not-found',
  L30: 'stale-balance-enquiry',
  L51: 'insufficient-points',
  L54: 'expired-card',
  L58: 'wrong-terminal',
  L94: 'late-original-refused',
  L96: 'system-error',
  P12: 'already-reversed',
  P13: 'below-minimum-spend',
  P14: 'offer-not-found',
  P54: 'offer-card-expired',
  P57: 'offer-unavailable',
  P58: 'wrong-terminal',
  P65: 'offer-limit-reached',
} as const satisfies Record<LoyaltyErrorCode | OffersWireCode, RefusalKind>;

/** Every DE39 code of the loyalty profile but 00 (approved), by kind. */
const KIND_OF_DE39 = {
  '13': 'over-reversal',
  '14': 'unknown-card',
  '25': 'original-not-found',
  '30': 'format-error',
  '51': 'insufficient-points',
  '54': 'expired-card',
  '58': 'wrong-terminal',
  '94': 'duplicate',
  '96': 'system-error',
} as const satisfies Record<Exclude<ResponseCode, '00'>, RefusalKind>;

/** One row of the answer table. */
interface RefusalAnswers {
  rest?: LoyaltyErrorCode;
  offers?: OffersWireCode;
  de39?: Exclude<ResponseCode, '00'>;
}

/**
 * What the host answers each kind with: on the loyalty REST API, on the
 * offers API, over ISO 8583. A missing entry: that API never says it. Some
 * DE39 answers are shared, as the profile has fewer codes than there are
 * kinds: 14 (unknown-card, invalid-identifier), 30 (format-error,
 * stale-balance-enquiry), 94 (duplicate, late-original-refused),
 * 96 (system-error, host-busy). Read back, each is the first kind named.
 */
const ANSWER_OF_KIND: Readonly<Record<RefusalKind, RefusalAnswers>> = {
  'unknown-card': { rest: 'L14', de39: '14' },
  'expired-card': { rest: 'L54', de39: '54' },
  'insufficient-points': { rest: 'L51', de39: '51' },
  'stale-balance-enquiry': { rest: 'L30', de39: '30' },
  'invalid-identifier': { rest: '1013', offers: '1013', de39: '14' },
  duplicate: { rest: '2020', offers: '2020', de39: '94' },
  'original-not-found': { rest: 'L25', de39: '25' },
  'late-original-refused': { rest: 'L94', de39: '94' },
  'over-reversal': { rest: 'L13', de39: '13' },
  'wrong-terminal': { rest: 'L58', offers: 'P58', de39: '58' },
  'offer-not-found': { offers: 'P14' },
  'offer-card-expired': { offers: 'P54' },
  'offer-unavailable': { offers: 'P57' },
  'below-minimum-spend': { offers: 'P13' },
  'offer-limit-reached': { offers: 'P65' },
  'already-reversed': { offers: 'P12' },
  // Over ISO 8583 a request the host cannot read is the link's own format error (30); a REST code never reaches it.
  'bad-request': { rest: 'E37', offers: 'E37' },
  'format-error': { de39: '30' },
  'not-authorized': { rest: 'E22' },
  'host-busy': { rest: 'E34', de39: '96' },
  // The offers API's own failures are answered by the host's handler, with L96.
  'system-error': { rest: 'L96', de39: '96' },
  other: {},
};

/** A REST refusal as the host sends it: the code of the error body and its HTTP status. */
export interface RestRefusal<C extends string = string> {
  code: C;
  status: number;
}

/** DE39 codes are two digits; every REST code is longer or lettered. */
const DE39_SHAPE = /^[0-9]{2}$/;

/** The kind of a REST error body's code (loyalty or offers API); `other` for a code outside both catalogs. */
export function refusalOfRestCode(code: string): RefusalKind {
  return Object.hasOwn(KIND_OF_REST_CODE, code) ? KIND_OF_REST_CODE[code as keyof typeof KIND_OF_REST_CODE] : 'other';
}

/** The kind of an ISO 8583 DE39 code; `other` for a code outside the loyalty profile (and for 00, which refuses nothing). */
export function refusalOfDe39(code: string): RefusalKind {
  return Object.hasOwn(KIND_OF_DE39, code) ? KIND_OF_DE39[code as keyof typeof KIND_OF_DE39] : 'other';
}

/**
 * The kind of a host code whose transport is not known (a code kept with an
 * operation, a test double's): two digits are read as DE39, anything else as
 * a REST code. The two code sets do not overlap.
 */
export function refusalOfHostCode(code: string): RefusalKind {
  return DE39_SHAPE.test(code) ? refusalOfDe39(code) : refusalOfRestCode(code);
}

/** What the loyalty REST API answers `kind` with, or undefined when it never says it (the offer kinds, `format-error`, `other`). */
export function restCodeOf(kind: RefusalKind): RestRefusal<LoyaltyErrorCode> | undefined {
  const row = ANSWER_OF_KIND[kind];
  return row.rest === undefined ? undefined : { code: row.rest, status: statusOf(row.rest) };
}

/** What the Pay with Points API answers `kind` with, or undefined when it never says it. */
export function offersCodeOf(kind: RefusalKind): RestRefusal<OffersWireCode> | undefined {
  const row = ANSWER_OF_KIND[kind];
  return row.offers === undefined ? undefined : { code: row.offers, status: offersStatusOf(row.offers) };
}

/** The DE39 code the ISO 8583 link answers `kind` with, or undefined when the link never says it (offers, authentication, `other`). */
export function de39Of(kind: RefusalKind): Exclude<ResponseCode, '00'> | undefined {
  return ANSWER_OF_KIND[kind].de39;
}
