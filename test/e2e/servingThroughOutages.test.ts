/**
 * Serving the counter through outages (DESIGN.md, store-and-forward rules 3, 5, 8, 9 and "Offline stand-in"),
 * end to end on a counter from startCounter, its reader on a socat pseudo-terminal. What the POS heard is checked
 * against what the host applied, per transactionId:
 * - a burn that times out locks nothing: the same card, swiped again at once, is approved, and the first burn
 *   nets to zero at the host (reversed, or refused as a late original);
 * - online, an earning the host refuses is `declined` with its reason, not "accepted, queued";
 * - offline, the stand-in declines what the host would refuse (an expired card, a card refused online), never
 *   approves a burn over the card's last known balance less its pending debits, and refuses cards never seen
 *   online here; "yes, then refused by the host" and the refusals are metrics.
 */
import { describe, expect, it } from 'vitest';
import { skipWithoutSocat } from '../support/e2eStack.js';
import { counterForSuite } from '../support/counterSuite.js';

const LIMITS = { maxPointsPerTxn: 100_000, maxTotalPoints: 100_000, maxCount: 10, maxAgeS: 3600 };

describe.skipIf(skipWithoutSocat)('serving the counter through outages', () => {
  const e = counterForSuite({ reader: 'pty', hostTimeoutMs: 800, offline: LIMITS });
  const journalOf = async (transactionId: string) => (await e.counter.host.journal()).filter((j) => j.transactionId === transactionId);

  it('a burn that times out locks nothing: the same card, swiped again at once, is approved', async () => {
    await e.counter.host.fault({ endpoint: 'rewards/redeem', latencyMs: 2000 });
    let first;
    try {
      first = await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'lock-1', points: 30 });
    } finally {
      await e.counter.host.clearFaults();
    }
    expect(first.body).toMatchObject({ reason: 'no-answer-reversed', debited: 0 });
    // At once: the reversal of the first burn is still open (it watches for a late original), and blocks nothing.
    const again = await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'lock-2', points: 30 });
    // Approved by the host itself, at once: not an offline approval standing in for a card held up by its queue.
    expect(again.body).toMatchObject({ status: 'approved', debited: 30, balanceAfter: expect.any(Number) });
    expect(again.body.queued).toBeUndefined();

    await e.counter.drained({ timeoutMs: 20_000 });
    // What the POS heard, per transactionId: the first burn did not go through (never applied, or applied and
    // reversed); the second is applied once and never reversed.
    const [firstBurn] = (await journalOf(String(first.body.transactionId))).filter((j) => j.kind === 'burn');
    expect(firstBurn === undefined || !firstBurn.applied || firstBurn.reversed).toBe(true);
    expect((await journalOf(String(again.body.transactionId))).filter((j) => j.kind === 'burn')).toMatchObject([{ received: 1, applied: true, reversed: false }]);
    expect(e.leaks()).toEqual([]);
  });

  it('what was accepted offline and refused by the host later is counted, and the card is remembered as refused', async () => {
    // A card never seen here: its offline earning is accepted (the host is the judge), then refused when forwarded.
    await e.counter.host.online(false);
    let accepted;
    try {
      accepted = await e.swiped('unknown', 'POST', '/v1/earnings', { reference: 'off-later', amount: 500 });
    } finally {
      await e.counter.host.online(true);
    }
    expect(accepted.body).toMatchObject({ status: 'accepted', queued: true });
    await e.counter.drained({ timeoutMs: 20_000 });
    expect(await journalOf(String(accepted.body.transactionId))).toMatchObject([{ kind: 'earn', applied: false }]);
    const metrics = await fetch(`${e.counter.agentUrl}/metrics`, { headers: e.counter.posHeaders }).then((r) => r.text());
    expect(metrics).toContain('pos_agent_refused_after_yes_total{operation="earn",reason="unknown-card"} 1');
  });

  it('online, an earning the host refuses is declined with its reason, not accepted', async () => {
    // A card never refused here: the earning goes to the host, which refuses it within the wait.
    const fresh = await e.swiped('empty', 'POST', '/v1/earnings', { reference: 'earn-fresh', amount: 1000 });
    expect(fresh.body).toMatchObject({ status: 'accepted', queued: false });
    await e.counter.host.fault({ endpoint: 'rewards/earn', status: 404 });
    let refused;
    try {
      refused = await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'earn-refused', amount: 1000 });
    } finally {
      await e.counter.host.clearFaults();
    }
    expect(refused.body).toMatchObject({ status: 'declined' });
    expect(await journalOf(String(refused.body.transactionId))).toEqual([]);
    // Cards the terminal knows the host refuses (refused online before; expired by its clock): the host is asked
    // first with a balance enquiry, and its refusal is what the POS hears; nothing is written or sent.
    const unknown = await e.swiped('unknown', 'POST', '/v1/earnings', { reference: 'earn-unknown', amount: 1000 });
    expect(unknown.body).toMatchObject({ status: 'declined', reason: 'unknown-card', transactionId: '' });
    const expired = await e.swiped('expired', 'POST', '/v1/earnings', { reference: 'earn-expired', amount: 1000 });
    expect(expired.body).toMatchObject({ status: 'declined', reason: 'expired-card', transactionId: '' });
    // The retry of the reference hears the same decline, and the host credited nothing.
    expect((await e.swiped('unknown', 'POST', '/v1/earnings', { reference: 'earn-unknown', amount: 1000 })).body).toEqual(unknown.body);
    expect((await e.entriesOf('unknown')).length).toBe(0);
    expect((await e.entriesOf('expired')).length).toBe(0);
  });

  it('offline, the stand-in declines what the host would refuse and never approves past the known balance', async () => {
    const enquiry = await e.swiped('happy', 'GET', '/v1/balance');
    expect(enquiry.body).toMatchObject({ status: 'ok' });
    await e.counter.host.online(false);
    try {
      // Expired by the terminal's clock (the card says 01/2020): declined at once, burn and earning alike.
      expect((await e.swiped('expired', 'POST', '/v1/redemptions', { reference: 'off-exp-b', points: 10 })).body).toMatchObject({ status: 'declined', reason: 'expired-card' });
      expect((await e.swiped('expired', 'POST', '/v1/earnings', { reference: 'off-exp-e', amount: 500 })).body).toMatchObject({ status: 'declined', reason: 'expired-card' });
      // Refused online as unknown a moment ago: declined offline for the same reason.
      expect((await e.swiped('unknown', 'POST', '/v1/redemptions', { reference: 'off-unk-b', points: 10 })).body).toMatchObject({ status: 'declined', reason: 'unknown-card' });
      expect((await e.swiped('unknown', 'POST', '/v1/earnings', { reference: 'off-unk-e', amount: 500 })).body).toMatchObject({ status: 'declined', reason: 'unknown-card' });
      // Never seen online on this terminal: no offline burn (offline.unknownCards defaults to refuse).
      expect((await e.swiped('offer', 'POST', '/v1/redemptions', { reference: 'off-new', points: 10 })).body).toMatchObject({ status: 'unavailable', debited: 0 });

      // happy's balance is known from its balance enquiry online; pending offline burns count against it (rule 9).
      const known = await e.balanceOf('happy');
      const big = known - 10;
      const a = await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'off-h1', points: big });
      expect(a.body).toMatchObject({ status: 'approved', debited: big, queued: true });
      // The rest of the balance is 10 points less than this: refused, however the limits stand.
      expect((await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'off-h2', points: 20 })).body).toMatchObject({ status: 'unavailable', debited: 0 });
      const b = await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'off-h3', points: 10 });
      expect(b.body).toMatchObject({ status: 'approved', debited: 10, queued: true });
    } finally {
      await e.counter.host.online(true);
    }
    await e.counter.drained({ timeoutMs: 20_000 });
    // Every offline yes was honoured by the host: nothing of them is dead-lettered.
    expect(e.counter.queue({ state: 'dead' }).items.filter((i) => i.kind === 'burn' && i.offline)).toEqual([]);
    expect(await e.balanceOf('happy')).toBe(0);
    const metrics = await fetch(`${e.counter.agentUrl}/metrics`, { headers: e.counter.posHeaders }).then((r) => r.text());
    expect(metrics).toContain('pos_agent_refusals_total{operation="burn",reason="expired-card"} 1');
    expect(metrics).toContain('pos_agent_refusals_total{operation="earn",reason="unknown-card"} 3');
    expect(metrics).not.toContain('card-has-queued-work');
    expect(e.leaks()).toEqual([]);
  });

});
