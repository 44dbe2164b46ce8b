/**
 * Crash safety of redemptions, with the real agent process: `pos-agent run` is
 * killed with SIGKILL at seeded moments while it takes redemptions, over REST
 * and ISO 8583, with offline burns on and off. Some kills are aimed, through
 * the agent's test failpoints (agent/failpoint.ts), at the windows between
 * durable steps: after a burn's record is written and while its balance call
 * is in flight, after the host approved a burn and before its approval is
 * committed, after that commit and before the POS hears it, and after the host
 * answered a forwarded offline burn. After each restart every reference is
 * retried with the same body. At the end, what the POS heard is checked
 * against what the host applied, per reference and per transactionId:
 * - every burn heard approved is applied on the host once, and never reversed;
 * - every other burn is not applied, or reversed;
 * - a reference answered once is answered the same after the restart.
 */
import { describe, expect, it } from 'vitest';
import { toRrn } from '../../protocol/iso8583/rrn.js';
import type { PosAnswer } from '../../emulator/stack/posClient.js';
import { prng } from '../../emulator/fleet/prng.js';
import { e2eStackForSuite, eventually, skipWithoutSocat, type JournalEntry } from '../support/e2eStack.js';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 5);
const OFFLINE = ['offline:', '  enabled: true', '  maxPointsPerTxn: 500', '  maxTotalPoints: 2000', '  maxCount: 10', '  maxAgeS: 3600', '  unknownCards: allow'].join('\n');
const FINAL = new Set(['approved', 'declined']);

type Mode = 'burn-written' | 'burn-answered' | 'burn-committed' | 'forward-answered' | 'timer';

describe.skipIf(skipWithoutSocat).each([
  { transport: 'rest' as const, offline: true },
  { transport: 'rest' as const, offline: false },
  { transport: 'iso8583' as const, offline: true },
  { transport: 'iso8583' as const, offline: false },
])('agent SIGKILLed during redemptions ($transport, offline burns $offline)', ({ transport, offline }) => {
  const e = e2eStackForSuite({ hostTimeoutMs: 1500, transport, extraConfig: offline ? OFFLINE : '' });
  const seed = Number(process.env.CRASH_SEED ?? 20261201) + (transport === 'rest' ? 0 : 2) + (offline ? 0 : 1);
  const random = prng(seed);
  const hostId = (txn: string) => (transport === 'iso8583' ? toRrn(txn) : txn);

  it(`keeps what the POS heard true across ${ROUNDS} kills (seed ${seed})`, async () => {
    /** reference → its body and the first final answer the POS heard. */
    const sales = new Map<string, { body: { reference: string; points: number }; heard?: Record<string, unknown> }>();
    const redeem = async (reference: string): Promise<PosAnswer | undefined> => {
      const sale = sales.get(reference)!;
      const card = reference.endsWith('o') ? 'offer' : 'happy';
      try {
        const a = await e.swiped(card, 'POST', '/v1/redemptions', { ...sale.body, timeoutMs: 4000 });
        if (a.status === 200 && FINAL.has(String(a.body.status)) || a.body.reason === 'no-answer-reversed') {
          if (sale.heard) expect(a.body, `reference ${reference} answered differently after a restart`).toEqual(sale.heard);
          sale.heard ??= a.body;
        }
        return a;
      } catch {
        return undefined; // the agent died under this call: the POS heard nothing
      }
    };
    const newSale = (round: number, n: number) => {
      const reference = `k${round}-${n}${random() < 0.3 ? 'o' : 'h'}`;
      sales.set(reference, { body: { reference, points: 5 + Math.floor(random() * 40) } });
      return reference;
    };

    for (let round = 0; round < ROUNDS; round++) {
      const modes: Mode[] = offline
        ? ['burn-written', 'burn-answered', 'burn-committed', 'forward-answered', 'timer']
        : ['burn-written', 'burn-answered', 'burn-committed', 'timer'];
      // Every window once (in order), then seeded picks.
      const mode = (round < modes.length ? modes[round] : modes[Math.floor(random() * modes.length)]) as Mode;
      await e.stack.agent.stop('SIGKILL');
      const nth = 1 + Math.floor(random() * 2);
      await e.stack.startAgent(mode === 'timer' ? {} : { POS_AGENT_FAILPOINT: `${mode}:${nth}` });
      const agent = e.stack.agent;
      const alive = () => agent.proc.exitCode === null && agent.proc.signalCode === null;
      let killer: NodeJS.Timeout | undefined;
      if (mode === 'timer') killer = setTimeout(() => agent.proc.kill('SIGKILL'), 100 + Math.floor(random() * 900));

      if (mode === 'forward-answered') {
        // Offline burns approved while the host is away; the agent dies as the host answers the forwarded burn.
        await e.stack.stopHost();
        for (let n = 0; n < 2; n++) await redeem(newSale(round, n));
        await e.stack.startHost();
        await eventually('the agent to die forwarding', async () => !alive(), 100, 100).catch(() => agent.proc.kill('SIGKILL'));
      } else {
        for (let n = 0; n < 6 && alive(); n++) await redeem(newSale(round, n));
      }
      clearTimeout(killer);
      agent.proc.kill('SIGKILL');
      await agent.exited;
      await e.stack.startAgent();
      // The POS retries every sale of the round with the same reference and body.
      for (const [reference] of [...sales].filter(([r]) => r.startsWith(`k${round}-`))) await redeem(reference);
      const q = await e.agent('GET', '/v1/queue?limit=1');
      expect(q.body).toMatchObject({ stats: { invariantHolds: true } });
    }

    const heard = [...sales.values()].map((s) => s.heard).filter((h): h is Record<string, unknown> => h !== undefined);
    expect(heard.length).toBeGreaterThanOrEqual(ROUNDS);
    const approved = new Set(heard.filter((h) => h.status === 'approved').map((h) => hostId(String(h.transactionId))));
    const notApproved = heard.filter((h) => h.status !== 'approved').map((h) => hostId(String(h.transactionId)));

    const standing = (j: JournalEntry[]) => new Set(j.filter((x) => x.kind === 'burn' && x.applied && !x.reversed).map((x) => x.transactionId));
    await eventually('every burn to settle on the host as the POS heard it', async () => {
      await e.agent('POST', '/v1/queue/flush');
      const s = standing(await e.journal());
      return [...approved].every((t) => s.has(t)) && notApproved.every((t) => !s.has(t));
    }, 60, 250).catch(() => undefined);

    const journal = await e.journal();
    const debited = standing(journal);
    for (const txn of approved) expect(debited.has(txn), `burn ${txn} was heard approved but is not debited`).toBe(true);
    for (const txn of notApproved) expect(debited.has(txn), `burn ${txn} was heard not approved but is debited`).toBe(false);
    // Nothing stands debited that the POS did not hear approved (a debit from a call it never heard an answer to is reversed).
    expect([...debited].filter((t) => !approved.has(t))).toEqual([]);
    expect(e.panLeaks()).toEqual([]);
  }, 240_000);
});
