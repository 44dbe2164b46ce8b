import type { Logger } from 'pino';
import type { Clock } from '../../protocol/index.js';
import { declineReason, HostError, type HostClient } from '../host/index.js';
import { type Mandate } from '../../protocol/loyalty/index.js';
import { maskPanLike } from '../../protocol/index.js';
import { failpoint } from '../failpoint.js';
import { QueueError } from '../queue/index.js';
import { backoffDelay, type BackoffOptions } from '../../protocol/index.js';
import { decideOutcome, type SendAnswer } from '../queue/index.js';
import { answerOfError } from './answerOfError.js';
import type { ClaimedOperation, EarnReversalPayload, OperationResult, QueuedOperation, ReversalPayload, Settlement } from '../queue/index.js';
import { leaveBehind, waitsBehind } from '../queue/index.js';
import { sendOperation, sentBefore } from './sendOperation.js';

/** What a run of sends added up to (FlushResult). */
export interface Tally {
  sent: number;
  failed: number;
  dead: number;
}

/** What sendChain needs from the forwarder. */
export interface ChainContext {
  host: HostClient;
  backoff: BackoffOptions;
  maxAgeMs: number;
  /** How long after its send a burn may still land on the host, ms (rule 8). */
  lateOriginalMs: number;
  now: Clock;
  random: () => number;
  log: Logger | undefined;
  /** False stops a background chain between items (the rest is released). */
  keepGoing: () => boolean;
  setOnline: (online: boolean) => void;
  /** The queued operation with this transactionId (an undo's original), if the queue still has it. */
  originalOf: (transactionId: string) => QueuedOperation | undefined;
  /** The reversals of an earn that the host refused (dead), as committed. */
  refusedEarnReversals: (earnTransactionId: string) => { transactionId: string; payload: EarnReversalPayload }[];
  /** Makes an offline burn's send durable just before its burn request. */
  markSent: (id: number, burn: { rewardTrxId: string; mandates: readonly Mandate[] }) => void;
  /** The store refused a write of the send itself: the pump backs off before it claims again. */
  storageFailed: () => void;
  /** Commits outcomes now (a burn's outcome is never left in memory). */
  commit: (items: Settlement[]) => void;
}

/**
 * Sends one card's claimed items in order and returns their outcomes (to be
 * settled by the caller), as the outcome table (decideOutcome) says: done,
 * dead-letter on a refusal (and go on), or retry with backoff. A retry for
 * want of the host releases the rest of the chain; a reversal that goes on
 * watching for a late original (rule 8) holds up only the undos after it.
 * Everything the forwarder sends was told approved to the POS (or is the
 * agent's own reversal), so nothing it sends is ever reversed.
 */
