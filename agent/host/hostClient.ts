import { PosError } from '../../protocol/index.js';
import type { CardRef } from '../../protocol/index.js';
import { refusalOfHostCode, type Mandate, type RefusalKind, type RewardAccount } from '../../protocol/loyalty/index.js';

/**
 * The agent's view of the loyalty host. Two implementations: REST (undici,
 * `restHostClient.ts`) and ISO 8583 over TCP (`isoHostClient.ts`). Both hit
 * the same host ledger. Amounts and points are integers (minor units / points);
 * the REST implementation converts to and from the seed's string fields.
 */
export interface HostClient {
  balance(req: BalanceRequest): Promise<BalanceResult>;
  burn(req: BurnRequest): Promise<BurnResult>;
  /** Reverses a burn. Idempotent: reversing twice answers like the first time. */
  reverse(req: ReverseRequest): Promise<ReverseResult>;
  earn(req: EarnRequest): Promise<EarnResult>;
  offers(req: OffersRequest): Promise<TerminalOffer[]>;
  redeemOffer(req: RedeemOfferRequest): Promise<OfferRedemption>;
  /** Gives back points a burn debited (a return or void; project extension). Idempotent by transactionId. */
  refund(req: RefundRequest): Promise<AdjustmentResult>;
  /** Takes back points an earn credited, all it has left or some (a return or void; project extension). Idempotent by transactionId. */
  reverseEarn(req: EarnReversalRequest): Promise<AdjustmentResult>;
  /** Undoes an offer redemption (a return or void; project extension). Idempotent by transactionId. */
  reverseOffer(req: OfferReversalRequest): Promise<OfferReversal>;
  /** Cheap liveness probe (token fetch or ISO echo). Resolves when the host answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface BalanceRequest {
  card: CardRef;
  /** Client transaction id of this balance enquiry. */
  transactionId: string;
}

export interface BalanceResult {
  /** Issued by the host, bound to PAN + merchant + terminal, valid 300 s. */
  rewardTrxId: string;
  accounts: RewardAccount[];
}

export interface BurnRequest {
  card: CardRef;
  rewardTrxId: string;
  /** Idempotency key, fixed (and stored) before the first send. */
  transactionId: string;
  mandates: Mandate[];
}

export interface BurnResult {
  rewardTrxId: string;
  accounts: { accountId: string; accountType: string; debit: number; balance: number }[];
}

export interface ReverseRequest {
  card: CardRef;
  /** The burn being reversed. */
  originalTransactionId: string;
  /** This reversal's own id (fixed before the first send). */
  transactionId: string;
  /**
   * An earlier attempt with this transactionId may have reached the host, as the queue knows durably (its attempts
   * and send time survive a restart): ISO 8583 sends the repeat MTI (0221, 0421). REST has no such flag. Default false.
   */
  repeat?: boolean;
}

export interface ReverseResult {
  /** True when the host had applied the original and has now undone it; false when there was nothing to undo. */
  reversed: boolean;
}

export interface EarnRequest {
  card: CardRef;
  transactionId: string;
  /** Purchase amount in minor units. */
  amount: number;
  /** Local time of the sale, YYYYMMDDhhmmss. */
  timeStamp: string;
  /**
   * An earlier attempt with this transactionId may have reached the host, as the queue knows durably (its attempts
   * and send time survive a restart): ISO 8583 sends the repeat MTI (0221, 0421). REST has no such flag. Default false.
   */
  repeat?: boolean;
}

export interface EarnResult {
  rewardTrxId: string;
  accounts: RewardAccount[];
  /** Points the earn credited, when the host says (project extension: REST `earnedPoints`, ISO 8583 DE57). */
  earnedPoints?: number;
}

export interface RefundRequest {
  card: CardRef;
  /** The burn given back. */
  originalTransactionId: string;
  /** This refund's own id (fixed before the first send). */
  transactionId: string;
  points: number;
}

