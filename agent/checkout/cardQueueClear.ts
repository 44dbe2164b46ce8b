import type { CardRef } from '../../protocol/index.js';
import { raceDeadline } from './deadline.js';
import type { CheckoutDeps } from './ports.js';

/** Longest a sale waits for a card's older queued work to reach the host. */
const FLUSH_WAIT_MS = 3000;

/**
 * Store-and-forward keeps each card's operations in order (rules 3 and 5):
 * a burn or offer redemption the checkout sends itself must not overtake
 * older work for the same card still in the queue, such as a reversal or an
 * earning taken while the host was away. When there is some, this forwards
 * the queue now (within the sale's deadline, epoch ms on `deps.now`) and says whether the card's
 * queue is clear.
 */
export async function cardQueueClear(deps: CheckoutDeps, card: CardRef, deadlineAt: number): Promise<boolean> {
  if (deps.queue.openCountForCard(card) === 0) return true;
  const wait = Math.min(FLUSH_WAIT_MS, deadlineAt - deps.now());
  await raceDeadline(deps.forwarder.flush(), wait, (err) => deps.logger.warn({ err }, 'queue flush failed'));
  return deps.queue.openCountForCard(card) === 0;
}
