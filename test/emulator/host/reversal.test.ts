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

  it('remembers a reversal that came before its original (L25), and refuses the late original with 409 L94', async () => {
    const id = ((await balanceOf(api, card('happy'))).body as { rewardTrxId: string }).rewardTrxId;
    const before = await available();
    const early = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem/late-1/reversal', body: { transactionId: 'late-1-rev' } });
    expect(early.status).toBe(404);
    expect((early.body as { error: { code: string } }).error.code).toBe('L25');
    const late = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem', body: { rewardTrxId: id, transactionId: 'late-1', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '100' }] } });
    expect(late.status).toBe(409);
    expect((late.body as { error: { code: string } }).error.code).toBe('L94');
    expect(await available()).toBe(before);
    // The reversal's retry still finds nothing to undo.
    const again = await api({ method: 'POST', path: '/api/v1/loyalty/rewards/redeem/late-1/reversal', body: { transactionId: 'late-1-rev' } });
    expect((again.body as { error: { code: string } }).error.code).toBe('L25');
  });
});
