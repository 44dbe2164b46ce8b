/**
 * Order only where it matters (DESIGN.md, rule 5): an undo (refund, earn
 * reversal, offer reversal) or a reversal depends on its original, and on the
 * older undos of the same original (an earlier return of the sale); nothing
 * else depends on older work. The claim (SendLifecycle) and the chain sender
 * walk a card's items in order, keeping `behind`, the transactionIds and
 * originals of the items that stay open (in flight, not due, retried, or
 * waiting themselves).
 */

/**
 * Whether an item with original `original` waits behind the items left
 * behind (`behind`: their transactionIds and originals): its original, or
 * an older undo of the same original, is among them (rule 5).
 */
export function waitsBehind(original: string | null, behind: ReadonlySet<string>): boolean {
  return original !== null && behind.has(original);
}

/** An item stays behind: what depends on it (its transactionId) or shares its original waits too. */
export function leaveBehind(behind: Set<string>, transactionId: string, original: string | null): void {
  behind.add(transactionId);
  if (original !== null) behind.add(original);
}
