/**
 * Returns and voids end to end (agent/README.md, "Returns and voids at the counter"), over both host
 * transports: the POS's void and return of an earlier sale, checked against
 * what the host received and applied per transactionId (its journal), and
 * against the balances worked out by hand from the fixtures (earnRate 0.1:
 * one point per 10 minor units; `happy` starts with 2450 points, `offer`
 * with 800 and a 10% discount, minimum spend 500).
 */
import { describe, expect, it } from 'vitest';
import { e2eStackPerTest, eventually, skipWithoutSocat, type E2eStack } from '../support/e2eStack.js';

interface Step { status: string; transactionId?: string; points: number | null; reason?: string }
interface Undo {
  status: string;
  reason?: string;
  amount: number;
  remaining: number;
  refund: Step;
  earnReversal: Step;
  offer: { status: string; clawBack: number; transactionId?: string };
  queued: boolean;
}

/** Waits until the agent's queue has nothing pending or sending. */
async function drained(e: E2eStack): Promise<void> {
  await eventually('the queue to drain', async () => {
    const h = (await e.agent('GET', '/v1/health')).body as { host: string; queue: { pending: number } };
    return h.host === 'online' && h.queue.pending === 0;
  });
}

/** The host's journal lines of the adjustments, per kind, as [transactionId, applied, received] (a burn reversal under its burn's id). */
async function adjustments(e: E2eStack): Promise<Record<string, [string, boolean, number][]>> {
  const out: Record<string, [string, boolean, number][]> = {};
  for (const j of await e.journal()) {
    if (j.kind !== 'refund' && j.kind !== 'earn-reversal' && j.kind !== 'reversal') continue;
    (out[j.kind] ??= []).push([j.transactionId, j.applied, j.received]);
  }
  return out;
}

