import { decodeAdditionalAmounts, type AdditionalAmount } from './additionalAmounts.js';
import { Iso8583Error } from './iso8583Error.js';
import type { Iso8583Message } from './message.js';
import { isResponseCode, type ResponseCode } from './responseCodes.js';
import { decodeReplacementAmounts, REPLACEMENT_AMOUNTS_FIELD, type ReplacementAmounts } from './replacementAmounts.js';
import { checkOneTypePerEntry, decodeRewardAccountTypes, REWARD_ACCOUNT_TYPES_FIELD } from './rewardAccountTypes.js';
import { fromRrn } from './rrn.js';

/** A loyalty request as the host sees it (see loyaltyProfile.ts for the field map). */
export type LoyaltyRequest =
  | (CardRequest & { kind: 'balance'; accountId: string })
  | (CardRequest & { kind: 'burn'; accountId: string; points: number; rewardTrxId: string })
  | (CardRequest & { kind: 'earn'; amount: number; currency: string; localTime: string; repeat: boolean })
  | (CardRequest & { kind: 'reversal'; accountId: string; originalMti: string; originalStan: string; repeat: boolean })
  /** Returns and voids: a 0200 with DE3 20aa00; `rrn` is the original burn's, `transactionId` (DE48) the refund's own. */
  | (CardRequest & { kind: 'refund'; accountId: string; points: number; transactionId: string })
  /** Returns and voids: a 0420 of a 0220; `remaining` (DE95) when partial, else undefined (reverse all that is left). */
  /** `transactionId` (DE48) is the reversal's own id when the sender gave one. */
  | (CardRequest & { kind: 'earn-reversal'; originalStan: string; remaining: number | undefined; transactionId: string | undefined; repeat: boolean })
  | { kind: 'echo'; mti: string; stan: string };

/** The card and terminal fields read from a loyalty request. */
export interface CardRequest {
  mti: string;
  stan: string;
  /** DE37 trimmed: the transactionId (or its hashed form, see toRrn); for a reversal, the original's. */
  rrn: string;
  pan: string;
  expiry: string;
  merchantId: string;
  terminalId: string;
}

/** A loyalty response as the terminal sees it. */
export interface LoyaltyResponse {
  mti: string;
  stan: string;
  responseCode: ResponseCode;
  rrn: string | undefined;
  rewardTrxId: string | undefined;
  approvalCode: string | undefined;
  balances: AdditionalAmount[];
  /**
   * DE63: the reward account type of each `balances` entry, in the same order;
   * `undefined` when the host sent no DE63 (a host of the older profile).
   */
  accountTypes: string[] | undefined;
  /** DE57 of an earn's answer (project extension, README "Returns and voids"): the points it credited; undefined when absent. */
  earnedPoints: number | undefined;
}

/** The field that carries an earn's credited points in its 0230 (project extension). */
export const EARNED_POINTS_FIELD = 57;

function missing(id: number, mti: string): never {
  throw new Iso8583Error('ISO_ERR_PROFILE', `field ${id}: required in a ${mti} of the loyalty profile`, { field: id });
}

/** The points an earn keeps, from its DE95: the profile's form only (settlement the same, no fees). */
function keptPoints(r: ReplacementAmounts): number {
  if (r.settlement !== r.transaction || r.transactionFee !== 0 || r.settlementFee !== 0) {
    throw new Iso8583Error('ISO_ERR_PROFILE', 'field 95 (Replacement Amounts): expected the settlement amount equal to the transaction amount and both fees C00000000', { field: 95 });
  }
  return r.transaction;
}

function str(msg: Iso8583Message, id: number): string {
  const v = msg.fields[id];
  if (typeof v !== 'string') missing(id, msg.mti);
  return v;
}

/** A points amount that must be over 0 (a refund of nothing is malformed). */
function positive(msg: Iso8583Message, id: number): number {
  const n = Number(str(msg, id));
  if (n <= 0) throw new Iso8583Error('ISO_ERR_PROFILE', `field ${id} (Transaction Amount): must be more than 0 in a refund`, { field: id });
  return n;
}

function processingAccount(msg: Iso8583Message, prefix: string): string {
  const pc = str(msg, 3);
  if (!pc.startsWith(prefix) || !pc.endsWith('00')) {
    throw new Iso8583Error('ISO_ERR_PROFILE', `field 3 (Processing Code): expected ${prefix}xx00 in a ${msg.mti}`, { field: 3 });
  }
  return pc.slice(2, 4);
}

function cardPart(msg: Iso8583Message): CardRequest {
  return {
    mti: msg.mti,
    stan: str(msg, 11),
    rrn: fromRrn(str(msg, 37)),
    pan: str(msg, 2),
    expiry: str(msg, 14),
    merchantId: str(msg, 42).trimEnd(),
    terminalId: str(msg, 41).trimEnd(),
  };
}

