import { encodeAdditionalAmounts, type AdditionalAmount } from './additionalAmounts.js';
import { Iso8583Error } from './iso8583Error.js';
import type { Iso8583Fields, Iso8583Message } from './message.js';
import { encodeReplacementAmounts, replacementFor, REPLACEMENT_AMOUNTS_FIELD } from './replacementAmounts.js';
import type { ResponseCode } from './responseCodes.js';
import { checkOneTypePerEntry, encodeRewardAccountTypes, REWARD_ACCOUNT_TYPES_FIELD } from './rewardAccountTypes.js';
import { toRrn } from './rrn.js';

/**
 * Builders of the loyalty profile (DESIGN.md, Loyalty host: ISO 8583).
 * Field map (requests):
 * - DE2 PAN, DE14 expiry YYMM, DE22 `902` (magnetic stripe, full track; no PIN capability);
 * - DE3 processing code: balance `31aa00`, burn `00aa00` (aa = loyalty accountId,
 *   2 digits, `00` = default account), earn `000000`, reversal: the burn's code;
 * - DE4 amount: burn points, earn purchase amount in minor units;
 * - DE7 transmission date & time (MMDDhhmmss, UTC), DE11 STAN, DE12/13 local time/date;
 * - DE37 RRN = {@link toRrn}(transactionId); a reversal carries the original's RRN;
 * - DE41 terminalId (ans 8), DE42 merchantId (ans 15);
 * - DE48 the host's rewardTrxId (burn request; balance/burn/earn responses);
 * - DE49 currency, `999` (points / no currency) unless given;
 * - DE54 balances (see additionalAmounts.ts), DE63 the reward account type
 *   of each DE54 entry (responses; see rewardAccountTypes.ts), DE70 `301` (echo),
 *   DE90 original MTI(4) STAN(6) DE7(10) + 22 zeros (reversal).
 * Returns and voids (project extension, README "Returns and voids"):
 * - refund (points given back on a burn): 0200, DE3 `20aa00`, DE4 the points, DE37 the original burn's RRN
 *   (it names the original, as in a 0420), DE48 the refund's own transactionId (its idempotency key);
 * - earn answer (0230): DE57 the points the earn credited, so that a return can take back its share;
 * - earn reversal: 0420 of the earn (DE3 `000000`, DE90 names the 0220), DE37 the earn's RRN; a partial one
 *   carries DE95 (see replacementAmounts.ts) with the points the earn keeps; without DE95 it is full.
 * All builders are pure: the caller passes `now` and the STAN.
 */
export interface TerminalIds {
  merchantId: string;
  terminalId: string;
}

/** What every loyalty request carries besides the terminal: STAN, time, the card and the transactionId. */
export interface RequestBase extends TerminalIds {
  /** DE11, 1–6 digits. */
  stan: string;
  now: Date;
  pan: string;
  /** YYMM. */
  expiry: string;
  transactionId: string;
}

/** DE49 for points (no ISO 4217 currency). */
export const POINTS_CURRENCY = '999';
/** DE22, the POS entry mode: magnetic stripe, full track read. */
export const ENTRY_MODE_MAGSTRIPE = '902';
/** DE70 of an echo test (0800). */
export const ECHO_CODE = '301';

const two = (n: number) => String(n).padStart(2, '0');

/** DE7: MMDDhhmmss in UTC. */
export function transmissionDateTime(now: Date): string {
  return two(now.getUTCMonth() + 1) + two(now.getUTCDate()) + two(now.getUTCHours()) + two(now.getUTCMinutes()) + two(now.getUTCSeconds());
}

function account(accountId: string | undefined): string {
  const a = accountId ?? '00';
  if (!/^[0-9]{1,2}$/.test(a)) throw new Iso8583Error('ISO_ERR_PROFILE', 'field 3 (Processing Code): accountId must be 1-2 digits on the ISO link', { field: 3 });
  return a.padStart(2, '0');
}

function amount(n: number, field: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n > 999_999_999_999) {
    throw new Iso8583Error('ISO_ERR_PROFILE', `field ${field} (Transaction Amount): must be an integer 0-999999999999`, { field });
  }
  return String(n);
}

