/**
 * HTTPS to the host, as a terminal in the field would use it: the host
 * emulator serves TLS with a certificate made at start-up, the agent trusts it
 * only through `host.caFile`, and a redemption and an earning go through.
 * The counter comes from startCounter, its reader on a socat pseudo-terminal.
 */
import { describe, expect, it } from 'vitest';
import { eventually, skipWithoutSocat } from '../support/e2eStack.js';
import { counterForSuite } from '../support/counterSuite.js';

describe.skipIf(skipWithoutSocat)('agent to host over real TLS', () => {
  const e = counterForSuite({ reader: 'pty', tls: true, hostTimeoutMs: 2000 });

  it('serves https and the agent reaches it with host.caFile', async () => {
    expect(e.counter.host.url.startsWith('https://127.0.0.1:')).toBe(true);
    const r = await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'tls-1', points: 50 });
    expect(r.body).toMatchObject({ status: 'approved', debited: 50, balanceAfter: 2400 });
    const a = await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'tls-2', amount: 1000 });
    expect(a.body).toMatchObject({ status: 'accepted' });
    await eventually('the host to confirm the earning', async () =>
      JSON.stringify((await e.agent('GET', '/v1/queue?state=done')).body).includes(String(a.body.transactionId)),
    );
    expect(e.leaks()).toEqual([]);
  });
});
