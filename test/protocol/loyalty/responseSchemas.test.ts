import { describe, expect, it } from 'vitest';
import { balanceResponseSchema, redeemResponseSchema, reversalResponseSchema, tokenResponseSchema } from '../../../protocol/loyalty/index.js';

describe('Loyalty REST response schemas: host answers → contract values', () => {
  it('balance: numeric ids and amounts become strings; a null accountName becomes empty; unknown keys go', () => {
    const out = balanceResponseSchema.parse({ rewardTrxId: 2263234, extra: 1, accounts: [{ accountId: 12, accountName: null, accountType: 1, availableBalance: 2450 }] });
    expect(out).toEqual({ rewardTrxId: '2263234', accounts: [{ accountId: '12', accountName: '', accountType: '1', availableBalance: '2450' }] });
  });

  it('balance: string amounts stay as they are', () => {
    const out = balanceResponseSchema.parse({ rewardTrxId: '9', accounts: [{ accountId: '12', accountName: 'Reward Points', accountType: '1', availableBalance: '-5' }] });
    expect(out.accounts[0]?.availableBalance).toBe('-5');
  });

  it.each([
    { name: 'a decimal amount', body: { rewardTrxId: '1', accounts: [{ accountId: '12', accountType: '1', availableBalance: '1.5' }] } },
    { name: 'a 16-digit amount', body: { rewardTrxId: '1', accounts: [{ accountId: '12', accountType: '1', availableBalance: '1234567890123456' }] } },
    { name: 'an empty id', body: { rewardTrxId: '', accounts: [] } },
    { name: 'no accounts', body: { rewardTrxId: '1' } },
  ])('balance refuses $name', ({ body }) => {
    expect(balanceResponseSchema.safeParse(body).success).toBe(false);
  });

  it('redeem, reversal and token', () => {
    expect(redeemResponseSchema.parse({ rewardTrxId: '2263176', accounts: [{ accountId: '12', accountType: '1', debit: 100, balance: '2350' }] }))
      .toEqual({ rewardTrxId: '2263176', accounts: [{ accountId: '12', accountType: '1', debit: '100', balance: '2350' }] });
    expect(reversalResponseSchema.parse({ originalTransactionId: 'b', reversed: true, accounts: [] })).toEqual({ reversed: true });
    expect(reversalResponseSchema.safeParse({ reversed: 'yes' }).success).toBe(false);
    expect(tokenResponseSchema.parse({ access_token: 't', token_type: 'bearer', expires_in: 43199 })).toEqual({ access_token: 't', expires_in: 43199 });
    expect(tokenResponseSchema.safeParse({ access_token: '', expires_in: 1 }).success).toBe(false);
  });
});
