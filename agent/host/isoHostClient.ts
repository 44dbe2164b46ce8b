import type { Logger } from 'pino';
import {
  DE39,
  RESPONSE_CODE_TEXT,
  balanceRequest,
  burnRequest,
  earnAdvice,
  earnReversalAdvice,
  echoRequest,
  refundRequest,
  readResponse,
  reversalAdvice,
  type Iso8583Message,
  type LoyaltyResponse,
} from '../../protocol/iso8583/index.js';
import type { IsoHostConfig } from '../config/index.js';
import {
  HostError,
  type BalanceRequest, type BalanceResult, type BurnRequest, type BurnResult, type EarnRequest, type EarnResult,
  type HostClient, type OfferRedemption, type OffersRequest, type RedeemOfferRequest, type ReverseRequest, type ReverseResult,
  type TerminalOffer, type AdjustmentResult, type EarnReversalRequest, type OfferReversal, type OfferReversalRequest,
  type RefundRequest,
} from './hostClient.js';
import { refusalOfDe39, type RewardAccount } from '../../protocol/loyalty/index.js';
import { IsoConnection, type IsoConnectionOptions } from './isoConnection.js';

export interface IsoHostClientOptions extends IsoConnectionOptions {
  merchantId: string;
  terminalId: string;
  /** Clock, epoch ms (DE7, DE12/13). Default Date.now. */
  now?: () => number;
}

/**
 * DE54 entries → accounts. The ISO link carries the accountId (DE54's account
 * type position), the balance, and in DE63 the reward account type of each
 * entry. Account names are not carried: `''`. A host that sends no DE63 (the
 * profile before DE63) leaves `accountType` `''`, and then `chooseMandates`
 * treats no account as type 1: it debits in the host's order.
 */
const accountsOf = (r: LoyaltyResponse): RewardAccount[] =>
  r.balances.map((b, i) => ({ accountId: b.accountType, accountName: '', accountType: r.accountTypes?.[i] ?? '', availableBalance: b.amount }));

/**
 * The loyalty host over the ISO 8583 link (DESIGN.md, Loyalty host: ISO
 * 8583): balance 0100, burn 0200, earn advice 0220/0221, reversal advice
 * 0420/0421 (the repeat MTIs when the request says `repeat`: the queue knows it
 * durably), echo 0800, on one persistent connection. DE39 00 is success;
 * any other code is read once through the refusal table (`refusalOfDe39`):
 * `system-error` (96) is a `failed` server error, every other kind a
 * `rejected` refusal, with the code in `hostCode` and the kind in `refusal`.
 * A reversal refused `original-not-found` (25) resolves `{reversed: false}`.
 * Offers are REST-only.
 */
export class IsoHostClient implements HostClient {
  private readonly conn: IsoConnection;
  private readonly now: () => number;

  constructor(private readonly opts: IsoHostClientOptions) {
    this.conn = new IsoConnection(opts);
    this.now = opts.now ?? Date.now;
  }

  static fromConfig(host: IsoHostConfig, terminal: { merchantId: string; terminalId: string }, logger?: Logger): IsoHostClient {
    return new IsoHostClient({
      host: host.isoHost, port: host.isoPort, merchantId: terminal.merchantId, terminalId: terminal.terminalId,
      timeoutMs: host.timeoutMs, connectTimeoutMs: host.connectTimeoutMs,
      ...(logger === undefined ? {} : { logger }),
    });
  }

  async balance(req: BalanceRequest): Promise<BalanceResult> {
    const r = await this.call('balance', (stan, now) => balanceRequest({ ...this.base(stan, now), pan: req.card.pan, expiry: req.card.expiry, transactionId: req.transactionId }));
    return { rewardTrxId: this.need(r.rewardTrxId, 'balance'), accounts: accountsOf(r) };
  }

  async burn(req: BurnRequest): Promise<BurnResult> {
    const [mandate, ...more] = req.mandates;
    if (!mandate || more.length > 0) {
      throw new HostError('HOST_ERR_REJECTED', `burn: an ISO 8583 burn debits exactly one account (got ${req.mandates.length} mandates); the request was not sent`, { outcome: 'rejected' });
    }
    const r = await this.call('burn', (stan, now) =>
      burnRequest({ ...this.base(stan, now), pan: req.card.pan, expiry: req.card.expiry, transactionId: req.transactionId, accountId: mandate.accountId, points: mandate.debit, rewardTrxId: req.rewardTrxId }),
    );
    const after = r.balances.find((b) => b.accountType === mandate.accountId.padStart(2, '0'));
    return {
      rewardTrxId: r.rewardTrxId ?? req.rewardTrxId,
      accounts: [{ accountId: mandate.accountId, accountType: mandate.accountType, debit: mandate.debit, balance: after?.amount ?? 0 }],
    };
  }