for (const transport of ['rest', 'iso8583'] as const) {
  describe.skipIf(skipWithoutSocat)(`returns and voids over ${transport}`, () => {
    const e = e2eStackPerTest({ transport, hostTimeoutMs: 2000 });

    it('two partial returns, then a third over what is left is refused with nothing changed, then a void nets the card to where it was', async () => {
      // Checkout of 1000 redeeming 70 points: 930 due, 93 points earned. 2450 − 70 + 93 = 2473.
      const sale = await e.swiped('happy', 'POST', '/v1/checkout', { reference: 'sale-1', amount: 1000, redeemPoints: 70 });
      expect(sale.body).toMatchObject({ amountDue: 930, redemption: { status: 'approved', debited: 70 } });
      await drained(e);
      expect(await e.balanceOf('happy')).toBe(2473);

      // Return 333 of 1000: ⌈70·0.333⌉ = 24 given back, ⌊93·0.333⌋ = 30 taken back → 2467.
      const r1 = (await e.swiped('happy', 'POST', '/v1/returns', { reference: 'ret-1', originalReference: 'sale-1', amount: 333 })).body as unknown as Undo;
      expect(r1).toMatchObject({ status: 'accepted', amount: 333, remaining: 667, refund: { points: 24 }, earnReversal: { points: 30 } });
      await drained(e);
      expect(await e.balanceOf('happy')).toBe(2467);

      // Another 333 (666 in all): ⌈46.62⌉ − 24 = 23 given back, ⌊61.938⌋ − 30 = 31 taken back → 2459.
      const r2 = (await e.swiped('happy', 'POST', '/v1/returns', { reference: 'ret-2', originalReference: 'sale-1', amount: 333 })).body as unknown as Undo;
      expect(r2).toMatchObject({ status: 'accepted', remaining: 334, refund: { points: 23 }, earnReversal: { points: 31 } });
      await drained(e);
      expect(await e.balanceOf('happy')).toBe(2459);
      const journalBefore = await adjustments(e);

      // 400 more would pass the sale: refused before any swipe, nothing sent.
      const r3 = await e.agent('POST', '/v1/returns', { reference: 'ret-3', originalReference: 'sale-1', amount: 400 });
      expect(r3.body).toMatchObject({ status: 'declined', reason: 'return-exceeds-sale', remaining: 334 });
      expect(await adjustments(e)).toEqual(journalBefore);
      expect(await e.balanceOf('happy')).toBe(2459);

      // The void reverses the burn (the host gives back what the refunds left: 70 − 47 = 23) and takes back all
      // the earn keeps (93 − 61 = 32) → 2450.
      const v = (await e.swiped('happy', 'POST', '/v1/voids', { reference: 'void-1', originalReference: 'sale-1' })).body as unknown as Undo;
      expect(v).toMatchObject({ status: 'accepted', amount: 334, remaining: 0, refund: { points: 23 }, earnReversal: { points: 32 } });
      await drained(e);
      expect(await e.balanceOf('happy')).toBe(2450);

      // Every adjustment was received once and applied once: 2 refunds, 3 earn reversals, the burn's reversal.
      const adj = await adjustments(e);
      const burnId = (sale.body as { redemption: { transactionId: string } }).redemption.transactionId;
      expect(adj.refund?.map(([, applied, received]) => [applied, received])).toEqual([[true, 1], [true, 1]]);
      expect(adj['earn-reversal']?.map(([, applied, received]) => [applied, received])).toEqual([[true, 1], [true, 1], [true, 1]]);
      expect(adj.reversal).toEqual([[burnId, true, 1]]);
      // What the POS heard names exactly what the host applied.
      const heard = [r1, r2].map((u) => u.refund.transactionId).concat([r1, r2, v].map((u) => u.earnReversal.transactionId));
      expect(new Set(heard)).toEqual(new Set([...(adj.refund ?? []), ...(adj['earn-reversal'] ?? [])].map(([id]) => id)));

      // A void of a voided sale is refused; the void's retry gets its first answer, and nothing is sent again.
      expect((await e.agent('POST', '/v1/voids', { reference: 'void-2', originalReference: 'sale-1' })).body).toMatchObject({ status: 'declined', reason: 'sale-voided' });
      expect((await e.agent('POST', '/v1/voids', { reference: 'void-1', originalReference: 'sale-1' })).body).toEqual(v);
      expect(await adjustments(e)).toEqual(adj);
    });

    it('refuses a return with another card, and a sale it does not know, changing nothing', async () => {
      await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'sale-2', amount: 1000 });
      await drained(e);
      const before = [await e.balanceOf('happy'), await e.balanceOf('offer')];
      const other = await e.swiped('offer', 'POST', '/v1/returns', { reference: 'ret-4', originalReference: 'sale-2', amount: 100 });
      expect(other.body).toMatchObject({ status: 'declined', reason: 'card-mismatch' });
      expect((await e.agent('POST', '/v1/voids', { reference: 'void-3', originalReference: 'no-such-sale' })).body).toMatchObject({ status: 'declined', reason: 'sale-not-found' });
      expect(await adjustments(e)).toEqual({});
      expect([await e.balanceOf('happy'), await e.balanceOf('offer')]).toEqual(before);
      // The refused reference is free: the right card makes the return (⌊100·0.1⌋ = 10 points back).
      const ok = await e.swiped('happy', 'POST', '/v1/returns', { reference: 'ret-4', originalReference: 'sale-2', amount: 100 });
      expect(ok.body).toMatchObject({ status: 'accepted', earnReversal: { points: 10 } });
      await drained(e);
      expect(await e.balanceOf('happy')).toBe((before[0] as number) - 10);
    });

    it('a return after one whose earn reversal the host refused takes back only its own share, as its POS is told', async () => {
      // Earning of 1000: +100 → 2550. Then 2520 redeemed: 30 left.
      await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'sale-5', amount: 1000 });
      await drained(e);
      await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'spend-5', points: 2520 });
      await drained(e);
      expect(await e.balanceOf('happy')).toBe(30);
      // Return 500 of it: ⌊100·0.5⌋ = 50 to take back, more than the 30 left: the host refuses.
      const r1 = (await e.swiped('happy', 'POST', '/v1/returns', { reference: 'ret-7', originalReference: 'sale-5', amount: 500 })).body as unknown as Undo;
      expect(r1).toMatchObject({ status: 'accepted', earnReversal: { points: 50 } });
      await drained(e);
      expect(await e.balanceOf('happy')).toBe(30);
      await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'sale-6', amount: 1000 }); // +100 → 130
      await drained(e);

      // Return 300 more (800 of 1000 in all): ⌊80⌋ − ⌊50⌋ = 30 points. Over ISO 8583 its DE95 ("what the earn keeps")
      // was worked out as if the refused 50 had gone: the host took 80.
      const r2 = (await e.swiped('happy', 'POST', '/v1/returns', { reference: 'ret-8', originalReference: 'sale-5', amount: 300 })).body as unknown as Undo;
      expect(r2).toMatchObject({ status: 'accepted', earnReversal: { points: 30 } });
      await drained(e);
      expect(await e.balanceOf('happy')).toBe(100);
      const heard = (await e.agent('GET', '/v1/operations/ret-8')).body as { answer: Undo };
      expect(heard.answer.earnReversal).toMatchObject({ status: 'done', points: 30 });
      const lines = (await e.journal()).filter((j) => j.kind === 'earn-reversal').map((j) => [j.transactionId, j.applied, j.received]);
      expect(lines).toEqual([
        [r1.earnReversal.transactionId, false, 1],
        [r2.earnReversal.transactionId, true, 1],
      ]);
    });

    it('a void of a sale whose earn credited nothing has no earn reversal to send, and leaves nothing dead', async () => {
      // 1005 redeeming 1000: 5 due, ⌊0.5⌋ = 0 points earned. 2450 − 1000 = 1450.
      const sale = await e.swiped('happy', 'POST', '/v1/checkout', { reference: 'sale-7', amount: 1005, redeemPoints: 1000 });
      expect(sale.body).toMatchObject({ redemption: { status: 'approved', debited: 1000 }, earning: { status: 'accepted' }, amountDue: 5 });
      await drained(e);
      expect(await e.balanceOf('happy')).toBe(1450);
      // Before, the void sent an earn reversal of all that is left (0): refused (L13, DE39 13), answered `refused`, dead.
      const v = (await e.swiped('happy', 'POST', '/v1/voids', { reference: 'void-7', originalReference: 'sale-7' })).body as unknown as Undo;
      expect(v).toMatchObject({ status: 'accepted', refund: { points: 1000 }, earnReversal: { status: 'none', points: 0 } });
      await drained(e);
      expect(await e.balanceOf('happy')).toBe(2450);
      expect((await e.journal()).filter((j) => j.kind === 'earn-reversal')).toEqual([]);
      expect((await e.agent('GET', '/v1/health')).body).toMatchObject({ queue: { dead: 0 } });
    });

    it('a return taken while the host is away queues behind its sale and drains after it, in order', async () => {
      await e.stack.stopHost();
      // An earning of 1000 (100 points) and then a return of 250 of it, both while the host is away.
      const sale = await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'sale-3', amount: 1000 });
      expect(sale.body).toMatchObject({ status: 'accepted', queued: true });
      const ret = (await e.swiped('happy', 'POST', '/v1/returns', { reference: 'ret-5', originalReference: 'sale-3', amount: 250 })).body as unknown as Undo;
      // The earn's points are not known yet: the share is worked out when it is sent.
      expect(ret).toMatchObject({ status: 'accepted', queued: true, earnReversal: { status: 'queued', points: null } });
      await e.stack.startHost();
      await drained(e);
      // ⌊100·0.25⌋ = 25 taken back: 2450 + 100 − 25.
      expect(await e.balanceOf('happy')).toBe(2525);
      const order = (await e.entriesOf('happy')).map((x) => [x.kind, x.transactionId]);
      expect(order).toEqual([
        ['earn', (sale.body as { transactionId: string }).transactionId],
        ['earn-reversal', ret.earnReversal.transactionId],
      ]);
      // The POS can look the outcome up.
      const looked = (await e.agent('GET', '/v1/operations/ret-5')).body as { state: string; answer: Undo; operations: { kind: string; state: string }[] };
      expect(looked).toMatchObject({ state: 'final', operations: [{ kind: 'earn-reversal', state: 'done', reason: null }] });
      // Its answer, looked up or replayed to a retry, says what the host has now: done, 25 points, nothing queued.
      const settled = { ...ret, queued: false, earnReversal: { ...ret.earnReversal, status: 'done', points: 25 } };
      expect(looked.answer).toEqual(settled);
      expect((await e.swiped('happy', 'POST', '/v1/returns', { reference: 'ret-5', originalReference: 'sale-3', amount: 250 })).body).toEqual(settled);
    });

    if (transport === 'rest') {
      it('a return whose agent died between its commit and its answer is answered, after the restart, with the steps the host applied', async () => {
        // Checkout of 2000 redeeming 100 points: 1900 due, 190 earned.
        const sale = await e.swiped('happy', 'POST', '/v1/checkout', { reference: 'sale-k', amount: 2000, redeemPoints: 100 });
        expect(sale.body).toMatchObject({ redemption: { status: 'approved', debited: 100 }, earning: { status: 'accepted' } });
        await drained(e);
        await e.stack.agent.stop('SIGTERM');
        await e.stack.startAgent({ POS_AGENT_FAILPOINT: 'undo-committed' });
        const body = { reference: 'ret-k', originalReference: 'sale-k', amount: 500 };
        await expect(e.swiped('happy', 'POST', '/v1/returns', body)).rejects.toThrow(); // the agent died: the POS heard nothing
        await e.stack.agent.stop('SIGKILL');
        await e.stack.startAgent();
        await drained(e);
        // 500 of 2000: ⌈100·0.25⌉ = 25 given back, ⌊190·0.25⌋ = 47 taken back; each applied once.
        const adj = await adjustments(e);
        expect(adj.refund?.map(([, applied, received]) => [applied, received])).toEqual([[true, 1]]);
        expect(adj['earn-reversal']?.map(([, applied, received]) => [applied, received])).toEqual([[true, 1]]);
        const expected = {
          status: 'accepted', amount: 500, queued: false,
          refund: { status: 'done', points: 25, transactionId: adj.refund?.[0]?.[0] },
          earnReversal: { status: 'done', points: 47, transactionId: adj['earn-reversal']?.[0]?.[0] },
        };
        const retried = (await e.swiped('happy', 'POST', '/v1/returns', body)).body;
        expect(retried).toMatchObject(expected);
        const looked = (await e.agent('GET', '/v1/operations/ret-k')).body as { answer: unknown; operations: { state: string; reason: string | null }[] };
        expect(looked.answer).toEqual(retried);
        expect(looked.operations).toEqual([expect.objectContaining({ state: 'done', reason: null }), expect.objectContaining({ state: 'done', reason: null })]);
        expect(await adjustments(e)).toEqual(adj); // the retry sent nothing again
        expect(await e.balanceOf('happy')).toBe(2450 - 100 + 190 + 25 - 47);
      });
    }

    if (transport === 'rest') {
      it('a return below the offer minimum spend undoes its redemption, and the void after it nets every account', async () => {
        // 1000 with the 10% discount (100) and 200 points: 700 due, 70 earned. 800 − 200 + 70 = 670.
        const sale = await e.swiped('offer', 'POST', '/v1/checkout', { reference: 'sale-4', amount: 1000, redeemPoints: 200, acceptOffer: true });
        expect(sale.body).toMatchObject({ offer: { status: 'applied', benefit: 100 }, redemption: { status: 'approved', debited: 200 }, amountDue: 700 });
        await drained(e);
        expect(await e.balanceOf('offer')).toBe(670);

        // A return of 600 leaves 400, below the minimum spend (500): the redemption is undone, 100 taken back.
        const r = (await e.swiped('offer', 'POST', '/v1/returns', { reference: 'ret-6', originalReference: 'sale-4', amount: 600 })).body as unknown as Undo;
        expect(r).toMatchObject({ status: 'accepted', refund: { points: 120 }, earnReversal: { points: 42 }, offer: { status: 'reversed', clawBack: 100 } });
        const v = (await e.swiped('offer', 'POST', '/v1/voids', { reference: 'void-4', originalReference: 'sale-4' })).body as unknown as Undo;
        expect(v).toMatchObject({ status: 'accepted', refund: { points: 80 }, earnReversal: { points: 28 }, offer: { status: 'already-reversed', clawBack: 0 } });
        await drained(e);
        expect(await e.balanceOf('offer')).toBe(800);
        expect(r.offer.transactionId).toEqual(expect.any(String));
      });
    }
  });
}