export async function sendChain(ctx: ChainContext, chain: readonly ClaimedOperation[], tally: Tally): Promise<Settlement[]> {
  const out: Settlement[] = [];
  // Items of this chain settled before the caller commits them: an undo later in the chain reads its original here.
  const settledHere = new Map<string, QueuedOperation>();
  const originalOf = (transactionId: string) => settledHere.get(transactionId) ?? ctx.originalOf(transactionId);
  // An earn's reversals the host refused: committed, and earlier in this chain (not committed yet).
  const refusedReversals = (earnTransactionId: string): EarnReversalPayload[] => {
    const out = new Map(ctx.refusedEarnReversals(earnTransactionId).map((r) => [r.transactionId, r.payload]));
    for (const o of settledHere.values()) {
      if (o.kind === 'earn-reversal' && o.state === 'dead' && o.payload.originalTransactionId === earnTransactionId) out.set(o.transactionId, o.payload);
    }
    return [...out.values()];
  };
  let i = 0;
  // Items of this chain that stay open (a reversal that goes on watching for its late original, and what waits
  // behind it): what depends on them waits too (rule 5), the rest goes on.
  const behind = new Set<string>();
  try {
    for (; i < chain.length; i++) {
      const op = chain[i] as ClaimedOperation;
      if (!ctx.keepGoing()) break;
      const original = originalOfOp(op);
      if (waitsBehind(original, behind)) {
        leaveBehind(behind, op.transactionId, original);
        out.push({ id: op.id, outcome: 'release' }); // claimed again once what it depends on is settled
        continue;
      }
      if (ctx.now() - op.createdAt > ctx.maxAgeMs) {
        out.push({ id: op.id, outcome: 'dead', reason: 'expired', expired: true });
        tally.dead++;
        ctx.log?.warn({ id: op.id, kind: op.kind }, 'queued operation expired');
        continue;
      }
      let answer: SendAnswer;
      let result: OperationResult | undefined;
      let err: unknown;
      try {
        ({ result, answer } = await sendOperation(ctx.host, op, (burn) => ctx.markSent(op.id, burn), originalOf, refusedReversals));
      } catch (e) {
        if (e instanceof QueueError) {
          // Our own store refused (the burn's markSent): the burn did not leave, and the host is not to blame.
          ctx.log?.warn({ id: op.id, code: e.code }, 'could not record a send; the chain waits for the store');
          ctx.storageFailed();
          break;
        }
        err = e;
        answer = answerOfError(e);
      }
      if (op.kind === 'burn') failpoint('forward-answered');
      const decision = decideOutcome({
        kind: op.kind,
        toldApproved: true,
        sentBefore: sentBefore(op),
        answer,
        originalMayLand: op.kind === 'reversal' && originalMayLand(op.payload, op.createdAt, ctx.now(), ctx.lateOriginalMs),
      });
      const why = err === undefined ? answer : describeSendError(err);
      if (answer !== 'not-sent' && answer !== 'unknown') ctx.setOnline(true);
      if (decision === 'done') {
        const kept: OperationResult | undefined = answer === 'duplicate' ? { duplicateOfEarlierAttempt: true } : result;
        const replayed = sentBefore(op) || answer !== 'ok';
        out.push({ id: op.id, outcome: 'done', result: kept, answeredAt: ctx.now(), ...(replayed ? { replayed } : {}) });
        // The result is this operation's own answer (sendOperation sends by its kind): kind and result pair up.
        settledHere.set(op.transactionId, { ...op, state: 'done', result: kept ?? null } as QueuedOperation);
        tally.sent++;
        if (answer !== 'ok') ctx.log?.info({ id: op.id, kind: op.kind, answer }, 'queued operation done');
        if (op.kind === 'burn') ctx.commit(out.splice(0));
        continue;
      }
      if (decision === 'dead') {
        const refusal = err instanceof HostError ? declineReason(err) : undefined;
        out.push({ id: op.id, outcome: 'dead', reason: why, ...(refusal === undefined ? {} : { refusal }) });
        settledHere.set(op.transactionId, { ...op, state: 'dead', deadReason: why });
        tally.dead++;
        ctx.log?.warn({ id: op.id, kind: op.kind, err: why }, 'queued operation rejected: dead-letter');
        if (op.kind === 'burn') ctx.commit(out.splice(0));
        continue;
      }
      // retry (the table never says reverse or abandoned for what the POS heard approved)
      tally.failed++;
      const dueAt = ctx.now() + backoffDelay(op.attempts + 1, ctx.backoff, ctx.random());
      out.push({ id: op.id, outcome: 'retry', error: why, dueAt });
      if (answer === 'original-not-found') {
        // The host answered, and has recorded the reversal: the watch goes on in the background (rule 8).
        ctx.log?.info({ id: op.id }, 'reversal: original not found yet; retried while it could still land');
        leaveBehind(behind, op.transactionId, original);
        continue;
      } else if (op.kind === 'burn' && answer === 'unknown') {
        ctx.log?.warn({ id: op.id, err: why }, 'offline burn outcome unknown: resent with the same transactionId');
      }
      i++;
      if (answer === 'not-sent' || answer === 'unknown') ctx.setOnline(false);
      break;
    }
  } finally {
    for (let j = i; j < chain.length; j++) out.push({ id: (chain[j] as ClaimedOperation).id, outcome: 'release' });
    if (chain.some((op) => op.kind === 'burn')) ctx.commit(out.splice(0));
  }
  return out;
}

/** The operation `op` depends on: an undo's or a reversal's original; null for the rest. */
function originalOfOp(op: ClaimedOperation): string | null {
  return 'originalTransactionId' in op.payload ? op.payload.originalTransactionId : null;
}

/** A reversal's original could still reach the host: its send time (default: the reversal's creation) plus the host timeout and margin is ahead. */
function originalMayLand(p: ReversalPayload, createdAt: number, now: number, lateOriginalMs: number): boolean {
  return now < (p.originalSentAt ?? createdAt) + lateOriginalMs;
}

/** A one-line reason for the queue's last_error / dead_reason, with anything PAN-like masked. */
export function describeSendError(err: unknown): string {
  if (err instanceof HostError) {
    const parts = [err.code, err.status === undefined ? '' : `status ${err.status}`, err.hostCode === undefined ? '' : `host code ${err.hostCode}`];
    return maskPanLike(`${parts.filter(Boolean).join(' ')}: ${err.message}`).slice(0, 500);
  }
  return maskPanLike(err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500);
}
