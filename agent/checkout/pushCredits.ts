import type { CardRef } from '../../protocol/index.js';
import type { CheckoutDeps } from './ports.js';

/** Longest a sale waits for its card's queued credits to reach the host, ms. */
const CREDIT_WAIT_MS = 300;

/**
 * Before a burn, while the host is reachable, the card's queued credits that
 * are due (earnings, refunds the forwarder is sending now) get a short while
 * to land first: so that the balance the burn decides on has the points the
 * customer was told of. It never refuses anything and forces no send (work in
 * backoff keeps its backoff): a burn does not depend on them (DESIGN.md,
 * rule 5), and what has not landed within the budget goes on in the queue.
 */
export async function pushCredits(deps: CheckoutDeps, card: CardRef, deadlineAt: number): Promise<void> {
  if (!deps.forwarder.online) return;
  const ids = deps.queue.dueCredits(card);
  if (ids.length === 0) return;
  const deadline = Math.min(deadlineAt, deps.now() + CREDIT_WAIT_MS);
  await Promise.all(ids.map((id) => deps.queue.whenSettled(id, { deadline })));
}
