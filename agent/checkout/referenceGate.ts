import type { Logger } from 'pino';
import type { Clock } from '../../protocol/index.js';
import type { OperationQueue, PosOperationKind, PosRef, PosRefRecord, QueuedOperation } from '../queue/index.js';
import { CheckoutError } from './checkoutError.js';
import { raceDeadline } from './deadline.js';
import { recoveredAnswer } from './recoveredAnswer.js';
import { settledUndoAnswer } from './undoSale.js';
import type { UndoResult } from './results.js';

/** What the gate needs from the queue: the reference records and the operations they name. */
export type GateQueue = Pick<OperationQueue, 'reference' | 'recordAnswer' | 'dropReference' | 'get'>;

/** A POS reference as the gate shows it (`GET /v1/operations/{reference}`). */
export interface OperationLookup {
  reference: string;
  kind: PosOperationKind;
  /** `running`: the first call has not answered yet; `final`: the answer below is what every retry gets. */
  state: 'running' | 'final';
  answer: unknown;
  /** The operations it started, with their queue states (a reversal the agent queued among them). */
  operations: { transactionId: string; kind: QueuedOperation['kind']; state: QueuedOperation['state']; offline: boolean; reason: string | null }[];
}

/** The least budget a call that waited for another still gets for its own work, ms (the API's smallest timeoutMs). */
const MIN_WORK_MS = 100;

interface Running {
  ref: PosRef;
  /** Settles with the first call's answer, or undefined when it threw (nothing to replay). */
  settled: Promise<{ answer: unknown } | undefined>;
}

/**
 * `reference` is the POS's idempotency key (DESIGN.md, "Agent local POS API"):
 * - a retry while the first call runs waits for it (within its own budget) and gets its answer;
 * - a retry after a final outcome gets the recorded answer: no swipe, no host call, also after a restart;
 * - the same reference with another body is refused (409), and nothing is sent;
 * - an outcome where nothing reached the host is not final: the reference may be used again.
 *
 * A reference is recorded in the same transaction as its first operation
 * (queue `ref`), so a crash can never leave work without its reference. When
 * a crash came between the work and its answer, the answer is rebuilt from
 * the operations' states ({@link recoveredAnswer}).
 */
export class ReferenceGate {
  readonly #queue: GateQueue;
  readonly #log: Logger;
  readonly #now: Clock;
  readonly #running = new Map<string, Running>();

  /** `now` is the clock of the budgets (the checkout's). */
  constructor(queue: GateQueue, logger: Logger, now: Clock) {
    this.#queue = queue;
    this.#log = logger.child({ component: 'references' });
    this.#now = now;
  }

