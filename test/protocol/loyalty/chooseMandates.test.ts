import { describe, expect, it } from 'vitest';
import { chooseMandates } from '../../../protocol/loyalty/mandate.js';
import type { RewardAccount } from '../../../protocol/loyalty/mandate.js';

const acct = (accountId: string, accountType: string, availableBalance: number): RewardAccount => ({
  accountId,
  accountName: '',
  accountType,
  availableBalance,
});

describe('chooseMandates', () => {
  it('debits a single pool account', () => {
    expect(chooseMandates([acct('12', '1', 2450)], 100)).toEqual([{ accountId: '12', accountType: '1', debit: 100 }]);
  });

  it('takes type-1 accounts first even when listed later', () => {
    const accounts = [acct('7', '2', 500), acct('12', '1', 300)];
    // 300 from the pool account 12, the remaining 150 from account 7.
    expect(chooseMandates(accounts, 450)).toEqual([
      { accountId: '12', accountType: '1', debit: 300 },
      { accountId: '7', accountType: '2', debit: 150 },
    ]);
  });

  it('never debits above the available balance and refuses a shortfall', () => {
    expect(chooseMandates([acct('12', '1', 99)], 100)).toBeNull();
    expect(chooseMandates([acct('12', '1', 0)], 1)).toBeNull();
    expect(chooseMandates([], 1)).toBeNull();
  });

  it('skips empty and negative accounts', () => {
    expect(chooseMandates([acct('1', '1', 0), acct('2', '1', -5), acct('3', '1', 10)], 10)).toEqual([
      { accountId: '3', accountType: '1', debit: 10 },
    ]);
  });

  it('refuses zero, negative and fractional requests', () => {
    expect(chooseMandates([acct('12', '1', 100)], 0)).toBeNull();
    expect(chooseMandates([acct('12', '1', 100)], -1)).toBeNull();
    expect(chooseMandates([acct('12', '1', 100)], 1.5)).toBeNull();
  });
});
