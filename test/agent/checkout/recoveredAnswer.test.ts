/**
 * A reference's answer rebuilt from its operations (the agent stopped
 * between their commit and the answer's) says what the live answer said.
 * Here: a burn or offer redemption abandoned unsent because the POS deadline
 * had passed (reason `deadline-passed`) reads as that, not as a host that
 * could not be reached.
 */
import { describe, expect, it } from 'vitest';
import { recoveredAnswer } from '../../../agent/checkout/recoveredAnswer.js';
import { OperationQueue, generateQueueKey } from '../../../agent/queue/index.js';
import { fixtureCardRef } from '../../support/fixtureCardRef.js';

const HAPPY = fixtureCardRef('happy');

/** A queue holding one direct operation abandoned with `reason`, as sendWritten leaves it. */
function abandoned(kind: 'burn' | 'offer-redeem', reason: string) {
  const q = OperationQueue.open({ path: ':memory:', key: generateQueueKey() });
  const transactionId = `t-${kind}-${reason}`;
  const op =
    kind === 'burn'
      ? q.beginDirect({ kind, card: HAPPY, payload: { points: 100 }, transactionId })
      : q.beginDirect({ kind, card: HAPPY, payload: { cardOfferId: 'cof_1', amount: 1000, minSpend: 0 }, transactionId });
  q.abandonDirect(op.id, reason);
  const ops = [q.get(op.id)!];
  q.close();
  return ops;
}

describe('recoveredAnswer of an operation abandoned unsent', () => {
  it('a burn abandoned at the deadline: timeout, deadline-passed, nothing debited', () => {
    expect(recoveredAnswer('redemption', { reference: 'r', points: 100 }, abandoned('burn', 'deadline-passed'))).toMatchObject({
      status: 'timeout',
      reason: 'deadline-passed',
      debited: 0,
    });
  });

  it('a burn that never left for want of the host: unavailable, host-unreachable', () => {
    expect(recoveredAnswer('redemption', { reference: 'r', points: 100 }, abandoned('burn', 'not-sent'))).toMatchObject({
      status: 'unavailable',
      reason: 'host-unreachable',
    });
  });

  it('an offer redemption abandoned at the deadline, in a checkout: no discount, deadline-passed', () => {
    const r = recoveredAnswer('checkout', { reference: 'r', amount: 1000 }, abandoned('offer-redeem', 'deadline-passed'));
    expect(r).toMatchObject({ offer: { status: 'unavailable', reason: 'deadline-passed', benefit: 0 }, amountDue: 1000, recovered: true });
  });

  it('a burn abandoned, then an offline burn approved in its place under the same reference: approved, queued', () => {
    const q = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), limits: { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 500, maxTotalPoints: 2000, maxCount: 10, maxAgeS: 3600 } });
    const direct = q.beginDirect({ kind: 'burn', card: HAPPY, payload: { points: 100 }, transactionId: 't-direct' });
    q.abandonDirect(direct.id, 'not-sent');
    const offline = q.tryEnqueueOfflineBurn({ card: HAPPY, payload: { points: 100 }, transactionId: 't-offline' });
    expect(offline.ok).toBe(true);
    const ops = [q.get(direct.id)!, q.getByTransactionId('t-offline')!];
    q.close();
    expect(recoveredAnswer('redemption', { reference: 'r', points: 100 }, ops)).toMatchObject({
      status: 'approved',
      debited: 100,
      queued: true,
      transactionId: 't-offline',
    });
  });
});
