/**
 * host.transport: iso8583 end to end: the agent talks ISO 8583 over TCP to
 * the host emulator's ISO port, and the same ledger the REST API shows moves.
 * The counter comes from startCounter, its reader on a socat pseudo-terminal.
 */
import { describe, expect, it } from 'vitest';
import { eventually, skipWithoutSocat } from '../support/e2eStack.js';
import { counterForSuite } from '../support/counterSuite.js';

describe.skipIf(skipWithoutSocat)('agent over the ISO 8583 link', () => {
  const e = counterForSuite({ reader: 'pty', transport: 'iso8583', hostTimeoutMs: 2000 });

  it('burns through 0200/0210 and the host ledger shows the debit', async () => {
    const a = await e.swiped('happy', 'POST', '/v1/redemptions', { reference: 'iso-1', points: 150 });
    expect(a.body).toMatchObject({ status: 'approved', debited: 150, balanceAfter: 2300 });
    expect(await e.balanceOf('happy')).toBe(2300);
  });

  it('declines insufficient points (DE39 51) and an unknown card (14)', async () => {
    expect((await e.swiped('empty', 'POST', '/v1/redemptions', { reference: 'iso-2', points: 10 })).body).toMatchObject({ status: 'declined', reason: 'insufficient-points' });
    expect((await e.swiped('unknown', 'POST', '/v1/redemptions', { reference: 'iso-3', points: 10 })).body).toMatchObject({ status: 'declined', reason: 'unknown-card' });
  });

  it('earns through 0220 advices, applied once', async () => {
    const a = await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'iso-4', amount: 2000 });
    expect(a.body).toMatchObject({ status: 'accepted' });
    await eventually('the earning to reach the host', async () => (await e.balanceOf('happy')) === 2500);
  });

  it('reverses a burn whose answer was dropped (0420), netting the ledger to zero', async () => {
    const before = await e.balanceOf('commit-then-drop');
    const a = await e.swiped('commit-then-drop', 'POST', '/v1/redemptions', { reference: 'iso-5', points: 100 });
    expect(a.body).toMatchObject({ status: 'unavailable', reason: 'no-answer-reversed' });
    await eventually('the reversal to reach the host', async () => (await e.entriesOf('commit-then-drop')).some((x) => x.kind === 'reversal'));
    expect(await e.balanceOf('commit-then-drop')).toBe(before);
    expect(e.leaks()).toEqual([]);
  });
});
