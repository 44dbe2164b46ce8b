import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  balanceResponseSchema, earnResponseSchema, earnReversalResponseSchema, localTimeStamp, redeemResponseSchema, refundResponseSchema,
  reversalResponseSchema, signedHeaders, tokenResponseSchema,
  type BalanceHeaders, type EarnRequest as EarnBody, type EarnReversalRequest as EarnReversalBody, type RedeemRequest as RedeemBody,
  type RefundRequest as RefundBody, type ReversalRequest as ReversalBody,
} from '../../protocol/loyalty/index.js';
import {
  terminalOffersResponseSchema, terminalRedeemResponseSchema, terminalRedemptionReversalResponseSchema,
  type TerminalOffersRequest as OffersBody, type TerminalRedeemRequest as RedeemOfferBody,
  type TerminalRedemptionReversalRequest as OfferReversalBody,
} from '../../protocol/offers/index.js';
import type { RestHostConfig } from '../config/index.js';
import {
  HostError,
  type BalanceRequest, type BalanceResult, type BurnRequest, type BurnResult, type EarnRequest, type EarnResult,
  type HostClient, type OfferRedemption, type OffersRequest, type RedeemOfferRequest, type ReverseRequest,
  type ReverseResult, type TerminalOffer, type AdjustmentResult, type EarnReversalRequest, type OfferReversal,
  type OfferReversalRequest, type RefundRequest,
} from './hostClient.js';
import { responseError } from './restErrors.js';
import {
  adjustmentOf, balanceHeaders, balanceQuery, balanceResultOf, burnResultOf, earnBody, earnResultOf, earnReversalBody,
  offerRedemptionOf, offerReversalBody, offerReversalOf, offersBody, redeemBody, redeemOfferBody, refundBody, reversalBody,
  reverseResultOf, terminalOffersOf,
} from './restMapping.js';
import { RestTokenCache, type FetchedToken } from './restTokenCache.js';
import { RestTransport, type RestAnswer } from './restTransport.js';

/** A JSON request body: one of the contract's request types (protocol/loyalty/contract.ts, protocol/offers/terminalContract.ts). */
type RequestBody = EarnBody | RedeemBody | ReversalBody | OffersBody | RedeemOfferBody | RefundBody | EarnReversalBody | OfferReversalBody;

export interface RestHostClientOptions {
  /** http(s) URL of the host, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  merchantId: string;
  terminalId: string;
  /** Response timeout, ms. Default 10000. */
  timeoutMs?: number;
  /** Connect timeout, ms. Default 3000. */
  connectTimeoutMs?: number;
  /** PEM file trusted in addition to the system CAs. Default: none. */
  caFile?: string;
  /** Default: no logging. */
  logger?: Logger;
  /** Clock, epoch ms (signing Timestamp, token expiry, timeStamp fields). Default Date.now. */
  now?: () => number;
}

/** What {@link RestHostClient.probe} learned. */
export interface HostProbe {
  /** The host's clock from its `Date` header, when sent. */
  serverDate: Date | undefined;
  /** Local clock minus host clock, seconds (positive: the terminal is ahead). */
  skewS: number | undefined;
  roundTripMs: number;
}

/**
 * The loyalty host over REST (seeds/loyalty-api.txt, DESIGN.md). Every API
 * call carries a cached OAuth token and a fresh signature; a 401 refreshes
 * the token and retries once. Amounts are integers here and strings on the
 * wire. The PAN travels only in headers or bodies, never in a URL, message or log.
 */
export class RestHostClient implements HostClient {
  private readonly transport: RestTransport;
  private readonly tokens: RestTokenCache;
  private readonly now: () => number;
  private readonly log: Logger | undefined;
  /** `Date` header of the last token answer (for the clock-skew probe). */
  private lastTokenDate: string | undefined;

  constructor(private readonly opts: RestHostClientOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.logger?.child({ component: 'host-rest' });
    this.transport = new RestTransport({
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs ?? 10_000,
      connectTimeoutMs: opts.connectTimeoutMs ?? 3_000,
      ...(opts.caFile === undefined ? {} : { caPem: readFileSync(opts.caFile, 'utf8') }),
    });
    this.tokens = new RestTokenCache(async () => {
      const { token, answer } = await this.fetchToken();
      this.lastTokenDate = answer.date;
      return token;
    }, this.now);
  }

