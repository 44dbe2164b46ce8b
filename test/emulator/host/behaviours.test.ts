import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES } from '../../../emulator/host/fixtures.js';
import { balanceOf, card, codeOf, hostPerTest, MERCHANT, TERMINAL } from './hostFixture.js';

const emu = hostPerTest();
const { api } = emu;

const ledgerEntries = async () =>
  ((await (await fetch(`${emu.host.url}/_emulator/ledger`)).json()) as { entries: { transactionId: string; kind: string; points: number }[] }).entries;

describe('fixture card behaviours', () => {
  it('host-error answers 500 L96 to balance and earn, and touches nothing', async () => {
    await emu.start();
    const c = card('host-error');
    const b = await balanceOf(api, c);
    expect(b.status).toBe(500);
    expect(codeOf(b.body)).toBe('L96');
    const e = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body: { merchantId: MERCHANT, terminalId: TERMINAL, pan: c.pan, expiryDate: c.expiry, transactionId: 'he', amount: '100' } });
    expect(e.status).toBe(500);
    expect(codeOf(e.body)).toBe('L96');
    expect(await ledgerEntries()).toEqual([]);
  });

  it('slow holds its answer (another card is served meanwhile); closing the host ends the wait', async () => {
    await emu.start({ fixtures: { ...DEFAULT_FIXTURES, slowDelayS: 3600 } });
    let settled = false;
    const slow = balanceOf(api, card('slow')).then(
      () => { settled = true; },
      () => { settled = true; },
    );
    const fast = await balanceOf(api, card('happy'));
    expect(fast.status).toBe(200);
    expect(settled).toBe(false);
    await emu.host.close();
    await slow;
    expect(settled).toBe(true);
  });

  it('slow commits the burn before it waits', async () => {
    await emu.start({ fixtures: { ...DEFAULT_FIXTURES, slowDelayS: 3600 } });
    const c = card('slow');
    const { rewardTrxId } = emu.host.ledger.balance({ pan: c.pan, expiry: c.expiry }, { merchantId: MERCHANT, terminalId: TERMINAL });
    let settled = false;
    const slow = api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body: { rewardTrxId, transactionId: 'slow-1', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '10' }] } })
      .finally(() => { settled = true; })
      .catch(() => undefined);
    // Bounded wait on the condition (each round is one real request to the host).
    let entries: { transactionId: string }[] = [];
    for (let i = 0; i < 200 && entries.length === 0; i++) entries = await ledgerEntries();
    expect(entries.map((e) => e.transactionId)).toEqual(['slow-1']);
    expect(settled).toBe(false);
    await emu.host.close();
    await slow;
  });

  it('commit-then-drop applies the burn, drops the connection, and answers a retry with the stored result', async () => {
    await emu.start();
    const c = card('commit-then-drop');
    const id = ((await balanceOf(api, c)).body as { rewardTrxId: string }).rewardTrxId;
    const body = { rewardTrxId: id, transactionId: 'ctd-1', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '300' }] };
    await expect(api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body })).rejects.toThrow();
    expect((await ledgerEntries()).map((e) => [e.transactionId, e.kind, e.points])).toEqual([['ctd-1', 'burn', -300]]);
    const retry = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ rewardTrxId: id, accounts: [{ accountId: '12', accountType: '1', debit: '300', balance: '700' }] });
    expect(await ledgerEntries()).toHaveLength(1);
  });

  it('commit-then-drop applies an earn, then drops', async () => {
    await emu.start();
    const c = card('commit-then-drop');
    const body = { merchantId: MERCHANT, terminalId: TERMINAL, pan: c.pan, expiryDate: c.expiry, transactionId: 'ctd-e', amount: '1000' };
    await expect(api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body })).rejects.toThrow();
    expect((await ledgerEntries()).map((e) => [e.transactionId, e.kind, e.points])).toEqual([['ctd-e', 'earn', 100]]);
    expect((await balanceOf(api, c)).status).toBe(200);
  });
});
