import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES } from '../../../emulator/host/fixtures.js';
import { balanceOf, card, hostForFile, MERCHANT, TERMINAL } from './hostFixture.js';

const emu = hostForFile();
const { api } = emu;

describe('GET /_emulator/ledger and /_emulator/fixtures', () => {
  it('shows balances by masked PAN and card name, and every debit and credit', async () => {
    const c = card('happy');
    const id = ((await balanceOf(api, c)).body as { rewardTrxId: string }).rewardTrxId;
    await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body: { rewardTrxId: id, transactionId: 'b1', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '100' }] } });
    await api({ method: 'POST', path: '/api/v1/loyalty/rewards/earn', body: { merchantId: MERCHANT, terminalId: TERMINAL, pan: c.pan, expiryDate: c.expiry, transactionId: 'e1', amount: '500' } });
    await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem/b1/reversal' });
    const res = await fetch(`${emu.host.url}/_emulator/ledger`);
    const text = await res.text();
    const body = JSON.parse(text) as { cards: { name: string; pan: string; accounts: { balance: number }[] }[]; entries: { transactionId: string; kind: string; points: number; time: string }[] };
    expect(body.cards.find((x) => x.name === 'happy')).toEqual({
      name: 'happy', pan: '628000******0016', kind: 'card',
      accounts: [{ accountId: '12', accountName: 'Reward Points', accountType: '1', balance: 2500 }],
    });
    expect(body.cards.map((x) => x.name)).not.toContain('unknown');
    expect(body.entries.map((e) => [e.transactionId, e.kind, e.points])).toEqual([['b1', 'burn', -100], ['e1', 'earn', 50], ['b1', 'reversal', 100]]);
    expect(body.entries[0]?.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    for (const f of DEFAULT_FIXTURES.cards) expect(text).not.toContain(f.pan);
  });

  it('lists the fixture cards with name, PAN, expiry and accounts', async () => {
    const body = (await (await fetch(`${emu.host.url}/_emulator/fixtures`)).json()) as { cards: { name: string; pan: string; expiry: string; accounts: unknown[] }[] };
    expect(body.cards.map((x) => x.name)).toEqual(['happy', 'empty', 'expired', 'unknown', 'offer', 'slow', 'host-error', 'commit-then-drop']);
    expect(body.cards[0]).toMatchObject({ name: 'happy', pan: '6280000000000016', expiry: '3012', accounts: [{ accountId: '12', balance: 2450 }] });
  });
});
