/**
 * The one outcome table (DESIGN.md, store-and-forward rule 3), row by row,
 * written out by hand from the rules: what the POS was told decides.
 */
import { describe, expect, it } from 'vitest';
import { HostError } from '../../../agent/host/hostClient.js';
import { decideOutcome, type Decision, type OutcomeFacts } from '../../../agent/queue/decideOutcome.js';
import { answerOfError } from '../../../agent/forwarder/index.js';

type Row = [string, OutcomeFacts, Decision];

const rows: Row[] = [
  // The checkout's direct burn: the POS waits for this very answer.
  ['direct burn approved', { kind: 'burn', toldApproved: false, sentBefore: false, answer: 'ok' }, 'done'],
  ['direct burn declined', { kind: 'burn', toldApproved: false, sentBefore: false, answer: 'rejected' }, 'dead'],
  ['direct burn 2020 on its first send (a real conflict)', { kind: 'burn', toldApproved: false, sentBefore: false, answer: 'duplicate' }, 'dead'],
  ['direct burn that never left', { kind: 'burn', toldApproved: false, sentBefore: false, answer: 'not-sent' }, 'abandoned'],
  ['direct burn with no answer', { kind: 'burn', toldApproved: false, sentBefore: false, answer: 'unknown' }, 'reverse'],
  ['direct burn answered "original not found" (a host bug): a refusal, never an approval', { kind: 'burn', toldApproved: false, sentBefore: false, answer: 'original-not-found' }, 'dead'],
  ['direct burn answered 5xx', { kind: 'burn', toldApproved: false, sentBefore: false, answer: 'failed' }, 'reverse'],
  // An offline burn: the POS heard "approved", so it is never reversed.
  ['offline burn with no answer', { kind: 'burn', toldApproved: true, sentBefore: false, answer: 'unknown' }, 'retry'],
  ['offline burn answered 5xx', { kind: 'burn', toldApproved: true, sentBefore: true, answer: 'failed' }, 'retry'],
  ['offline burn not sent', { kind: 'burn', toldApproved: true, sentBefore: false, answer: 'not-sent' }, 'retry'],
  ['offline burn 2020 on its own retry', { kind: 'burn', toldApproved: true, sentBefore: true, answer: 'duplicate' }, 'done'],
  ['offline burn declined later (points spent meanwhile)', { kind: 'burn', toldApproved: true, sentBefore: true, answer: 'rejected' }, 'dead'],
  // Earnings and reversals are retried with the same transactionId.
  ['earning with no answer', { kind: 'earn', toldApproved: true, sentBefore: false, answer: 'unknown' }, 'retry'],
  ['earning 2020 on a retry', { kind: 'earn', toldApproved: true, sentBefore: true, answer: 'duplicate' }, 'done'],
  ['earning refused', { kind: 'earn', toldApproved: true, sentBefore: false, answer: 'rejected' }, 'dead'],
  ['reversal with no answer', { kind: 'reversal', toldApproved: true, sentBefore: true, answer: 'unknown' }, 'retry'],
  ['reversal: original not found while it may still land', { kind: 'reversal', toldApproved: true, sentBefore: false, answer: 'original-not-found', originalMayLand: true }, 'retry'],
  ['reversal: original not found, its window closed', { kind: 'reversal', toldApproved: true, sentBefore: true, answer: 'original-not-found', originalMayLand: false }, 'done'],
  // The checkout's offer redemption: no reversal exists, the host redeems once by transactionId.
  ['direct offer redemption with no answer', { kind: 'offer-redeem', toldApproved: false, sentBefore: false, answer: 'unknown' }, 'retry'],
  ['direct offer redemption that never left', { kind: 'offer-redeem', toldApproved: false, sentBefore: false, answer: 'not-sent' }, 'abandoned'],
];

describe('decideOutcome', () => {
  it.each(rows)('%s', (_name, facts, decision) => {
    expect(decideOutcome(facts)).toBe(decision);
  });
});

describe('answerOfError', () => {
  const rejected = (hostCode: string) => new HostError('HOST_ERR_REJECTED', 'no', { outcome: 'rejected', hostCode });
  it.each([
    [rejected('2020'), 'duplicate'],
    [rejected('94'), 'duplicate'],
    [rejected('L25'), 'original-not-found'],
    [rejected('25'), 'original-not-found'],
    [rejected('L51'), 'rejected'],
    [new HostError('HOST_ERR_CONNECT', 'refused', { outcome: 'not-sent' }), 'not-sent'],
    [new HostError('HOST_ERR_TIMEOUT', 'no answer', { outcome: 'unknown' }), 'unknown'],
    [new HostError('HOST_ERR_SERVER', '503', { outcome: 'failed', status: 503 }), 'failed'],
    [new TypeError('a bug'), 'unknown'],
  ])('%s → %s', (err, answer) => {
    expect(answerOfError(err)).toBe(answer);
  });
});
