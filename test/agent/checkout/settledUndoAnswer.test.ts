/**
 * A void's or return's recorded answer read again at a retry or a lookup
 * (agent/checkout/undoSale.ts, settledUndoAnswer): each step as its operation
 * stands now. Answers and operations written by hand.
 */
import { describe, expect, it } from 'vitest';
import { settledUndoAnswer, type UndoOpView } from '../../../agent/checkout/undoSale.js';
import type { UndoResult } from '../../../agent/checkout/results.js';

/** A void answered while every step was queued: the burn's reversal (40 points back) and the earn's (all of it, not known yet). */
const VOID_HEARD: UndoResult = {
  status: 'accepted', kind: 'void', reference: 'v-1', originalReference: 's-1', amount: 1000, remaining: 0,
  refund: { status: 'queued', transactionId: 'REV1', points: 40 },
  earnReversal: { status: 'queued', transactionId: 'ERV1', points: null },
  offer: { status: 'none', clawBack: 0 },
  queued: true,
};
const op = (kind: UndoOpView['kind'], transactionId: string, state: UndoOpView['state'], result: UndoOpView['result'] = null, deadReason: string | null = null): UndoOpView =>
  ({ kind, transactionId, state, result, deadReason });

describe('a void or return answer read again', () => {
  it('says done, with the points the host took back, once both steps are done', () => {
    const now = settledUndoAnswer(VOID_HEARD, [op('reversal', 'REV1', 'done', { reversed: true }), op('earn-reversal', 'ERV1', 'done', { points: 93 })]);
    expect(now).toEqual({
      ...VOID_HEARD,
      refund: { status: 'done', transactionId: 'REV1', points: 40 },
      earnReversal: { status: 'done', transactionId: 'ERV1', points: 93 },
      queued: false,
    });
  });

  it('says nothing was given back when the host found no original to reverse, not "done"', () => {
    const now = settledUndoAnswer(VOID_HEARD, [op('reversal', 'REV1', 'done', { reversed: false }), op('earn-reversal', 'ERV1', 'pending')]);
    expect(now.refund).toEqual({ status: 'none', transactionId: 'REV1', points: 0, reason: 'original-not-applied' });
    expect(now.earnReversal).toEqual({ status: 'queued', transactionId: 'ERV1', points: null });
    expect(now.queued).toBe(true);
  });

  it('follows a step refused and then resent by a technician: refused, queued again, then done', () => {
    const refused = settledUndoAnswer(VOID_HEARD, [op('reversal', 'REV1', 'done', { reversed: true }), op('earn-reversal', 'ERV1', 'dead', null, 'L12 refused')]);
    expect(refused.earnReversal).toEqual({ status: 'refused', transactionId: 'ERV1', points: null, reason: 'L12 refused' });
    expect(refused.queued).toBe(false);
    // What a retry hears after the technician's resend, from the same recorded answer.
    const resent = settledUndoAnswer(VOID_HEARD, [op('reversal', 'REV1', 'done', { reversed: true }), op('earn-reversal', 'ERV1', 'pending')]);
    expect(resent.earnReversal).toEqual({ status: 'queued', transactionId: 'ERV1', points: null });
    expect(resent.queued).toBe(true);
    const done = settledUndoAnswer(refused, [op('reversal', 'REV1', 'done', { reversed: true }), op('earn-reversal', 'ERV1', 'done', { points: 93 })]);
    expect(done.earnReversal).toEqual({ status: 'done', transactionId: 'ERV1', points: 93 });
  });

  it('keeps a declined answer, which has no step to read, as it was', () => {
    const declined: UndoResult = { ...VOID_HEARD, status: 'declined', reason: 'sale-not-found', refund: { status: 'none', points: 0 }, earnReversal: { status: 'none', points: 0 }, queued: false };
    expect(settledUndoAnswer(declined, [])).toBe(declined);
  });
});