  async reverse(req: ReverseRequest): Promise<ReverseResult> {
    const repeat = req.repeat === true;
    try {
      await this.call('reverse', (stan, now) =>
        reversalAdvice({ ...this.base(stan, now), pan: req.card.pan, expiry: req.card.expiry, original: { transactionId: req.originalTransactionId }, repeat }),
      );
      return { reversed: true };
    } catch (err) {
      if (err instanceof HostError && err.refusal === 'original-not-found') return { reversed: false };
      throw err;
    }
  }

  async earn(req: EarnRequest): Promise<EarnResult> {
    const repeat = req.repeat === true;
    const r = await this.call('earn', (stan, now) =>
      earnAdvice({ ...this.base(stan, now), pan: req.card.pan, expiry: req.card.expiry, transactionId: req.transactionId, amount: req.amount, localTime: req.timeStamp, repeat }),
    );
    return { rewardTrxId: r.rewardTrxId ?? '', accounts: accountsOf(r), ...(r.earnedPoints === undefined ? {} : { earnedPoints: r.earnedPoints }) };
  }

  /** 0200 with DE3 20xx00: the refund's own id in DE48 is its idempotency key (no repeat MTI). */
  async refund(req: RefundRequest): Promise<AdjustmentResult> {
    await this.call('refund', (stan, now) =>
      refundRequest({ ...this.base(stan, now), pan: req.card.pan, expiry: req.card.expiry, transactionId: req.transactionId, originalTransactionId: req.originalTransactionId, points: req.points }),
    );
    return { points: req.points };
  }

  /** 0420 of the earn (0421 when repeated); a part carries in DE95 what the earn keeps. */
  async reverseEarn(req: EarnReversalRequest): Promise<AdjustmentResult> {
    const repeat = req.repeat === true;
    await this.call('reverseEarn', (stan, now) =>
      earnReversalAdvice({
        ...this.base(stan, now), pan: req.card.pan, expiry: req.card.expiry, transactionId: req.transactionId,
        original: { transactionId: req.originalTransactionId }, repeat,
        ...(req.part === undefined ? {} : { remaining: req.part.kept }),
      }),
    );
    return req.part === undefined ? { remaining: 0 } : { points: req.part.points, remaining: req.part.kept };
  }

  reverseOffer(_req: OfferReversalRequest): Promise<OfferReversal> {
    return Promise.reject(restOnly('reverseOffer'));
  }

  offers(_req: OffersRequest): Promise<TerminalOffer[]> {
    return Promise.reject(restOnly('offers'));
  }

  redeemOffer(_req: RedeemOfferRequest): Promise<OfferRedemption> {
    return Promise.reject(restOnly('redeemOffer'));
  }

  async ping(): Promise<void> {
    await this.call('ping', (stan, now) => echoRequest({ stan, now }));
  }

  close(): Promise<void> {
    return this.conn.close();
  }

  private base(stan: string, now: Date) {
    return { merchantId: this.opts.merchantId, terminalId: this.opts.terminalId, stan, now };
  }

  /** Builds (with a fresh STAN), sends, and checks DE39 of the answer. */
  private async call(op: string, build: (stan: string, now: Date) => Iso8583Message): Promise<LoyaltyResponse> {
    let msg: Iso8583Message;
    try {
      msg = build(this.conn.nextStan(), new Date(this.now()));
    } catch (err) {
      if (err instanceof HostError) throw err;
      throw new HostError('HOST_ERR_PROTOCOL', `${op}: the request does not fit the ISO 8583 profile (${(err as { code?: string }).code ?? 'error'}); it was not sent`, { outcome: 'rejected', cause: err });
    }
    const answer = await this.conn.exchange(op, msg);
    let r: LoyaltyResponse;
    try {
      r = readResponse(answer);
    } catch (err) {
      throw new HostError('HOST_ERR_PROTOCOL', `${op}: the host's answer does not fit the loyalty profile; the outcome is unknown`, { outcome: 'unknown', cause: err });
    }
    const code = r.responseCode;
    if (code === DE39.approved) return r;
    const refusal = refusalOfDe39(code);
    if (refusal === 'system-error') throw new HostError('HOST_ERR_SERVER', `${op}: host system error (DE39 ${code})`, { outcome: 'failed', hostCode: code, refusal });
    throw new HostError('HOST_ERR_REJECTED', `${op}: declined by the host: ${RESPONSE_CODE_TEXT[code]} (DE39 ${code})`, { outcome: 'rejected', hostCode: code, refusal });
  }

  private need(v: string | undefined, op: string): string {
    if (v === undefined) throw new HostError('HOST_ERR_PROTOCOL', `${op}: the approval carries no rewardTrxId (DE48)`, { outcome: 'unknown' });
    return v;
  }
}

function restOnly(op: string): HostError {
  return new HostError('HOST_ERR_REJECTED', `${op}: card-linked offers are REST-only; not available over host.transport iso8583`, { outcome: 'rejected' });
}
