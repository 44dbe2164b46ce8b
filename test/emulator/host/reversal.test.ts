import { describe, expect, it } from 'vitest';
import { balanceOf, card, hostForFile } from './hostFixture.js';

const { api } = hostForFile();

const available = async (): Promise<string | undefined> =>
  ((await balanceOf(api, card('happy'))).body as { accounts: { availableBalance: string }[] }).accounts[0]?.availableBalance;

describe('POST /api/v1/loyalty/rewards/redeem/{transactionId}/reversal', () => {
  it('restores the points, idempotently', async () => {
    const id = ((await balanceOf(api, card('happy'))).body as { rewardTrxId: string }).rewardTrxId;
    const b = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body: { rewardTrxId: id, transactionId: 'burn-1', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '450' }] } });
    expect(b.status).toBe(200);
    expect(await available()).toBe('2000');
    const first = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem/burn-1/reversal', body: { transactionId: 'rev-1' } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ originalTransactionId: 'burn-1', reversed: true, accounts: [{ accountId: '12', accountType: '1', debit: '450', balance: '2450' }] });
    expect(await available()).toBe('2450');
    const second = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem/burn-1/reversal' });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await available()).toBe('2450');
    // A reversed burn replays its first answer and does not debit again.
    const replay = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body: { rewardTrxId: id, transactionId: 'burn-1', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '450' }] } });
    expect(replay.status).toBe(200);
    expect(await available()).toBe('2450');
  });

  it('answers 404 L25 for an unknown original', async () => {
    const r = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem/never-sent/reversal', body: {} });
    expect(r.status).toBe(404);
    expect((r.body as { error: { code: string } }).error.code).toBe('L25');
  });
});
