import type { CardRef } from '../../protocol/index.js';
import { chooseMandates, lessPending, totalAvailable } from '../../protocol/loyalty/index.js';
import { isStorageFailure, type PosRef, type QueuedOperation } from '../queue/index.js';
import { failpoint } from '../failpoint.js';
import { callHost } from './hostCall.js';
import { cardRefusalOf, declineReason } from '../host/index.js';
import { pushCredits } from './pushCredits.js';
import { rememberCard } from './rememberCard.js';
import type { CheckoutDeps } from './ports.js';
import type { CardView, RedemptionResult } from './results.js';
import { sendWritten } from './sendDirect.js';
import type { StageTimes } from './stageTimes.js';
import { newTransactionId } from './transactionId.js';

/**
 * Resolves once a host request started now is on the socket, so that a
 * synchronous commit after it (which blocks the event loop for its fsync)
 * overlaps the host's work. Two turns of the check phase: undici writes a
 * request on a reused keep-alive socket from a setImmediate of its own
 * (client-h1's idle-socket check), queued after the first turn's.
 */
async function requestWritten(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Balance then burn for a card already read (DESIGN.md, store-and-forward rules 1–4):
 * - the burn is written durably, with its transactionId fixed, before it is sent.
 *   The record holds what a reversal needs (the transactionId, the card, the
 *   points), so it is written while the balance call is in flight: its fsync
 *   overlaps the host's work. A burn that then never goes out (a decline, an
 *   offline turn) is abandoned; a crash before its send leaves a burn that may
 *   have gone out, so the restart reverses it (a reversal of a burn the host
 *   never saw finds nothing to undo);
 * - what follows its send is the outcome table's word (decideOutcome): no
 *   answer (or a server error) means the outcome is unknown, so a durable
 *   reversal is queued and the POS is told the burn did not go through; a
 *   send that never left is abandoned;
 * - the card's offline burns not yet applied by the host count as spent (rule 9);
 * - a host that can't be reached gets an offline burn only within the stand-in rules and the configured limits.
 * `ref` is the POS reference the burn is recorded under (same transaction).
 */
