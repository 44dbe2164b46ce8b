import type { Clock } from '../../protocol/index.js';
import { failpoint, type FailpointName } from '../failpoint.js';
import { decideOutcome, isStorageFailure, type OperationResult, type PosRef, type QueuedOperation } from '../queue/index.js';
import { answerOfCall, callHost } from './hostCall.js';
import { declineReason } from '../host/index.js';
import type { CheckoutQueue } from './ports.js';
import type { StageTimes } from './stageTimes.js';

/** A direct operation as the queue writes it before its send (state `sending`, transactionId fixed). */
export type DirectOperation = Parameters<CheckoutQueue['beginDirect']>[0];

export interface DirectSend<T extends OperationResult, A> {
  /** Written durably before anything is sent. */
  operation: DirectOperation;
  /** The host call, with the operation's transactionId. */
  send: (transactionId: string) => Promise<T>;
  /** The POS deadline, epoch ms on `now`. */
  deadlineAt: number;
  now: Clock;
  /** Hears a host failure that came after the deadline. */
  onLate: (err: unknown) => void;
  /** The POS answer of an approval, built from the host's answer. */
  approved: (value: T, transactionId: string) => A;
  /** Commit that answer under this reference in the approval's own transaction (one fsync), final at once. Default: not recorded here. */
  recordUnder?: PosRef;
  /** Crash-test windows: after the host's approval, and after its commit. Default none. */
  failpoints?: { answered: FailpointName; committed: FailpointName };
  /** Hears the send (`burn`) and the approval's commit (`commit`). */
  stages?: StageTimes;
}

/** How a direct send ended, once its queued operation is settled or left to the forwarder. */
export type DirectSent<A> =
  | { outcome: 'approved'; transactionId: string; answer: A }
  /** A refusal: the operation is a dead-letter item with `reason`. */
  | { outcome: 'declined'; transactionId: string; reason: string }
  /** It never left the terminal: abandoned, nothing to undo. */
  | { outcome: 'not-sent'; transactionId: string }
  /**
   * Written only once the POS deadline had passed (a slow disk): abandoned
   * unsent, since the POS no longer waits for its answer (an approval now
   * would debit a customer the cashier was told nothing about).
   */
  | { outcome: 'too-late'; transactionId: string }
  /**
   * Sent, and no usable answer: `cause` is the host error's code, or
   * `deadline` (`timedOut`) when the POS deadline came first. The
   * queue took it over: a burn is dead with a durable reversal (`followUp`),
   * an offer redemption is queued to be resent (`followUp` is itself).
   */
  | { outcome: 'unknown'; transactionId: string; cause: string; timedOut: boolean; followUp: QueuedOperation };

/**
 * The checkout's direct send (a burn, an offer redemption): write the
 * operation durably, send it now under the POS deadline, and settle it with
 * the answer by the one outcome table ({@link decideOutcome}, first send,
 * POS not told approved), or leave it to the forwarder when the answer is unknown.
 */
export function sendDirect<T extends OperationResult, A>(queue: CheckoutQueue, s: DirectSend<T, A>): Promise<DirectSent<A>> {
  return sendWritten(queue, queue.beginDirect(s.operation), s);
}

/** {@link sendDirect} of an operation `beginDirect` already wrote (a burn is written while its balance call is in flight). */
export async function sendWritten<T extends OperationResult, A>(queue: CheckoutQueue, op: QueuedOperation, s: Omit<DirectSend<T, A>, 'operation'>): Promise<DirectSent<A>> {
  const { transactionId } = op;
  if (s.now() >= s.deadlineAt) {
    try {
      queue.abandonDirect(op.id, 'deadline-passed');
    } catch (err) {
      // A failing disk: the queue logs it, keeps the abandon it owes and retries it (a stranded settle). Nothing
      // was sent either way. Anything else is a bug, not the disk.
      if (!isStorageFailure(err)) throw err;
    }
    return { outcome: 'too-late', transactionId };
  }
  const call = await callHost(s.send(transactionId), { deadlineAt: s.deadlineAt, now: s.now, onLate: s.onLate });
  s.stages?.mark('burn');
  const decision = decideOutcome({ kind: op.kind, toldApproved: false, sentBefore: false, answer: answerOfCall(call) });
  // On a first send only an `ok` answer is `done`; anything else falls to the unknown path below.
  if (decision === 'done' && call.kind === 'ok') {
    const answer = s.approved(call.value, transactionId);
    if (s.failpoints) failpoint(s.failpoints.answered);
    queue.completeDirect(op.id, call.value, s.recordUnder ? { ref: s.recordUnder, answer } : undefined);
    s.stages?.mark('commit');
    if (s.failpoints) failpoint(s.failpoints.committed);
    return { outcome: 'approved', transactionId, answer };
  }
  if (decision === 'dead') {
    const reason = call.kind === 'error' ? declineReason(call.err) : 'declined';
    queue.rejectDirect(op.id, reason);
    return { outcome: 'declined', transactionId, reason };
  }
  if (decision === 'abandoned') {
    queue.abandonDirect(op.id, 'not-sent');
    return { outcome: 'not-sent', transactionId };
  }
  const cause = call.kind === 'error' ? call.err.code : 'deadline';
  const followUp = queue.unknownOutcome(op.id, cause);
  return { outcome: 'unknown', transactionId, cause, timedOut: call.kind === 'deadline', followUp };
}
