import { describe, expect, it } from 'vitest';
import { balanceOf, card, hostForFile } from './hostFixture.js';

const { api } = hostForFile({ db: ':memory:' });

describe('concurrent burns', () => {
  it('100 concurrent burns of 100 on a 2450-point card approve exactly 24 and never overdraw', async () => {
    const id = ((await balanceOf(api, card('happy'))).body as { rewardTrxId: string }).rewardTrxId;
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body: { rewardTrxId: id, transactionId: `c-${i}`, redemptionMandates: [{ accountId: '12', accountType: '1', debit: '100' }] } }),
      ),
    );
    const approved = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 422);
    expect(approved).toHaveLength(24);
    expect(refused).toHaveLength(76);
    for (const r of refused) expect((r.body as { error: { code: string } }).error.code).toBe('L51');
    const balances = approved.map((r) => Number((r.body as { accounts: { balance: string }[] }).accounts[0]?.balance)).sort((a, b) => a - b);
    expect(balances[0]).toBe(50);
    expect(new Set(balances).size).toBe(24);
    const after = (await balanceOf(api, card('happy'))).body as { accounts: { availableBalance: string }[] };
    expect(after.accounts[0]?.availableBalance).toBe('50');
  });
});
