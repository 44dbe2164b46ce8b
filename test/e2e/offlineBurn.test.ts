/**
 * Offline burns end to end (store-and-forward rule 4): with `offline.enabled`
 * and limits in the config, a redemption while the host is away is approved
 * only within the limits, queued durably, and forwarded (balance → burn) once
 * the host is back. Outside the limits the POS gets `unavailable`.
 * The counter comes from startCounter, its reader on a socat pseudo-terminal; the host "goes away" as its
 * link is cut (connections refused).
 */
import { describe, expect, it } from 'vitest';
import { eventually, skipWithoutSocat } from '../support/e2eStack.js';
import { counterForSuite } from '../support/counterSuite.js';

const LIMITS = { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 200, maxTotalPoints: 300, maxCount: 5, maxAgeS: 3600 };

describe.skipIf(skipWithoutSocat)('offline burns within the configured limits', () => {
  const e = counterForSuite({ reader: 'pty', hostTimeoutMs: 1500, offline: LIMITS });

  it('approves within the limits while the host is away, refuses beyond them, and forwards on return', async () => {
    const before = await e.balanceOf('happy');
    await e.counter.host.online(false);

    const first = await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'off-1', points: 150 });
    expect(first.body).toMatchObject({ status: 'approved', debited: 150, balanceAfter: null, queued: true });
    // Over the per-transaction limit (200).
    expect((await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'off-2', points: 250 })).body).toMatchObject({ status: 'unavailable' });
    // 150 outstanding + 200 would pass the total limit (300).
    expect((await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'off-3', points: 200 })).body).toMatchObject({ status: 'unavailable' });
    const second = await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'off-4', points: 100 });
    expect(second.body).toMatchObject({ status: 'approved', debited: 100, queued: true });

    await e.counter.host.online(true);
    await eventually('the offline burns to be forwarded', async () => {
      const h = (await e.agent('GET', '/v1/health')).body as { host: string; queue: { pending: number } };
      return h.host === 'online' && h.queue.pending === 0;
    });
    const burns = (await e.entriesOf('happy')).filter((x) => x.kind === 'burn').map((x) => [x.transactionId, x.points]);
    expect(burns).toEqual([
      [first.body.transactionId, -150],
      [second.body.transactionId, -100],
    ]);
    expect(await e.balanceOf('happy')).toBe(before - 250);
    expect(e.leaks()).toEqual([]);
  });
});
