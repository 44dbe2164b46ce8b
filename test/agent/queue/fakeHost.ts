import type {
  AdjustmentResult, BalanceRequest, BalanceResult, BurnRequest, BurnResult, EarnRequest, EarnResult, EarnReversalRequest, HostClient, OfferRedemption,
  OfferReversal, OfferReversalRequest, OffersRequest, RedeemOfferRequest, RefundRequest, ReverseRequest, ReverseResult, TerminalOffer,
} from '../../../agent/host/hostClient.js';
import { HostError } from '../../../agent/host/hostClient.js';

export interface SentCall {
  op: 'earn' | 'burn' | 'reverse' | 'redeemOffer' | 'balance' | 'refund' | 'reverseEarn' | 'reverseOffer';
  transactionId: string;
  pan: string;
  originalTransactionId?: string;
}

/** What the host did with one transactionId, like the emulator's `/_emulator/journal`. */
export interface JournalLine {
  op: 'earn' | 'burn' | 'reverse' | 'redeemOffer' | 'refund' | 'reverseEarn' | 'reverseOffer';
  /** Requests that reached the host (repeats included; not the ones refused at the door by `up = false`). */
  received: number;
  /** Times its effect was applied: 1 on a host that de-duplicates, whatever the repeats. */
  applied: number;
  /** Burns only: times a reversal undid it. */
  reversed: number;
}

/**
 * An in-memory host for forwarder unit tests: idempotent by transactionId
 * (like the real one), with a hook that can fail chosen calls. It keeps a
 * journal per transactionId of what it received and what it applied, so a
 * test can see a second application (`applied: 2`), not only totals.
 */
export class FakeHost implements HostClient {
  readonly calls: SentCall[] = [];
  /** transactionId → what was received and applied. */
  readonly journal = new Map<string, JournalLine>();
  readonly balances = new Map<string, number>();
  /** Burn transactionId → its body (rewardTrxId and mandates): a repeat with another body gets 2020, as on the real host. */
  readonly #burnBodies = new Map<string, string>();
  /** transactionIds in the order they were first applied. */
  readonly #appliedOrder: string[] = [];
  /** Throw to fail a call (before it is applied); return 'drop' to apply it and then lose the answer. */
  fail: (call: SentCall) => HostError | 'drop' | undefined = () => undefined;
  up = true;
  pings = 0;

  async ping(): Promise<void> {
    this.pings++;
    if (!this.up) throw new HostError('HOST_ERR_CONNECT', 'connection refused', { outcome: 'not-sent' });
  }

  /** transactionId → times applied, for the ids applied at least once, in the order they were first applied. */
  get applied(): ReadonlyMap<string, number> {
    return new Map(this.#appliedOrder.map((id) => [id, this.line(id).applied]));
  }

  /** The journal line of `transactionId` (all zero if the host never saw it). */
  line(transactionId: string): JournalLine | { received: 0; applied: 0; reversed: 0 } {
    return this.journal.get(transactionId) ?? { received: 0, applied: 0, reversed: 0 };
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
    this.#apply('burn', req.transactionId, () => this.balances.set(req.card.pan, (this.balances.get(req.card.pan) ?? 10_000) - debit));
    if (drop) throw new HostError('HOST_ERR_TIMEOUT', 'no answer', { outcome: 'unknown' });
    return { rewardTrxId: req.rewardTrxId, accounts: [] };
  }

  async reverse(req: ReverseRequest): Promise<ReverseResult> {
    const call: SentCall = { op: 'reverse', transactionId: req.transactionId, pan: req.card.pan, originalTransactionId: req.originalTransactionId };
    const drop = this.#check(call);
    const original = this.journal.get(req.originalTransactionId);
    const found = original !== undefined && original.applied > 0;
    this.#apply('reverse', req.transactionId, () => {
      if (found) original.reversed++;
    });
    if (drop) throw new HostError('HOST_ERR_TIMEOUT', 'no answer', { outcome: 'unknown' });
    return { reversed: found };
  }

  async earn(req: EarnRequest): Promise<EarnResult> {
    const drop = this.#check({ op: 'earn', transactionId: req.transactionId, pan: req.card.pan });
    this.#apply('earn', req.transactionId, () => undefined);
    if (drop) throw new HostError('HOST_ERR_TIMEOUT', 'no answer', { outcome: 'unknown' });
    return { rewardTrxId: `e-${req.transactionId}`, accounts: [], earnedPoints: this.earnPoints };
  }

  async offers(_req: OffersRequest): Promise<TerminalOffer[]> {
    return [];
  }

  async redeemOffer(req: RedeemOfferRequest): Promise<OfferRedemption> {
    this.#check({ op: 'redeemOffer', transactionId: req.transactionId, pan: req.card.pan });
    this.#apply('redeemOffer', req.transactionId, () => undefined);
    return { redemptionId: `r-${req.transactionId}`, type: 'discount', benefit: 1 };
  }

  /** Earns credit `earnPoints` each (the host says so in `earnedPoints`). */
  earnPoints = 10;

  async refund(req: RefundRequest): Promise<AdjustmentResult> {
    const drop = this.#check({ op: 'refund', transactionId: req.transactionId, pan: req.card.pan, originalTransactionId: req.originalTransactionId });
    this.#apply('refund', req.transactionId, () => this.balances.set(req.card.pan, (this.balances.get(req.card.pan) ?? 10_000) + req.points));
    if (drop) throw new HostError('HOST_ERR_TIMEOUT', 'no answer', { outcome: 'unknown' });
    return { points: req.points };
  }

  async reverseEarn(req: EarnReversalRequest): Promise<AdjustmentResult> {
    const drop = this.#check({ op: 'reverseEarn', transactionId: req.transactionId, pan: req.card.pan, originalTransactionId: req.originalTransactionId });
    this.#apply('reverseEarn', req.transactionId, () => undefined);
    if (drop) throw new HostError('HOST_ERR_TIMEOUT', 'no answer', { outcome: 'unknown' });
    return req.part === undefined ? { remaining: 0 } : { points: req.part.points, remaining: req.part.kept };
  }

  async reverseOffer(req: OfferReversalRequest): Promise<OfferReversal> {
    this.#check({ op: 'reverseOffer', transactionId: req.transactionId, pan: req.card.pan });
    this.#apply('reverseOffer', req.transactionId, () => undefined);
    return { redemptionId: req.redemptionId, benefit: 1 };
  }

  async close(): Promise<void> {}

  #check(call: SentCall): boolean {
    this.calls.push(call);
    if (!this.up) throw new HostError('HOST_ERR_CONNECT', 'connection refused', { outcome: 'not-sent' });
    if (call.op !== 'balance') {
      const line = this.journal.get(call.transactionId) ?? { op: call.op, received: 0, applied: 0, reversed: 0 };
      line.received++;
      this.journal.set(call.transactionId, line);
    }
    const f = this.fail(call);
    if (f === 'drop') return true;
    if (f) throw f;
    return false;
  }

  /** Applies `effect` the first time `id` is applied, and never again: the host's de-duplication by transactionId. */
  #apply(op: JournalLine['op'], id: string, effect: () => void): void {
    const line = this.journal.get(id) ?? { op, received: 0, applied: 0, reversed: 0 };
    this.journal.set(id, line);
    if (line.applied > 0) return;
    effect();
    line.applied++;
    this.#appliedOrder.push(id);
  }
}
