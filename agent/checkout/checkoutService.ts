import type { CardRef } from '../../protocol/index.js';
import type { FinalState, PosRef, QueuedOperation } from '../queue/index.js';
import { burnPoints } from './burnPoints.js';
import { CARD_INVALID_REASONS, cardOutcome, type CardOutcome, type NoCard } from './cardOutcome.js';
import { CheckoutError } from './checkoutError.js';
import { diedOfUnknownOutcome, isStorageFailure, QueueError } from '../queue/index.js';
import { isCardRefusal } from '../host/index.js';
import { balanceEnquiry } from './balanceEnquiry.js';
import { localTimeStamp } from '../../protocol/loyalty/index.js';
import { offerStep } from './offerStep.js';
import type { CheckoutDeps } from './ports.js';
import { canonicalBody, ReferenceGate, type OperationLookup } from './referenceGate.js';
import { EARNING_NOT_RECORDED, type BalanceView, type CardView, type CheckoutResult, type EarningNotRecorded, type EarningResult, type RedemptionResult, type UndoResult } from './results.js';
import { readSale } from './saleRecord.js';
import type { StageTimes } from './stageTimes.js';
import { newTransactionId } from './transactionId.js';
import { failpoint } from '../failpoint.js';
import { refusalsOf, type Refusal } from './answerRefusals.js';
import { plannedOps, planUndo, undoAnswer, type UndoOpView } from './undoSale.js';
import { returnShare } from '../../protocol/loyalty/index.js';

export { CheckoutError, type CheckoutErrorCode } from './checkoutError.js';
export type { NoCard } from './cardOutcome.js';

/** Longest an earning's answer waits for the host after the durable write. */
const EARN_WAIT_MS = 1500;

export interface CheckoutOptions {
  /** How long an operation may take, card wait included, when the POS gives no timeoutMs. Default 30000. */
  defaultTimeoutMs?: number;
  /** The queue's retention of done work, seconds (named when a sale to undo is no longer there). Default 2592000. */
  retainDoneS?: number;
  /** Hears each "no" a first call's answer holds (not a retry's replay): the refusals metric. */
  onRefusal?: (refusal: Refusal) => void;
}

/** A void or a return as the POS asks for it: a void covers all of the sale that is left. */
export type UndoRequest = { reference: string; originalReference: string; timeoutMs?: number } & ({ kind: 'void' } | { kind: 'return'; amount: number });

/**
 * The cashier-facing flows: one card operation at a time (a second gets
 * CHECKOUT_ERR_BUSY), each bounded by the POS's timeoutMs, card wait included,
 * and each run once per POS reference (ReferenceGate): a retry gets the
 * first call's answer, never a second debit.
 */
export class CheckoutService {
  readonly #deps: CheckoutDeps;
  readonly #defaultTimeoutMs: number;
  readonly #gate: ReferenceGate;
  readonly #retainDoneS: number;
  readonly #onRefusal: ((refusal: Refusal) => void) | undefined;
  #busy = false;

  constructor(deps: CheckoutDeps, opts: CheckoutOptions = {}) {
    this.#deps = deps;
    this.#defaultTimeoutMs = opts.defaultTimeoutMs ?? 30_000;
    this.#retainDoneS = opts.retainDoneS ?? 2_592_000;
    this.#gate = new ReferenceGate(deps.queue, deps.logger, deps.now);
    this.#onRefusal = opts.onRefusal;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** The recorded outcome of a POS reference (GET /v1/operations/{reference}); undefined when there is none. */
  operation(reference: string): OperationLookup | undefined {
    return this.#gate.lookup(reference);
  }

  /** `stages`, when given, hears where the time went (the POS API's Server-Timing header). */
  redeem(req: { reference: string; points: number; timeoutMs?: number }, signal?: AbortSignal, stages?: StageTimes): Promise<RedemptionResult> {
    const ref = posRef('redemption', req.reference, { points: req.points });
    return this.#once(ref, req.timeoutMs, isHostDecline, (budgetMs) =>
      this.#withCard(budgetMs, signal, async (c, deadlineAt) => {
        if (!c.ok) return { status: c.status, transactionId: '', debited: 0, balanceAfter: null, reason: c.reason };
        return burnPoints(this.#deps, c.card, c.view, req.points, deadlineAt, ref, stages);
      }, stages).then((a) => this.#told('redemption', a)),
    );
  }

