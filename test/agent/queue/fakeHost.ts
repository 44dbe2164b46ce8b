import type { BalanceRequest, BalanceResult, BurnRequest, BurnResult, EarnRequest, EarnResult, HostClient, OfferRedemption, OffersRequest, RedeemOfferRequest, ReverseRequest, ReverseResult, TerminalOffer } from '../../../agent/host/hostClient.js';
import { HostError } from '../../../agent/host/hostClient.js';

export interface SentCall {
  op: 'earn' | 'burn' | 'reverse' | 'redeemOffer' | 'balance';
  transactionId: string;
  pan: string;
  originalTransactionId?: string;
}

/**
 * An in-memory host for forwarder unit tests: idempotent by transactionId
 * (like the real one), with a hook that can fail chosen calls.
 */
export class FakeHost implements HostClient {
  readonly calls: SentCall[] = [];
  /** transactionId → times applied (the host applies each id once). */
  readonly applied = new Map<string, number>();
  readonly balances = new Map<string, number>();
  /** Burn transactionId → its body (rewardTrxId and mandates): a repeat with another body gets 2020, as on the real host. */
  readonly #burnBodies = new Map<string, string>();
  /** Throw to fail a call (before it is applied); return 'drop' to apply it and then lose the answer. */
  fail: (call: SentCall) => HostError | 'drop' | undefined = () => undefined;
  up = true;
  pings = 0;

  async ping(): Promise<void> {
    this.pings++;
    if (!this.up) throw new HostError('HOST_ERR_CONNECT', 'connection refused', { outcome: 'not-sent' });
  }

  async balance(req: BalanceRequest): Promise<BalanceResult> {
    this.#check({ op: 'balance', transactionId: req.transactionId, pan: req.card.pan });
    return { rewardTrxId: `rt-${req.transactionId}`, accounts: [{ accountId: '12', accountName: 'Reward Points', accountType: '1', availableBalance: this.balances.get(req.card.pan) ?? 10_000 }] };
  }

  async burn(req: BurnRequest): Promise<BurnResult> {
    const call: SentCall = { op: 'burn', transactionId: req.transactionId, pan: req.card.pan };
    const drop = this.#check(call);
    const body = JSON.stringify([req.rewardTrxId, req.mandates]);
    const first = this.#burnBodies.get(req.transactionId);
    if (first !== undefined && first !== body) {
      throw new HostError('HOST_ERR_REJECTED', 'duplicate transactionId with a different request', { outcome: 'rejected', status: 409, hostCode: '2020' });
    }
    this.#burnBodies.set(req.transactionId, body);
    const debit = req.mandates.reduce((s, m) => s + m.debit, 0);
    if (!this.applied.has(req.transactionId)) this.balances.set(req.card.pan, (this.balances.get(req.card.pan) ?? 10_000) - debit);
    this.#apply(req.transactionId);
    if (drop) throw new HostError('HOST_ERR_TIMEOUT', 'no answer', { outcome: 'unknown' });
    return { rewardTrxId: req.rewardTrxId, accounts: [] };
  }

  async reverse(req: ReverseRequest): Promise<ReverseResult> {
    const call: SentCall = { op: 'reverse', transactionId: req.transactionId, pan: req.card.pan, originalTransactionId: req.originalTransactionId };
    if (this.#check(call)) throw new HostError('HOST_ERR_TIMEOUT', 'no answer', { outcome: 'unknown' });
    this.#apply(req.transactionId);
    return { reversed: this.applied.has(req.originalTransactionId) };
  }

  async earn(req: EarnRequest): Promise<EarnResult> {
    const drop = this.#check({ op: 'earn', transactionId: req.transactionId, pan: req.card.pan });
    this.#apply(req.transactionId);
    if (drop) throw new HostError('HOST_ERR_TIMEOUT', 'no answer', { outcome: 'unknown' });
    return { rewardTrxId: `e-${req.transactionId}`, accounts: [] };
  }

  async offers(_req: OffersRequest): Promise<TerminalOffer[]> {
    return [];
  }

  async redeemOffer(req: RedeemOfferRequest): Promise<OfferRedemption> {
    this.#check({ op: 'redeemOffer', transactionId: req.transactionId, pan: req.card.pan });
    this.#apply(req.transactionId);
    return { redemptionId: `r-${req.transactionId}`, type: 'discount', benefit: 1 };
  }

  async close(): Promise<void> {}

  #check(call: SentCall): boolean {
    this.calls.push(call);
    if (!this.up) throw new HostError('HOST_ERR_CONNECT', 'connection refused', { outcome: 'not-sent' });
    const f = this.fail(call);
    if (f === 'drop') return true;
    if (f) throw f;
    return false;
  }

  #apply(id: string): void {
    if (!this.applied.has(id)) this.applied.set(id, 1);
  }
}
