/**
 * Exactly-once as the POS sees it (DESIGN.md, "reference is the idempotency
 * key" and store-and-forward rules 3 and 8), with real processes: what the POS
 * heard is checked against what the host received and applied, per reference
 * and per transactionId, never ledger totals alone.
 */
import { describe, expect, it } from 'vitest';
import { agentRequest, withSwipe, type PosAnswer } from '../../emulator/stack/posClient.js';
import { e2eStackForSuite, eventually, skipWithoutSocat } from '../support/e2eStack.js';

const OFFLINE = ['offline:', '  enabled: true', '  maxPointsPerTxn: 500', '  maxTotalPoints: 1000', '  maxCount: 5', '  maxAgeS: 3600', '  unknownCards: allow'].join('\n');

describe.skipIf(skipWithoutSocat)('exactly once, as the POS hears it', () => {
  const e = e2eStackForSuite({ hostTimeoutMs: 3000, extraConfig: OFFLINE });

  const burnsOf = async (name: string) => (await e.entriesOf(name)).filter((x) => x.kind === 'burn');
  const queueDrained = () =>
    eventually('the queue to drain', async () => {
      const h = (await e.agent('GET', '/v1/health')).body as { host: string; queue: { pending: number } };
      return h.host === 'online' && h.queue.pending === 0;
    }, 150, 100);

  it('a retried redemption gets the first answer: no second swipe, no second host request, one debit', async () => {
    const before = await burnsOf('happy');
    const body = { reference: 'dup-1', points: 100 };
    const first = await e.swiped('happy', 'POST', '/v1/redemptions', body);
    expect(first.body).toMatchObject({ status: 'approved', debited: 100 });
    const retry = await e.swiped('happy', 'POST', '/v1/redemptions', body);
    expect(retry).toEqual(first);
    const txn = String(first.body.transactionId);
    expect(await e.journalOf('burn', txn)).toMatchObject({ received: 1, applied: true, reversed: false });
    expect((await burnsOf('happy')).length).toBe(before.length + 1);
    // The lookup says the same, for a POS that lost the answer.
    const looked = await e.agent('GET', '/v1/operations/dup-1');
    expect(looked.status).toBe(200);
    expect(looked.body).toMatchObject({ reference: 'dup-1', kind: 'redemption', state: 'final', answer: first.body });
    expect(looked.body.operations).toEqual([{ transactionId: txn, kind: 'burn', state: 'done', offline: false, reason: null }]);
  });

  it('the same reference with another body gets 409 reference-conflict, and nothing is sent', async () => {
    const journal = await e.journal();
    const r = await e.agent('POST', '/v1/redemptions', { reference: 'dup-1', points: 200, timeoutMs: 1000 });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: { code: 'reference-conflict' } });
    const asEarning = await e.agent('POST', '/v1/earnings', { reference: 'dup-1', amount: 200, timeoutMs: 1000 });
    expect(asEarning.status).toBe(409);
    expect(await e.journal()).toEqual(journal);
  });

  it('a retried earning and a retried checkout are applied once each', async () => {
    const earning = await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'dup-e', amount: 700 });
    expect(earning.body).toMatchObject({ status: 'accepted' });
    expect(await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'dup-e', amount: 700 })).toEqual(earning);
    const sale = { reference: 'dup-c', amount: 900, redeemPoints: 50 };
    const checkout = await e.swiped('happy', 'POST', '/v1/checkout', sale);
    expect(checkout.body).toMatchObject({ redemption: { status: 'approved', debited: 50 }, earning: { status: 'accepted' }, amountDue: 850 });
    expect(await e.swiped('happy', 'POST', '/v1/checkout', { ...sale, timeoutMs: 5000 })).toEqual(checkout);
    await queueDrained();
    const burnTxn = String((checkout.body.redemption as { transactionId: string }).transactionId);
    const earnTxn = String((checkout.body.earning as { transactionId: string }).transactionId);
    expect(await e.journalOf('earn', String(earning.body.transactionId))).toMatchObject({ received: 1, applied: true });
    expect(await e.journalOf('earn', earnTxn)).toMatchObject({ received: 1, applied: true });
    expect(await e.journalOf('burn', burnTxn)).toMatchObject({ received: 1, applied: true, reversed: false });
    const entries = await e.entriesOf('happy');
    expect(entries.filter((x) => x.transactionId === burnTxn || x.transactionId === earnTxn).map((x) => x.kind).sort()).toEqual(['burn', 'earn']);
  });

  it('a POS that hangs up mid-burn cancels nothing: its immediate retry waits for the burn and gets its answer', async () => {
    await e.fault({ endpoint: 'rewards/redeem', latencyMs: 1500 });
    try {
      const before = await burnsOf('happy');
      const body = { reference: 'hang-1', points: 40 };
      const ac = new AbortController();
      const hungUp = withSwipe(e.stack, 'happy', () =>
        fetch(`${e.stack.agentUrl}/v1/redemptions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...e.stack.agentHeaders },
          body: JSON.stringify(body),
          signal: ac.signal,
        }).then(
          async (res): Promise<PosAnswer> => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }),
          (): PosAnswer => ({ status: 0, body: { hungUp: true } }),
        ),
      );
      await eventually('the burn to be on the wire', async () => {
        const q = (await e.agent('GET', '/v1/queue?state=sending')).body as { items: { kind: string }[] };
        return q.items.some((i) => i.kind === 'burn');
      }, 100, 20);
      ac.abort();
      expect((await hungUp).body).toEqual({ hungUp: true });
      const retry = await e.swiped('happy', 'POST', '/v1/redemptions', body);
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ status: 'approved', debited: 40 });
      expect(await e.journalOf('burn', String(retry.body.transactionId))).toMatchObject({ received: 1, applied: true, reversed: false });
      expect((await burnsOf('happy')).length).toBe(before.length + 1);
    } finally {
      await e.fault({ clear: true });
    }
  });

  it('an offline burn whose forwarded answer is lost is collected once and never reversed (its resend repeats the request; the host replays)', async () => {
    const before = await e.balanceOf('commit-then-drop');
    await e.stack.stopHost();
    const r = await e.swiped('commit-then-drop', 'POST', '/v1/redemptions', { reference: 'off-drop', points: 120 });
    expect(r.body).toMatchObject({ status: 'approved', debited: 120, queued: true });
    await e.stack.startHost(); // this card's host commits the burn, then drops the connection
    await queueDrained();
    const txn = String(r.body.transactionId);
    const j = await e.journalOf('burn', txn);
    expect(j).toMatchObject({ applied: true, reversed: false });
    expect(j?.received).toBeGreaterThanOrEqual(2);
    expect(await e.journalOf('reversal', txn)).toBeUndefined();
    expect(await e.balanceOf('commit-then-drop')).toBe(before - 120);
    const op = await e.agent('GET', '/v1/operations/off-drop');
    expect(op.body).toMatchObject({ state: 'final', answer: r.body, operations: [{ transactionId: txn, kind: 'burn', state: 'done', offline: true }] });
  });

  it('refuses a reference that looks like a card number, with 400 and without echoing it, and masks one in an unknown route', async () => {
    const r = await agentRequest(e.stack, 'POST', '/v1/earnings', { reference: '6280000000000016', amount: 100 });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).not.toContain('6280000000000016');
    expect((await agentRequest(e.stack, 'GET', '/v1/operations/never-used')).status).toBe(404);
    // Nor in a path: an unknown route's 404 masks it.
    const route = await agentRequest(e.stack, 'GET', '/v1/cards/6280000000000016');
    expect(route.status).toBe(404);
    expect(JSON.stringify(route.body)).not.toContain('6280000000000016');
    expect(JSON.stringify(route.body)).toContain('628000******0016');
    const asLookup = await agentRequest(e.stack, 'GET', '/v1/operations/6280000000000016');
    expect(asLookup.status).toBe(400);
    expect(JSON.stringify(asLookup.body)).not.toContain('6280000000000016');
  });

  it('a burn slower than the POS deadline is refused by the host once its reversal came first: the customer is not debited', async () => {
    const before = await e.balanceOf('offer');
    await e.fault({ endpoint: 'rewards/redeem', latencyMs: 2500 });
    try {
      const r = await e.swiped('offer', 'POST', '/v1/redemptions', { reference: 'slow-1', points: 60, timeoutMs: 1200 });
      expect(r.body).toMatchObject({ status: 'timeout', reason: 'no-answer-reversed', debited: 0 });
      const txn = String(r.body.transactionId);
      // The reversal reaches the host first; the burn lands 2.5 s after it was sent, and is refused.
      await eventually('the late burn to reach the host', async () => (await e.journalOf('burn', txn)) !== undefined, 60, 100);
      expect(await e.journalOf('burn', txn)).toMatchObject({ received: 1, applied: false, lateOriginal: true });
      expect(await e.journalOf('reversal', txn)).toMatchObject({ applied: false, lateOriginal: true });
      expect(await e.balanceOf('offer')).toBe(before);
      // The reversal is not closed while the original could still land.
      const op = (await e.agent('GET', '/v1/operations/slow-1')).body as { operations: { kind: string; state: string }[] };
      expect(op.operations.map((o) => o.kind)).toEqual(['burn', 'reversal']);
      expect(['pending', 'sending']).toContain(op.operations[1]?.state); // retried, not done
    } finally {
      await e.fault({ clear: true });
    }
    expect(e.panLeaks()).toEqual([]);
  });
});