  earn(req: { reference: string; amount: number; timeoutMs?: number }, signal?: AbortSignal, stages?: StageTimes): Promise<EarningResult | NoCard> {
    const ref = posRef('earning', req.reference, { amount: req.amount });
    return this.#once(ref, req.timeoutMs, () => false, (budgetMs) =>
      this.#withCard(budgetMs, signal, async (c, deadlineAt) => {
        if (!c.ok) return { status: c.status, reason: c.reason };
        return this.#earnFor(c.card, c.view, req.amount, deadlineAt, ref);
      }, stages).then((a) => this.#told('earning', a)),
    );
  }

  balance(req: { timeoutMs?: number }, signal?: AbortSignal, stages?: StageTimes): Promise<BalanceView> {
    return this.#withCard(req.timeoutMs, signal, async (c, deadlineAt) => {
      if (!c.ok) return { status: c.status, accounts: [], reason: c.reason };
      const r = await balanceEnquiry(this.#deps, c.card, deadlineAt);
      if (r.kind === 'ok') return { status: 'ok', card: c.view, accounts: r.value.accounts };
      if (r.kind === 'deadline') return { status: 'timeout', card: c.view, accounts: [], reason: 'host-timeout' };
      if (r.reason !== undefined) return { status: 'declined', card: c.view, accounts: [], reason: r.reason };
      return { status: 'unavailable', card: c.view, accounts: [], reason: 'host-unreachable' };
    }, stages);
  }

  checkout(
    req: { reference: string; amount: number; redeemPoints?: number; acceptOffer?: boolean; timeoutMs?: number },
    signal?: AbortSignal,
    stages?: StageTimes,
  ): Promise<CheckoutResult | NoCard> {
    const ref = posRef('checkout', req.reference, { amount: req.amount, redeemPoints: req.redeemPoints ?? 0, acceptOffer: req.acceptOffer ?? false });
    return this.#once(ref, req.timeoutMs, () => false, (budgetMs) => this.#checkout(req, budgetMs, ref, signal, stages).then((a) => this.#told('checkout', a)));
  }

  /** A first call's answer, its "no"s told to `onRefusal`. */
  #told<T extends RedemptionResult | EarningResult | CheckoutResult | NoCard>(kind: 'redemption' | 'earning' | 'checkout', answer: T): T {
    if (this.#onRefusal) for (const r of refusalsOf(kind, answer)) this.#onRefusal(r);
    return answer;
  }

  #checkout(
    req: { reference: string; amount: number; redeemPoints?: number; acceptOffer?: boolean },
    budgetMs: number,
    ref: PosRef,
    signal: AbortSignal | undefined,
    stages: StageTimes | undefined,
  ): Promise<CheckoutResult | NoCard> {
    return this.#withCard(budgetMs, signal, async (c, deadlineAt) => {
      if (!c.ok) return { status: c.status, reason: c.reason };
      const offer = await offerStep(this.#deps, c.card, req.amount, req.acceptOffer ?? false, deadlineAt, ref);
      const discount = offer.status === 'applied' && offer.type === 'discount' ? offer.benefit : 0;
      let due = Math.max(0, req.amount - discount);
      let redemption: RedemptionResult | null = null;
      if (req.redeemPoints !== undefined && req.redeemPoints > 0) {
        // Never burn more points than there is left to pay (1 point = 1 minor unit).
        const points = Math.min(req.redeemPoints, due);
        redemption = points > 0 ? await burnPoints(this.#deps, c.card, c.view, points, deadlineAt, ref, stages) : null;
        if (redemption?.status === 'approved') due -= redemption.debited;
      }
      const earning = due > 0 ? await this.#checkoutEarning(c.card, c.view, due, deadlineAt, ref) : null;
      return { reference: req.reference, card: c.view, amount: req.amount, offer, redemption, earning, amountDue: due };
    }, stages);
  }

  /**
   * A void (all of a sale that is left) or a return (`amount` of it) of an
   * earlier sale of this terminal (README "Returns and voids"). It is checked
   * against the sale before any swipe: a sale not found, voided, or a return
   * over what is left is refused (`declined`, nothing changed, the reference
   * free again). Then the card is read and must be the sale's; its undo
   * operations and its line in the sale's book are written in one commit,
   * and forwarded in the card's order, after the sale's own work. The answer
   * waits a moment, like an earning's, to say what the host already has.
   */
  undo(req: UndoRequest, signal?: AbortSignal, stages?: StageTimes): Promise<UndoResult> {
    const fields = req.kind === 'void' ? { originalReference: req.originalReference } : { originalReference: req.originalReference, amount: req.amount };
    const ref = posRef(req.kind, req.reference, fields);
    return this.#once(ref, req.timeoutMs, () => false, (budgetMs) => this.#undo(req, ref, budgetMs, signal, stages));
  }

  async #undo(req: UndoRequest, ref: PosRef, budgetMs: number, signal: AbortSignal | undefined, stages: StageTimes | undefined): Promise<UndoResult> {
    const refused = (status: UndoResult['status'], reason: string, extra: Partial<UndoResult> = {}): UndoResult => ({
      status, kind: req.kind, reference: req.reference, originalReference: req.originalReference, amount: 0, remaining: 0,
      refund: { status: 'none', points: 0 }, earnReversal: { status: 'none', points: 0 }, offer: { status: 'none', clawBack: 0 }, queued: false, reason, ...extra,
    });
    const log = this.#deps.logger.child({ flow: req.kind, reference: req.reference });
    const earlier = this.#deps.queue.saleUndo(req.reference);
    if (earlier) {
      // Its reference record was pruned (an undo with nothing to send), its line in the sale's book was not.
      throw new CheckoutError('CHECKOUT_ERR_REFERENCE_CONFLICT', `reference ${req.reference} was already used for a ${earlier.kind} of sale ${earlier.saleReference}; use a new reference`);
    }
    const sale = readSale(this.#deps.queue, req.originalReference, this.#retainDoneS);
    if ('reason' in sale) {
      log.info({ reason: sale.reason }, sale.message);
      return refused('declined', sale.reason);
    }
    const before = sale.undos.reduce((s, u) => s + u.amount, 0);
    const share = returnShare(sale.amount, before, req.kind === 'void' ? sale.amount - before : req.amount);
    if (typeof share === 'string') {
      const reason = share === 'exceeds-sale' ? 'return-exceeds-sale' : share;
      log.info({ reason, saleAmount: sale.amount, returned: before }, 'return refused: it would take the returns over the sale');
      return refused('declined', reason, { remaining: sale.amount - before });
    }
    return this.#withCard(budgetMs, signal, async (c, deadlineAt) => {
      if (!c.ok) return refused(c.status, c.reason, { remaining: sale.amount - before });
      if (!this.#deps.queue.sameCard(c.card, sale.cardOf.id)) {
        log.warn('void or return refused: the card swiped is not the sale\'s card');
        return refused('declined', 'card-mismatch', { card: c.view, remaining: sale.amount - before });
      }
      const plan = planUndo(req.kind, sale, share, c.card);
      const answerOf = (ops: readonly UndoOpView[]) =>
        undoAnswer({ kind: req.kind, ref, originalReference: req.originalReference, card: c.view, share, plan, ops });
      // The planned answer (every step queued) is final from this commit on; a retry or a lookup reads its steps as they stand.
      let ops: QueuedOperation[];
      try {
        ops = this.#deps.queue.enqueueUndo({
          undo: { reference: req.reference, saleReference: req.originalReference, kind: req.kind, amount: share.upTo - share.before },
          returnedBefore: before,
          ref,
          ops: plan.inputs,
          answer: answerOf(plannedOps(plan)),
        });
      } catch (err) {
        if (!(err instanceof QueueError && err.code === 'QUEUE_ERR_STATE')) throw err;
        log.warn({ err }, 'the sale changed during the swipe; nothing was written');
        return refused('declined', 'sale-changed', { card: c.view });
      }
      failpoint('undo-committed');
      log.info({ operations: ops.map((o) => ({ kind: o.kind, transactionId: o.transactionId })), amount: share.upTo - share.before }, `${req.kind} queued`);
      const waitUntil = Math.min(deadlineAt, this.#deps.now() + EARN_WAIT_MS);
      for (const o of ops) await this.#settledWhileOnline(o.id, waitUntil);
      const answer = answerOf(ops.map((o) => this.#deps.queue.get(o.id) ?? o));
      try {
        this.#deps.queue.recordAnswer(ref, answer);
      } catch (err) {
        log.error({ err }, 'could not record the answer after its wait; a retry reads its steps from the queue');
      }
      return answer;
    }, stages);
  }

  /**
   * A checkout's earning. When the store refuses it after the checkout already holds work that stands (a burn or
   * offer done, queued for a resend, or to be reversed), the POS hears that work and that the earning is not
   * recorded, as a retry's rebuilt answer says too; a storage error (503) would tell it nothing was accepted.
   */
  async #checkoutEarning(card: CardRef, view: CardView, amount: number, deadlineAt: number, ref: PosRef): Promise<EarningResult | EarningNotRecorded> {
    try {
      return await this.#earnFor(card, view, amount, deadlineAt, ref);
    } catch (err) {
      if (!isStorageFailure(err) || !this.#holdsWork(ref)) throw err;
      this.#deps.logger.error({ err, reference: ref.reference }, 'checkout: the earning could not be written after the checkout took work that stands; answered without it');
      return EARNING_NOT_RECORDED;
    }
  }

  /**
   * Whether the reference's record holds an operation that stands: done, queued or in flight, or dead with its
   * outcome unknown (it may have applied; its reversal is queued). Not one the host declined or never got.
   */
  #holdsWork(ref: PosRef): boolean {
    const q = this.#deps.queue;
    return (q.reference(ref.reference)?.opIds ?? []).some((id) => {
      const op = q.get(id);
      return op !== undefined && (op.state === 'dead' ? diedOfUnknownOutcome(op) : op.state !== 'abandoned');
    });
  }

  /**
   * Durable write first, then the answer. While the host is online the
   * forwarder sends it at once, and the answer waits a moment (at most
   * EARN_WAIT_MS, within the POS deadline) to say the host's word: credited
   * (`queued: false`), or refused (`declined` with its reason); without an
   * answer yet it waits in the queue (`accepted`, `queued: true`).
   */
  async #earnFor(card: CardRef, view: CardView, amount: number, deadlineAt: number, ref: PosRef): Promise<EarningResult> {
    const q = this.#deps.queue;
    const waitUntil = () => Math.min(deadlineAt, this.#deps.now() + EARN_WAIT_MS);
    const standIn = await this.#earningStandIn(card, waitUntil());
    if (standIn !== null) {
      this.#deps.logger.info({ reference: ref.reference, reason: standIn }, 'earning declined: the host refuses this card, or would');
      return { status: 'declined', transactionId: '', reason: standIn, card: view };
    }
    const op = q.enqueue({
      kind: 'earn',
      card,
      payload: { amount, timeStamp: localTimeStamp(this.#deps.now()) },
      transactionId: newTransactionId(),
      ref,
    });
    const settled = await this.#settledWhileOnline(op.id, waitUntil());
    const refusal = settled === 'dead' ? q.get(op.id)?.refusal : null;
    // The host's word within the deadline is what the POS hears: a refusal is a decline, not "accepted".
    if (refusal) return { status: 'declined', transactionId: op.transactionId, reason: refusal, card: view };
    return { status: 'accepted', transactionId: op.transactionId, queued: settled !== 'done', card: view };
  }

  /**
   * The offline stand-in for an earning (DESIGN.md, "Offline stand-in"): a
   * card the terminal knows the host refuses (expired by the terminal's
   * clock, or refused online) is declined before anything is written or
   * sent, so that the POS never hears "accepted" for points that will not
   * come. While the host is reachable it is asked first, with a balance
   * enquiry (no side effect), by `until`: its word decides, and a card it
   * answers for again is earned on. Null: earn on it.
   */
  async #earningStandIn(card: CardRef, until: number): Promise<string | null> {
    const q = this.#deps.queue;
    const known = q.cardRefusal(card);
    if (known === null || !this.#deps.forwarder.online) return known;
    const r = await balanceEnquiry(this.#deps, card, until);
    if (r.kind === 'ok') return null;
    // A refusal of the card is the host's word; a refusal of the enquiry itself is not: earn, and let the host judge it.
    if (r.reason !== undefined) return isCardRefusal(r.reason) ? r.reason : null;
    return known; // no word from the host: the stand-in's
  }

  /**
   * The operation's final state, if it reaches one by `deadline` while the
   * forwarder stays online (the queue signals it: no polling); null when the
   * forwarder is offline or goes offline, or the deadline comes first.
   */
  async #settledWhileOnline(id: number, deadline: number): Promise<FinalState | null> {
    const forwarder = this.#deps.forwarder;
    if (!forwarder.online) return null;
    const offline = new AbortController();
    const unsubscribe = forwarder.onOnlineChange((online) => {
      if (!online) offline.abort();
    });
    try {
      return await this.#deps.queue.whenSettled(id, { deadline, signal: offline.signal });
    } finally {
      unsubscribe();
    }
  }

  #once<T>(ref: PosRef, timeoutMs: number | undefined, hostDeclined: (answer: T) => boolean, work: (budgetMs: number) => Promise<T>): Promise<T> {
    return this.#gate.run(ref, timeoutMs ?? this.#defaultTimeoutMs, work, hostDeclined);
  }

  async #withCard<T>(
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
    fn: (card: CardOutcome, deadlineAt: number) => Promise<T>,
    stages?: StageTimes,
  ): Promise<T> {
    if (this.#busy) throw new CheckoutError('CHECKOUT_ERR_BUSY', 'another card operation is in progress; retry when it ends');
    this.#busy = true;
    try {
      const budget = timeoutMs ?? this.#defaultTimeoutMs;
      const deadlineAt = this.#deps.now() + budget;
      return await fn(await cardOutcome(this.#deps.reader, { timeoutMs: budget, signal, stages, logger: this.#deps.logger }), deadlineAt);
    } finally {
      this.#busy = false;
    }
  }
}

function posRef(kind: PosRef['kind'], reference: string, fields: Record<string, unknown>): PosRef {
  return { reference, kind, body: canonicalBody({ reference, ...fields }) };
}

/** A redemption the host declined is final without any durable operation behind it (a card-invalid swipe never reached the host). */
function isHostDecline(r: RedemptionResult): boolean {
  return r.status === 'declined' && !CARD_INVALID_REASONS.has(r.reason ?? '');
}