export interface EarnReversalRequest {
  card: CardRef;
  /** The earn taken back. */
  originalTransactionId: string;
  /** This reversal's own id (fixed before the first send). */
  transactionId: string;
  /**
   * Absent: all the earn has left. Else `points` to take back now, and `kept`, what the earn keeps after it
   * (REST sends `points`; ISO 8583 sends `kept` in DE95).
   */
  part?: { points: number; kept: number };
  /**
   * An earlier attempt with this transactionId may have reached the host, as the queue knows durably (its attempts
   * and send time survive a restart): ISO 8583 sends the repeat MTI (0221, 0421). REST has no such flag. Default false.
   */
  repeat?: boolean;
}

/** What an earn reversal or a refund moved. */
export interface AdjustmentResult {
  /** Points taken back (earn reversal) or given back (refund), when the host says. */
  points?: number;
  /** What the original has left after it, when the host says. */
  remaining?: number;
}

export interface OfferReversalRequest {
  card: CardRef;
  /** The redemption being undone (the host's `redemption_id`). */
  redemptionId: string;
  transactionId: string;
}

export interface OfferReversal {
  redemptionId: string;
  /** The benefit undone, minor units. */
  benefit: number;
}

export interface OffersRequest {
  card: CardRef;
  amount: number;
}

export interface TerminalOffer {
  cardOfferId: string;
  offerId: string;
  displayText: string;
  type: 'discount' | 'cashback';
  value: number;
  valueType: 'percent' | 'amount';
  /** Discount or cashback for this amount, minor units. */
  benefit: number;
  /** The offer's minimum spend, minor units (0: none). */
  minSpend: number;
}

export interface RedeemOfferRequest {
  card: CardRef;
  cardOfferId: string;
  transactionId: string;
  amount: number;
}

export interface OfferRedemption {
  redemptionId: string;
  type: 'discount' | 'cashback';
  benefit: number;
}

/**
 * What happened to a request that failed. The queue depends on this split:
 * - `not-sent`: the request never left (connect refused/timeout, DNS, TLS): safe to retry;
 * - `unknown`: it was sent and no answer came (response timeout, reset): a burn needs a reversal;
 * - `rejected`: the host answered with a refusal (4xx, ISO decline): do not retry;
 * - `failed`: the host answered with a server error (5xx, DE39 96): retry later.
 */
export type HostOutcome = 'not-sent' | 'unknown' | 'rejected' | 'failed';

export type HostErrorCode =
  | 'HOST_ERR_CONNECT'
  | 'HOST_ERR_TIMEOUT'
  | 'HOST_ERR_REJECTED'
  | 'HOST_ERR_SERVER'
  | 'HOST_ERR_AUTH'
  | 'HOST_ERR_PROTOCOL';

export class HostError extends PosError<HostErrorCode> {
  readonly outcome: HostOutcome;
  /** HTTP status, when there was an answer. */
  readonly status: number | undefined;
  /** The host's own code (seed code such as `2020`, `1013`, `L51`, or DE39), when there was an answer. For logs and reasons; branch on {@link refusal}. */
  readonly hostCode: string | undefined;
  /**
   * What the host's code means ({@link RefusalKind}, from the one table in
   * protocol/loyalty): set whenever the host answered with a code, refusal
   * (`rejected`) or failure (`failed`, e.g. `system-error`, `not-authorized`);
   * undefined when no code came (transport failures, timeouts). `other` for a
   * code outside the table ({@link hostCode} keeps it), which includes the
   * codes the agent gives its own refusals (`insufficient-points` of an offline
   * burn over the balance, `redemption-unknown`, `earned-points-unknown`).
   */
  readonly refusal: RefusalKind | undefined;

  /**
   * `refusal` defaults to the kind of `hostCode` read by its shape (two digits
   * DE39, else REST); the clients pass it from their own transport's table.
   */
  constructor(
    code: HostErrorCode,
    message: string,
    details: { outcome: HostOutcome; status?: number; hostCode?: string; refusal?: RefusalKind; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.outcome = details.outcome;
    this.status = details.status;
    this.hostCode = details.hostCode;
    this.refusal = details.refusal ?? (details.hostCode === undefined ? undefined : refusalOfHostCode(details.hostCode));
  }

  /** Worth sending again with the same transactionId. */
  get retryable(): boolean {
    return this.outcome !== 'rejected';
  }
}