  /**
   * Runs `work` once per reference. `hostDeclined(answer)` says whether an
   * answer with no durable operation behind it is final anyway (a decline by
   * the host). `budgetMs` bounds the whole call: a retry's wait for a running
   * first call, and what is left of it is the budget `work` is given.
   */
  async run<T>(ref: PosRef, budgetMs: number, work: (budgetMs: number) => Promise<T>, hostDeclined: (answer: T) => boolean): Promise<T> {
    const deadlineAt = this.#now() + budgetMs;
    for (;;) {
      const running = this.#running.get(ref.reference);
      if (running) {
        this.#sameRequest(ref, running.ref);
        const r = await raceDeadline(running.settled, deadlineAt - this.#now());
        if (!r.done) {
          throw new CheckoutError('CHECKOUT_ERR_IN_PROGRESS', `operation ${ref.reference} is still running; look it up with GET /v1/operations/${ref.reference}`);
        }
        if (r.value !== undefined) return r.value.answer as T;
        continue; // the first call ended without an answer (the POS hung up before a card): run it now
      }
      const prior = this.#finalAnswer(ref);
      if (prior !== undefined) return prior.answer as T;
      break;
    }
    const p = work(Math.max(MIN_WORK_MS, deadlineAt - this.#now()));
    const settled = p.then(
      (answer) => ({ answer }),
      () => undefined,
    );
    this.#running.set(ref.reference, { ref, settled });
    try {
      const answer = await p;
      this.#record(ref, answer, hostDeclined(answer));
      return answer;
    } finally {
      this.#running.delete(ref.reference);
    }
  }

  /** The recorded outcome of a reference, or undefined when there is none (never used, or not final). */
  lookup(reference: string): OperationLookup | undefined {
    const running = this.#running.get(reference);
    const rec = this.#queue.reference(reference);
    if (!rec && !running) return undefined;
    const kind = rec?.kind ?? (running as Running).ref.kind;
    const ops = rec ? this.#ops(rec.opIds) : [];
    const answer = running || !rec ? null : rec.answer !== null ? this.#current(rec, ops) : recoveredAnswer(kind, parseBody(rec.body), ops);
    return {
      reference,
      kind,
      state: running ? 'running' : 'final',
      answer,
      // A last error says why an operation still waits: one done or dead keeps none (an older queue may hold one).
      operations: ops.map((o) => ({ transactionId: o.transactionId, kind: o.kind, state: o.state, offline: o.offline, reason: o.deadReason ?? (o.state === 'pending' || o.state === 'sending' ? o.lastError : null) })),
    };
  }

  /**
   * A final answer already recorded (or rebuilt from the operations after a
   * crash), checking that the request is the same. Undefined when the
   * reference is free: never used, or nothing of it reached the host.
   */
  #finalAnswer(ref: PosRef): { answer: unknown } | undefined {
    const rec = this.#queue.reference(ref.reference);
    if (!rec) return undefined;
    this.#sameRequest(ref, rec);
    if (rec.answer !== null) return { answer: this.#current(rec) };
    const ops = this.#ops(rec.opIds);
    if (allAbandoned(ops)) {
      this.#safely(() => this.#queue.dropReference(ref.reference));
      return undefined;
    }
    if (ops.some((o) => o.state === 'sending' && !o.offline)) {
      // A direct send whose outcome could not be recorded (a storage failure): the queue resolves it
      // as an unknown outcome once it can write; until then there is no true answer to give.
      throw new CheckoutError('CHECKOUT_ERR_IN_PROGRESS', `the outcome of ${ref.reference} is being resolved; retry in a few seconds`);
    }
    const answer = recoveredAnswer(rec.kind, parseBody(rec.body), ops);
    this.#log.warn({ reference: ref.reference, kind: rec.kind }, 'answer rebuilt from the queue (the agent stopped before recording it)');
    this.#safely(() => this.#queue.recordAnswer(ref, answer));
    return { answer };
  }

  /**
   * The recorded answer as it stands now. A void's or return's steps are
   * read from their operations at each retry and lookup ({@link settledUndoAnswer}),
   * after a restart as before one; nothing is written (the operations stay as
   * long as their reference). Any other answer is what the POS heard, replayed.
   */
  #current(rec: PosRefRecord, ops?: readonly QueuedOperation[]): unknown {
    if (rec.kind !== 'void' && rec.kind !== 'return') return rec.answer;
    return settledUndoAnswer(rec.answer as UndoResult, ops ?? this.#ops(rec.opIds));
  }

  /**
   * Makes the answer final, or frees the reference. Final: the host declined,
   * or some operation of it reached (or may reach) the host. Not final: no
   * operation, or every one abandoned (never left the terminal).
   */
  #record(ref: PosRef, answer: unknown, declined: boolean): void {
    this.#safely(() => {
      const rec = this.#queue.reference(ref.reference);
      if (rec && rec.answer !== null) return; // recorded with the operation's own commit
      // A burn written during a balance the host declined is abandoned: the decline is still final.
      if (declined) return this.#queue.recordAnswer(ref, answer);
      if (rec && allAbandoned(this.#ops(rec.opIds))) return this.#queue.dropReference(ref.reference);
      if (rec) this.#queue.recordAnswer(ref, answer);
    });
  }

  #ops(ids: readonly number[]): QueuedOperation[] {
    return ids.map((id) => this.#queue.get(id)).filter((o): o is QueuedOperation => o !== undefined);
  }

  #sameRequest(ref: PosRef, prior: PosRef): void {
    if (prior.kind !== ref.kind || prior.body !== ref.body) {
      throw new CheckoutError(
        'CHECKOUT_ERR_REFERENCE_CONFLICT',
        `reference ${ref.reference} was already used for another request (${prior.kind}); use a new reference for a new sale`,
      );
    }
  }

  /** The answer is also recoverable from the operations, so a failed write is logged, not thrown at the POS. */
  #safely(write: () => void): void {
    try {
      write();
    } catch (err) {
      this.#log.error({ err }, 'could not record the answer of a POS reference; it will be rebuilt from the queue');
    }
  }
}

/** The canonical body of a POS request, as the reference records it: every field but timeoutMs, in a fixed order. */
export function canonicalBody(body: Record<string, unknown>): string {
  const keys = Object.keys(body)
    .filter((k) => k !== 'timeoutMs' && body[k] !== undefined)
    .sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, body[k]])));
}

/** Every operation of a reference never left the terminal: the reference is free again. */
function allAbandoned(ops: readonly QueuedOperation[]): boolean {
  return ops.length > 0 && ops.every((o) => o.state === 'abandoned');
}

function parseBody(body: string | undefined): Record<string, unknown> {
  return body === undefined ? {} : (JSON.parse(body) as Record<string, unknown>);
}
