import type { Mandate, RewardAccount } from '../host/hostClient.js';

/**
 * Splits a debit of `points` over the card's accounts: type-1 accounts first
 * (in the host's order), then the others; never more than an account's
 * available balance. Returns null when the accounts together hold too little.
 */
export function chooseMandates(accounts: readonly RewardAccount[], points: number): Mandate[] | null {
  const ordered = [...accounts.filter((a) => a.accountType === '1'), ...accounts.filter((a) => a.accountType !== '1')];
  const out: Mandate[] = [];
  let left = points;
  for (const a of ordered) {
    if (left <= 0) break;
    const debit = Math.min(left, Math.max(0, Math.floor(a.availableBalance)));
    if (debit <= 0) continue;
    out.push({ accountId: a.accountId, accountType: a.accountType, debit });
    left -= debit;
  }
  return left > 0 ? null : out;
}
