/** One reward account of a card, as a balance enquiry lists it. Points are integers. */
export interface RewardAccount {
  accountId: string;
  accountName: string;
  /** The seed's account type; `1` is a pool account, debited first. */
  accountType: string;
  availableBalance: number;
}

/** One account's part of a burn: the points to debit from it. */
export interface Mandate {
  accountId: string;
  accountType: string;
  debit: number;
}

/**
 * Splits a point debit over the card's reward accounts: type-1 (pool)
 * accounts first, then the rest, each in the order the host listed them,
 * never debiting an account above its available balance.
 * Returns null when the accounts together cannot cover `points`.
 */
export function chooseMandates(accounts: readonly RewardAccount[], points: number): Mandate[] | null {
  if (!Number.isSafeInteger(points) || points <= 0) return null;
  const ordered = [
    ...accounts.filter((a) => a.accountType === '1'),
    ...accounts.filter((a) => a.accountType !== '1'),
  ];
  const mandates: Mandate[] = [];
  let left = points;
  for (const a of ordered) {
    if (left === 0) break;
    const debit = Math.min(left, Math.max(0, a.availableBalance));
    if (debit === 0) continue;
    mandates.push({ accountId: a.accountId, accountType: a.accountType, debit });
    left -= debit;
  }
  return left === 0 ? mandates : null;
}

/** Total points available across accounts. */
export function totalAvailable(accounts: readonly RewardAccount[]): number {
  return accounts.reduce((sum, a) => sum + Math.max(0, a.availableBalance), 0);
}

/**
 * The accounts as they stand once `pending` points are debited from them the
 * way chooseMandates would take them (type-1 accounts first): what a new burn
 * may still take while earlier burns of the card wait to be applied by the host.
 */
export function lessPending(accounts: readonly RewardAccount[], pending: number): RewardAccount[] {
  let left = Math.max(0, pending);
  const taken = new Map<RewardAccount, number>();
  for (const a of [...accounts.filter((x) => x.accountType === '1'), ...accounts.filter((x) => x.accountType !== '1')]) {
    if (left === 0) break;
    const debit = Math.min(left, Math.max(0, a.availableBalance));
    taken.set(a, debit);
    left -= debit;
  }
  return accounts.map((a) => ({ ...a, availableBalance: Math.max(0, a.availableBalance) - (taken.get(a) ?? 0) }));
}
