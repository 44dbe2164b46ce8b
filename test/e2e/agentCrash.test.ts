/**
 * Crash safety of the real agent process: `pos-agent run` takes earnings from
 * the POS (card swiped on the socat reader) and is killed with SIGKILL at
 * seeded random moments, sometimes with the host away so work is queued. It is
 * restarted on the same queue file each time. Finally the queue drains, and
 * every earning the POS heard "accepted" for is on the host ledger exactly
 * once; nothing is applied twice. (test/agent/queue/crashSafety.test.ts does
 * 30 kills of a lighter child at the queue level; this one runs the whole agent.)
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../../emulator/fleet/prng.js';
import { e2eStackForSuite, eventually, skipWithoutSocat } from '../support/e2eStack.js';

const KILLS = 8;

describe.skipIf(skipWithoutSocat)('agent killed with SIGKILL while taking earnings', () => {
  const e = e2eStackForSuite({ hostTimeoutMs: 1500 });
  const seed = Number(process.env.CRASH_SEED ?? 20261122);
  const random = prng(seed);

  it(`applies every accepted earning exactly once across ${KILLS} kills (seed ${seed})`, async () => {
    const accepted: string[] = [];
    for (let round = 0; round < KILLS; round++) {
      const hostAway = round % 3 === 1;
      if (hostAway) await e.stack.stopHost();
      const agent = e.stack.agent;
      const killAfterMs = 150 + Math.floor(random() * 900);
      const killer = setTimeout(() => agent.proc.kill('SIGKILL'), killAfterMs);
      // Take earnings until the agent dies under us (bounded: at most 20 per round).
      for (let n = 0; n < 20 && agent.proc.exitCode === null && agent.proc.signalCode === null; n++) {
        const card = random() < 0.5 ? 'happy' : 'offer';
        try {
          const a = await e.swiped(card, 'POST', '/v1/earnings', { reference: `crash-${round}-${n}`, amount: 100 + n });
          if (a.status === 200 && a.body.status === 'accepted') accepted.push(String(a.body.transactionId));
        } catch {
          break; // the agent is gone: this earning may or may not be durable; the POS did not hear "accepted"
        }
      }
      clearTimeout(killer);
      agent.proc.kill('SIGKILL');
      await agent.exited;
      if (hostAway) await e.stack.startHost();
      await e.stack.startAgent();
      const q = await e.agent('GET', '/v1/queue?limit=1');
      expect(q.body).toMatchObject({ stats: { invariantHolds: true } });
    }
    expect(accepted.length).toBeGreaterThan(KILLS);

    await eventually('the queue to drain', async () => {
      const h = (await e.agent('GET', '/v1/health')).body as { host: string; queue: { pending: number; dead: number } };
      return h.host === 'online' && h.queue.pending === 0;
    }, 200, 100);
    const health = (await e.agent('GET', '/v1/health')).body as { queue: { dead: number } };
    expect(health.queue.dead).toBe(0);

    const earns = (await e.ledger()).entries.filter((x) => x.kind === 'earn').map((x) => x.transactionId);
    const times = new Map<string, number>();
    for (const id of earns) times.set(id, (times.get(id) ?? 0) + 1);
    expect([...times.values()].every((n) => n === 1)).toBe(true); // nothing applied twice
    for (const id of accepted) expect(times.get(id), `accepted earning ${id}`).toBe(1); // nothing accepted is lost
    // Per transactionId, what the host received against what it applied: every accepted earning arrived and was applied.
    const journal = new Map((await e.journal()).filter((j) => j.kind === 'earn').map((j) => [j.transactionId, j]));
    for (const id of accepted) expect(journal.get(id), `accepted earning ${id}`).toMatchObject({ applied: true });
    expect(e.panLeaks()).toEqual([]);
  }, 180_000);
});
