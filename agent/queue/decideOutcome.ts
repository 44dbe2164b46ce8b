import type { OperationKind } from './queueTypes.js';

/**
 * How one send of an operation ended, as the host (or its absence) said it:
 * - `ok`: applied (or the stored answer to an earlier identical request);
 * - `rejected`: a business refusal (4xx, an ISO decline);
 * - `duplicate`: 2020 / DE39 94, the same transactionId with a different body;
 * - `original-not-found`: a reversal whose original the host has not seen (L25 / DE39 25);
 * - `not-sent`: the request never left the terminal (connect refused, DNS, TLS);
 * - `unknown`: sent, and no answer came (timeout, reset, the POS deadline, a garbled answer);
 * - `failed`: the host answered with a server error (5xx, DE39 96): applied or not, nobody knows.
 */
export type SendAnswer = 'ok' | 'rejected' | 'duplicate' | 'original-not-found' | 'not-sent' | 'unknown' | 'failed';

/** What to do with the operation next. */
export type Decision = 'done' | 'retry' | 'reverse' | 'dead' | 'abandoned';

export interface OutcomeFacts {
  kind: OperationKind;
  /**
   * The POS was told the operation went through: an accepted earning, an
   * offline burn approved within the limits, or the agent's own reversal
   * (which must complete). False for the checkout's direct burn and offer
   * redemption, whose POS answer waits for this send.
   */
  toldApproved: boolean;
  /** An earlier attempt with this transactionId may have reached the host. */
  sentBefore: boolean;
  answer: SendAnswer;
  /** Reversals only: the original could still reach the host (its send time plus the host timeout and a margin is ahead). */
  originalMayLand?: boolean;
}

/**
 * The one outcome table of store-and-forward (DESIGN.md, rule 3), used by the
 * checkout's direct sends and by the forwarder alike:
 *
 * | answer | decision |
 * |---|---|
 * | ok | done |
 * | duplicate, after an earlier attempt | done: the first attempt was applied (its body differed only by a fresh rewardTrxId) |
 * | duplicate, first attempt / rejected | dead (a permanent refusal, kept for a technician) |
 * | original-not-found, a reversal | retry while the original may still land, then done (nothing to undo) |
 * | original-not-found, anything else | dead |
 * | not-sent, nothing ever sent, POS not told approved | abandoned (never left the terminal) |
 * | not-sent otherwise | retry |
 * | unknown / failed, a burn the POS was not told approved | reverse |
 * | unknown / failed otherwise | retry with the same transactionId (never reverse what the POS heard approved) |
 */
export function decideOutcome(f: OutcomeFacts): Decision {
  switch (f.answer) {
    case 'ok':
      return 'done';
    case 'duplicate':
      return f.sentBefore ? 'done' : 'dead';
    case 'rejected':
      return 'dead';
    case 'original-not-found':
      // Only a reversal can have an original; for anything else "not found" is a refusal.
      if (f.kind !== 'reversal') return 'dead';
      return f.originalMayLand === true ? 'retry' : 'done';
    case 'not-sent':
      return !f.sentBefore && !f.toldApproved ? 'abandoned' : 'retry';
    case 'unknown':
    case 'failed':
      return f.kind === 'burn' && !f.toldApproved ? 'reverse' : 'retry';
  }
}