  /** Builds a client from the resolved config. */
  static fromConfig(host: RestHostConfig, terminal: { merchantId: string; terminalId: string }, logger?: Logger): RestHostClient {
    return new RestHostClient({
      baseUrl: host.baseUrl, clientId: host.clientId, clientSecret: host.clientSecret,
      merchantId: terminal.merchantId, terminalId: terminal.terminalId,
      timeoutMs: host.timeoutMs, connectTimeoutMs: host.connectTimeoutMs,
      ...(host.caFile === undefined ? {} : { caFile: host.caFile }),
      ...(logger === undefined ? {} : { logger }),
    });
  }

  private async fetchToken(): Promise<{ token: FetchedToken; answer: RestAnswer }> {
    const basic = Buffer.from(`${this.opts.clientId}:${this.opts.clientSecret}`).toString('base64');
    let answer: RestAnswer;
    try {
      answer = await this.transport.send('token', 'POST', '/passport/oauth/token', { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=client_credentials');
    } catch (err) {
      // No API request went out when the token could not be fetched.
      if (err instanceof HostError) throw new HostError(err.code, err.message, { outcome: 'not-sent', cause: err });
      throw err;
    }
    if (answer.status < 200 || answer.status > 299) {
      const e = responseError('token', answer.status, safeJson(answer.text));
      throw new HostError(answer.status === 401 ? 'HOST_ERR_AUTH' : e.code, e.message, {
        outcome: 'not-sent', status: answer.status, ...(e.hostCode === undefined ? {} : { hostCode: e.hostCode, refusal: e.refusal }),
      });
    }
    const parsed = tokenResponseSchema.safeParse(safeJson(answer.text));
    if (!parsed.success) throw new HostError('HOST_ERR_PROTOCOL', 'token: the host answered without a usable access_token', { outcome: 'not-sent', status: answer.status });
    return { token: { accessToken: parsed.data.access_token, expiresInS: parsed.data.expires_in }, answer };
  }

  /**
   * One signed API call with the 401 → refresh → retry-once rule, and the
   * answer validated against `schema` (a contract type comes out).
   * `cardHeaders`: the balance call's headers; `body`: a contract request body.
   */
  private async call<S extends z.ZodType>(op: string, method: 'GET' | 'POST', pathAndQuery: string, cardHeaders: BalanceHeaders | undefined, body: RequestBody | undefined, schema: S, allow404?: (e: HostError) => z.output<S> | undefined): Promise<z.output<S>> {
    const started = this.now();
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get();
      const timestamp = Math.floor(this.now() / 1000);
      const nonce = randomBytes(16).toString('hex');
      const auth = signedHeaders({ method, url: this.transport.fullUrl(pathAndQuery), timestamp, nonce, clientId: this.opts.clientId, clientSecret: this.opts.clientSecret, token });
      const headers: Record<string, string> = { ...cardHeaders, ...auth, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
      let answer: RestAnswer;
      try {
        answer = await this.transport.send(op, method, pathAndQuery, headers, body === undefined ? undefined : JSON.stringify(body));
      } catch (err) {
        if (err instanceof HostError) this.log?.warn({ op, code: err.code, outcome: err.outcome, durationMs: this.now() - started }, 'host request failed');
        throw err;
      }
      if (answer.status === 401 && attempt === 1) {
        this.log?.info({ op }, 'host refused the token; refreshing and retrying once');
        this.tokens.invalidate(token);
        continue;
      }
      this.log?.debug({ op, status: answer.status, durationMs: this.now() - started }, 'host answered');
      if (answer.status >= 200 && answer.status <= 299) {
        const parsed = schema.safeParse(safeJson(answer.text));
        if (parsed.success) return parsed.data;
        throw new HostError('HOST_ERR_PROTOCOL', `${op}: the host answered HTTP ${answer.status} with a body that does not match the contract; the outcome is unknown`, { outcome: 'unknown', status: answer.status });
      }
      const e = responseError(op, answer.status, safeJson(answer.text));
      const mapped = allow404?.(e);
      if (mapped !== undefined) return mapped;
      this.log?.warn({ op, code: e.code, outcome: e.outcome, status: e.status, hostCode: e.hostCode, refusal: e.refusal }, 'host refused the request');
      throw e;
    }
  }

  private ids(): { merchantId: string; terminalId: string } {
    return { merchantId: this.opts.merchantId, terminalId: this.opts.terminalId };
  }

  async balance(req: BalanceRequest): Promise<BalanceResult> {
    const query = balanceQuery(req, localTimeStamp(this.now()));
    return balanceResultOf(await this.call('balance', 'GET', `/api/v1/loyalty/rewards?${query}`, balanceHeaders(this.ids(), req), undefined, balanceResponseSchema));
  }

  async earn(req: EarnRequest): Promise<EarnResult> {
    return earnResultOf(await this.call('earn', 'POST', '/api/v1/loyalty/rewards/earn', undefined, earnBody(this.ids(), req), earnResponseSchema));
  }

  async burn(req: BurnRequest): Promise<BurnResult> {
    return burnResultOf(await this.call('burn', 'POST', '/api/v1/loyalty/rewards/redeem', undefined, redeemBody(this.ids(), req), redeemResponseSchema));
  }

  /** A 404 saying `original-not-found` (L25) answers `{reversed: false}`: there was nothing to undo. */
  async reverse(req: ReverseRequest): Promise<ReverseResult> {
    const path = `/api/v1/loyalty/rewards/redeem/${encodeURIComponent(req.originalTransactionId)}/reversal`;
    const notFound = (e: HostError) => (e.status === 404 && e.refusal === 'original-not-found' ? { reversed: false } : undefined);
    return reverseResultOf(await this.call('reverse', 'POST', path, undefined, reversalBody(this.ids(), req), reversalResponseSchema, notFound));
  }

  async refund(req: RefundRequest): Promise<AdjustmentResult> {
    const path = `/api/v1/loyalty/rewards/redeem/${encodeURIComponent(req.originalTransactionId)}/refund`;
    return adjustmentOf(await this.call('refund', 'POST', path, undefined, refundBody(this.ids(), req), refundResponseSchema));
  }

  async reverseEarn(req: EarnReversalRequest): Promise<AdjustmentResult> {
    const path = `/api/v1/loyalty/rewards/earn/${encodeURIComponent(req.originalTransactionId)}/reversal`;
    return adjustmentOf(await this.call('reverseEarn', 'POST', path, undefined, earnReversalBody(this.ids(), req), earnReversalResponseSchema));
  }

  async reverseOffer(req: OfferReversalRequest): Promise<OfferReversal> {
    const path = `/terminal/offers/redemptions/${encodeURIComponent(req.redemptionId)}/reversal`;
    return offerReversalOf(await this.call('reverseOffer', 'POST', path, undefined, offerReversalBody(this.ids(), req), terminalRedemptionReversalResponseSchema));
  }

  async offers(req: OffersRequest): Promise<TerminalOffer[]> {
    return terminalOffersOf(await this.call('offers', 'POST', '/terminal/offers', undefined, offersBody(this.ids(), req), terminalOffersResponseSchema));
  }

  async redeemOffer(req: RedeemOfferRequest): Promise<OfferRedemption> {
    return offerRedemptionOf(await this.call('redeemOffer', 'POST', '/terminal/offers/redeem', undefined, redeemOfferBody(this.ids(), req), terminalRedeemResponseSchema));
  }

  /**
   * Fetches a fresh token (and caches it): proves the host is up, reachable
   * and accepts the credentials, and reads its clock from the `Date` header.
   */
  async probe(): Promise<HostProbe> {
    const started = this.now();
    this.lastTokenDate = undefined;
    await this.tokens.refresh();
    const finished = this.now();
    const serverDate = this.lastTokenDate === undefined ? undefined : new Date(this.lastTokenDate);
    const valid = serverDate !== undefined && !Number.isNaN(serverDate.getTime());
    return {
      serverDate: valid ? serverDate : undefined,
      skewS: valid ? Math.round(((started + finished) / 2 - serverDate.getTime()) / 1000) : undefined,
      roundTripMs: finished - started,
    };
  }

  /** See {@link probe}: a token fetch. Resolves when the host answers with a token. */
  async ping(): Promise<void> {
    await this.tokens.refresh();
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