export async function burnPoints(
  deps: CheckoutDeps,
  card: CardRef,
  view: CardView,
  points: number,
  deadlineAt: number,
  ref: PosRef,
  stages?: StageTimes,
): Promise<RedemptionResult> {
  const reference = ref.reference;
  const log = deps.logger.child({ flow: 'burn', reference });
  const onLate = (err: unknown) => log.warn({ err }, 'host answered after the POS deadline');
  const enquiryId = newTransactionId();
  const base = { card: view, debited: 0, balanceAfter: null };

  // The burn's record, written while the balance call is in flight; abandoned when the burn never goes out.
  let written: QueuedOperation | undefined;
  const notSent = (reason: 'not-sent' | 'deadline-passed' = 'not-sent'): void => {
    if (!written) return;
    const { id } = written;
    written = undefined;
    try {
      deps.queue.abandonDirect(id, reason);
    } catch (err) {
      // The store refused the write: the abandon is retried until it lands (or the restart reverses the burn,
      // which the host then finds nothing to undo for). The POS still hears what the host said.
      log.error({ err }, 'could not mark the burn that never went out abandoned; retried');
    }
  };
  // The host is away or too slow for this sale: an offline burn within the stand-in rules and the limits, else
  // unavailable; declined when the terminal knows the host would refuse the card (expired, refused online).
  const offlineOr = (status: 'timeout' | 'unavailable', reason: string): RedemptionResult => {
    notSent();
    const transactionId = newTransactionId();
    const offline = deps.queue.tryEnqueueOfflineBurn({ card, payload: { points }, transactionId, ref });
    if (offline.ok) {
      log.info({ transactionId, points }, 'offline burn approved within limits; queued');
      return { ...base, status: 'approved', transactionId, debited: points, queued: true };
    }
    log.info({ reason, offlineRefusal: offline.reason.code }, 'offline burn refused by the offline stand-in or limits');
    const decline = offline.reason.decline;
    return decline ? { ...base, status: 'declined', transactionId: enquiryId, reason: decline } : { ...base, status, transactionId: enquiryId, reason };
  };
  const remember = (write: () => void): void => rememberCard(log, write);
  // The POS deadline already past through the terminal's own slowness (an earlier step of a checkout, a slow
  // write below): the POS no longer waits, so nothing is sent and no offline burn is approved in its place.
  const tooLate = (): RedemptionResult => {
    notSent('deadline-passed');
    log.warn('the POS deadline passed before the burn could be sent; nothing was sent');
    return { ...base, status: 'timeout', transactionId: enquiryId, reason: 'deadline-passed' };
  };
  if (deps.now() >= deadlineAt) return tooLate();
  await pushCredits(deps, card, deadlineAt);
  if (deps.now() >= deadlineAt) return tooLate(); // the card's credits took the time

  const burnRecord = () => {
    stages?.begin();
    const op = deps.queue.beginDirect({ kind: 'burn', card, payload: { points }, transactionId: newTransactionId(), ref });
    stages?.end('durable');
    failpoint('burn-written');
    return op;
  };
  let balanceAnswered = false;
  const balance = callHost(deps.host.balance({ card, transactionId: enquiryId }), { deadlineAt, now: deps.now, onLate }).finally(() => {
    balanceAnswered = true;
  });
  await requestWritten();
  // An answer already in (a refused connection), or a deadline already past, needs no overlap: the burn is
  // written below if it goes out. So is one the store refused now (a full disk): the host's word on the
  // balance still reaches the POS (a decline stays a decline), and the write is tried again before the send.
  let wroteLate = false;
  if (!balanceAnswered && deps.now() < deadlineAt) {
    try {
      written = burnRecord();
    } catch (err) {
      if (!isStorageFailure(err)) throw err; // a bug, not the disk
      log.warn({ err }, 'could not write the burn during its balance call; written again before its send');
    } finally {
      wroteLate = deps.now() >= deadlineAt; // landed or refused, it was the terminal that took the time
    }
  }
  const bal = await balance;
  stages?.mark('balance');
  // A write that outlasted the deadline: whatever the balance call says now, the delay was ours, not the host's.
  if (wroteLate) return tooLate();
  if (bal.kind === 'error' && bal.err.outcome === 'rejected') {
    notSent();
    const refused = cardRefusalOf(bal.err);
    if (refused !== undefined) remember(() => deps.queue.rememberRefusal(card, refused));
    return { ...base, status: 'declined', transactionId: enquiryId, reason: declineReason(bal.err) };
  }
  if (bal.kind !== 'ok') return bal.kind === 'deadline' ? offlineOr('timeout', 'host-timeout') : offlineOr('unavailable', 'host-unreachable');

  // Rule 9: the card's offline burns not yet applied by the host are spent already.
  let available: number;
  let mandates: ReturnType<typeof chooseMandates>;
  try {
    const accounts = lessPending(bal.value.accounts, deps.queue.pendingDebits(card));
    available = totalAvailable(accounts);
    mandates = chooseMandates(accounts, points);
  } catch (err) {
    notSent(); // a bug or the store, not the host: the burn is not sent, and its record must not wait for a restart
    throw err;
  }
  if (mandates === null) {
    notSent();
    const hostBalance = totalAvailable(bal.value.accounts);
    remember(() => deps.queue.rememberBalance(card, hostBalance));
    return { ...base, status: 'declined', transactionId: enquiryId, balanceAfter: available, reason: 'insufficient-points' };
  }

  const rewardTrxId = bal.value.rewardTrxId;
  const sent = await sendWritten(deps.queue, written ?? burnRecord(), {
    send: (transactionId) => deps.host.burn({ card, rewardTrxId, transactionId, mandates }),
    deadlineAt,
    now: deps.now,
    onLate,
    approved: (value, transactionId): RedemptionResult => ({
      ...base,
      status: 'approved',
      transactionId,
      debited: points,
      balanceAfter: value.accounts.reduce((s, a) => s + a.balance, 0),
    }),
    // A redemption's answer is committed with the approval (one fsync); a checkout's waits for its other steps.
    ...(ref.kind === 'redemption' ? { recordUnder: ref } : {}),
    failpoints: { answered: 'burn-answered', committed: 'burn-committed' },
    ...(stages ? { stages } : {}),
  });
  const { transactionId } = sent;
  switch (sent.outcome) {
    case 'approved':
      // Logged after the POS has its answer (the line is no part of the record: the queue is).
      setImmediate(() => log.info({ transactionId, points }, 'burn approved'));
      return sent.answer;
    case 'declined':
      return { ...base, status: 'declined', transactionId, balanceAfter: available, reason: sent.reason };
    case 'not-sent':
      // Never left the terminal: nothing to undo, and the reference stays free for a retry.
      return { ...base, status: 'unavailable', transactionId, reason: 'host-unreachable' };
    case 'too-late':
      log.warn({ transactionId }, 'the POS deadline passed before the burn could be sent (a slow write); nothing was sent');
      return { ...base, status: 'timeout', transactionId, balanceAfter: available, reason: 'deadline-passed' };
    case 'unknown': {
      // Sent, and no usable answer: unknown outcome → durable reversal, POS told not approved.
      log.warn({ transactionId, reversalId: sent.followUp.transactionId, reason: sent.cause }, 'burn outcome unknown; reversal queued');
      return { ...base, status: sent.timedOut ? 'timeout' : 'unavailable', transactionId, reason: 'no-answer-reversed' };
    }
  }
}