/** DE11 as 6 digits. */
function stan(s: string): string {
  if (!/^[0-9]{1,6}$/.test(s)) throw new Iso8583Error('ISO_ERR_PROFILE', 'field 11 (Systems Trace Audit Number): STAN must be 1-6 digits', { field: 11 });
  return s.padStart(6, '0');
}

function base(req: RequestBase, processingCode: string): Iso8583Fields {
  const dt = transmissionDateTime(req.now);
  return {
    2: req.pan,
    3: processingCode,
    7: dt,
    11: stan(req.stan),
    12: dt.slice(4),
    13: dt.slice(0, 4),
    14: req.expiry,
    22: ENTRY_MODE_MAGSTRIPE,
    37: toRrn(req.transactionId),
    41: req.terminalId,
    42: req.merchantId,
  };
}

/** 0100 balance enquiry. */
export function balanceRequest(req: RequestBase & { accountId?: string }): Iso8583Message {
  return { mti: '0100', fields: base(req, `31${account(req.accountId)}00`) };
}

/** 0200 burn (points redemption) from one account. */
export function burnRequest(req: RequestBase & { accountId: string; points: number; rewardTrxId: string }): Iso8583Message {
  const fields = base(req, `00${account(req.accountId)}00`);
  fields[4] = amount(req.points, 4);
  fields[48] = req.rewardTrxId;
  fields[49] = POINTS_CURRENCY;
  return { mti: '0200', fields };
}

/** 0220 earn advice (0221 when repeated). `localTime` is YYYYMMDDhhmmss and fills DE12/DE13. */
export function earnAdvice(req: RequestBase & { amount: number; localTime: string; currency?: string; repeat?: boolean }): Iso8583Message {
  if (!/^[0-9]{14}$/.test(req.localTime)) throw new Iso8583Error('ISO_ERR_PROFILE', 'field 12 (Local Transaction Time): timeStamp must be YYYYMMDDhhmmss', { field: 12 });
  const fields = base(req, '000000');
  fields[4] = amount(req.amount, 4);
  fields[12] = req.localTime.slice(8, 14);
  fields[13] = req.localTime.slice(4, 8);
  fields[49] = req.currency ?? POINTS_CURRENCY;
  return { mti: req.repeat ? '0221' : '0220', fields };
}

/** What a reversal knows of its original burn; STAN and DE7 are zeros when unknown. */
export interface OriginalBurn {
  transactionId: string;
  accountId?: string;
  stan?: string;
  transmissionDateTime?: string;
}

/** 0420 reversal advice of a burn (0421 when repeated). DE37 is the original's RRN; DE90 names the original. */
export function reversalAdvice(req: Omit<RequestBase, 'transactionId'> & { original: OriginalBurn; repeat?: boolean }): Iso8583Message {
  const o = req.original;
  const fields = base({ ...req, transactionId: o.transactionId }, `00${account(o.accountId)}00`);
  fields[90] = originalData('0200', o);
  return { mti: req.repeat ? '0421' : '0420', fields };
}

/** DE90: original MTI(4) STAN(6) DE7(10) + 22 zeros (acquiring and forwarding institution ids unknown). */
function originalData(mti: string, o: { stan?: string; transmissionDateTime?: string }): string {
  return `${mti}${(o.stan ?? '').padStart(6, '0')}${(o.transmissionDateTime ?? '').padStart(10, '0')}${'0'.repeat(22)}`;
}

/** A refund's own id travels in DE48 (ans ..999); the host keys idempotency on it. */
function ownId(transactionId: string): string {
  if (!/^[\x21-\x7e]{1,64}$/.test(transactionId)) {
    throw new Iso8583Error('ISO_ERR_PROFILE', 'field 48 (Additional Data - Private): transactionId must be 1-64 printable characters without spaces', { field: 48 });
  }
  return transactionId;
}

/**
 * 0200 refund (returns and voids extension): gives back `points` of an earlier burn. DE3 `20aa00`, DE4 the
 * points, DE37 the original burn's RRN, DE48 this refund's own transactionId.
 */