/** Classifies a decoded request by MTI. Throws ISO_ERR_PROFILE for other MTIs or missing fields. */
export function readRequest(msg: Iso8583Message): LoyaltyRequest {
  switch (msg.mti) {
    case '0100':
      return { ...cardPart(msg), kind: 'balance', accountId: processingAccount(msg, '31') };
    case '0200':
      if (str(msg, 3).startsWith('20')) {
        return { ...cardPart(msg), kind: 'refund', accountId: processingAccount(msg, '20'), points: positive(msg, 4), transactionId: str(msg, 48) };
      }
      return { ...cardPart(msg), kind: 'burn', accountId: processingAccount(msg, '00'), points: Number(str(msg, 4)), rewardTrxId: str(msg, 48) };
    case '0220':
    case '0221': {
      processingAccount(msg, '00');
      const time = str(msg, 12);
      const date = str(msg, 13);
      return { ...cardPart(msg), kind: 'earn', amount: Number(str(msg, 4)), currency: str(msg, 49), localTime: date + time, repeat: msg.mti === '0221' };
    }
    case '0420':
    case '0421': {
      const de90 = str(msg, 90);
      const de95 = msg.fields[REPLACEMENT_AMOUNTS_FIELD];
      if (de90.startsWith('0220') || de90.startsWith('0221')) {
        if (str(msg, 3) !== '000000') throw new Iso8583Error('ISO_ERR_PROFILE', 'field 3 (Processing Code): expected 000000 in the reversal of an earn', { field: 3 });
        const remaining = typeof de95 === 'string' ? keptPoints(decodeReplacementAmounts(de95)) : undefined;
        const own = msg.fields[48];
        return { ...cardPart(msg), kind: 'earn-reversal', originalStan: de90.slice(4, 10), remaining, transactionId: typeof own === 'string' ? own : undefined, repeat: msg.mti === '0421' };
      }
      if (de95 !== undefined) {
        throw new Iso8583Error('ISO_ERR_PROFILE', 'field 95 (Replacement Amounts): a burn is not partly reversed; a refund is a 0200 with DE3 20xx00', { field: 95 });
      }
      return { ...cardPart(msg), kind: 'reversal', accountId: processingAccount(msg, '00'), originalMti: de90.slice(0, 4), originalStan: de90.slice(4, 10), repeat: msg.mti === '0421' };
    }
    case '0800':
      if (str(msg, 70) !== '301') throw new Iso8583Error('ISO_ERR_PROFILE', 'field 70 (Network Management Information Code): expected 301 (echo)', { field: 70 });
      return { kind: 'echo', mti: msg.mti, stan: str(msg, 11) };
    default:
      throw new Iso8583Error('ISO_ERR_PROFILE', 'MTI is not a loyalty-profile request (0100, 0200, 0220/0221, 0420/0421, 0800)');
  }
}

const RESPONSE_MTIS: ReadonlySet<string> = new Set(['0110', '0210', '0230', '0430', '0810']);

/**
 * Reads a response: DE11, DE39 (must be in the DE39 table), and the optional
 * DE37/38/48/54/63. Throws ISO_ERR_PROFILE (field 63) when DE63 is malformed
 * or does not give one account type per DE54 entry.
 */
export function readResponse(msg: Iso8583Message): LoyaltyResponse {
  if (!RESPONSE_MTIS.has(msg.mti)) throw new Iso8583Error('ISO_ERR_PROFILE', 'MTI is not a loyalty-profile response (0110, 0210, 0230, 0430, 0810)');
  const code = str(msg, 39);
  if (!isResponseCode(code)) throw new Iso8583Error('ISO_ERR_PROFILE', 'field 39 (Response Code): not a code of the loyalty profile', { field: 39 });
  const opt = (id: number) => (typeof msg.fields[id] === 'string' ? (msg.fields[id] as string) : undefined);
  const de54 = opt(54);
  const balances = de54 === undefined ? [] : decodeAdditionalAmounts(de54);
  const de63 = opt(REWARD_ACCOUNT_TYPES_FIELD);
  const accountTypes = de63 === undefined ? undefined : decodeRewardAccountTypes(de63);
  if (accountTypes !== undefined) checkOneTypePerEntry(accountTypes, balances.length);
  return {
    mti: msg.mti,
    stan: str(msg, 11),
    responseCode: code,
    rrn: opt(37) === undefined ? undefined : fromRrn(opt(37) as string),
    rewardTrxId: opt(48),
    approvalCode: opt(38),
    balances,
    accountTypes,
    earnedPoints: earnedPointsOf(opt(EARNED_POINTS_FIELD)),
  };
}

function earnedPointsOf(de57: string | undefined): number | undefined {
  if (de57 === undefined) return undefined;
  if (!/^[0-9]{1,12}$/.test(de57)) throw new Iso8583Error('ISO_ERR_PROFILE', 'field 57 (earned points): expected 1-12 digits', { field: EARNED_POINTS_FIELD });
  return Number(de57);
}