export function refundRequest(req: RequestBase & { accountId?: string; points: number; originalTransactionId: string }): Iso8583Message {
  const fields = base({ ...req, transactionId: req.originalTransactionId }, `20${account(req.accountId)}00`);
  fields[4] = amount(req.points, 4);
  fields[48] = ownId(req.transactionId);
  fields[49] = POINTS_CURRENCY;
  return { mti: '0200', fields };
}

/** What an earn reversal knows of its original earn; STAN and DE7 are zeros when unknown. */
export interface OriginalEarn {
  transactionId: string;
  /** The earn's DE4 (purchase amount, minor units); echoed in DE4 when given. */
  amount?: number;
  stan?: string;
  transmissionDateTime?: string;
}

/**
 * 0420 reversal advice of an earn (0421 when repeated): DE3 `000000`, DE37 the earn's RRN, DE90 names the
 * 0220. With `remaining` (points the earn keeps after this reversal) it is partial and carries DE95; without,
 * it reverses all the earn has left.
 */
export function earnReversalAdvice(req: Omit<RequestBase, 'transactionId'> & { original: OriginalEarn; remaining?: number; repeat?: boolean; transactionId?: string }): Iso8583Message {
  const o = req.original;
  const fields = base({ ...req, transactionId: o.transactionId }, '000000');
  // The reversal's own id (its idempotency key, as on REST), when the sender gives one.
  if (req.transactionId !== undefined) fields[48] = ownId(req.transactionId);
  if (o.amount !== undefined) fields[4] = amount(o.amount, 4);
  fields[49] = POINTS_CURRENCY;
  fields[90] = originalData('0220', o);
  if (req.remaining !== undefined) fields[REPLACEMENT_AMOUNTS_FIELD] = encodeReplacementAmounts(replacementFor(req.remaining));
  return { mti: req.repeat ? '0421' : '0420', fields };
}

/** 0800 echo test (DE70 301). */
export function echoRequest(req: { stan: string; now: Date }): Iso8583Message {
  return { mti: '0800', fields: { 7: transmissionDateTime(req.now), 11: stan(req.stan), 70: ECHO_CODE } };
}

/** The response MTI for a request: 0100→0110, 0200→0210, 0220/0221→0230, 0420/0421→0430, 0800→0810. */
export function responseMti(requestMti: string): string {
  return requestMti.slice(0, 2) + String(Number(requestMti[2]) + 1) + '0';
}

/** Fields a response echoes from its request. DE2, DE14, DE35 are deliberately not echoed. */
const ECHOED = [3, 4, 7, 11, 12, 13, 37, 41, 42, 49, 70, 90, 95] as const;

/** What a response carries besides the echoed fields. */
export interface ResponseAnswer {
  responseCode: ResponseCode;
  /** DE48. */
  rewardTrxId?: string;
  /** DE54, omitted when empty. */
  balances?: readonly AdditionalAmount[];
  /** DE63: the reward account type of each `balances` entry, in the same order. Omitted with DE54. */
  accountTypes?: readonly string[];
  /** DE38. */
  approvalCode?: string;
  /** DE57 of a 0230: the points the earn credited (project extension). */
  earnedPoints?: number;
}

/**
 * Builds the response to `request` with DE39 and the given extras. Throws
 * ISO_ERR_PROFILE when `accountTypes` is given and does not match `balances`
 * one for one.
 */
export function responseTo(request: Iso8583Message, answer: ResponseAnswer): Iso8583Message {
  const fields: Iso8583Fields = {};
  for (const id of ECHOED) if (request.fields[id] !== undefined) fields[id] = request.fields[id];
  fields[39] = answer.responseCode;
  if (answer.approvalCode !== undefined) fields[38] = answer.approvalCode;
  if (answer.rewardTrxId !== undefined) fields[48] = answer.rewardTrxId;
  if (answer.earnedPoints !== undefined) fields[57] = String(answer.earnedPoints);
  const balances = answer.balances ?? [];
  if (balances.length > 0) fields[54] = encodeAdditionalAmounts(balances);
  if (answer.accountTypes !== undefined) {
    checkOneTypePerEntry(answer.accountTypes, balances.length);
    if (balances.length > 0) fields[REWARD_ACCOUNT_TYPES_FIELD] = encodeRewardAccountTypes(answer.accountTypes);
  }
  return { mti: responseMti(request.mti), fields };
}
