import type { Logger } from 'pino';
import type { Clock } from '../../protocol/index.js';
import type { CardSource } from '../cardSources/index.js';
import type { HostClient } from '../host/index.js';
import type { OperationQueue } from '../queue/index.js';

/**
 * The part of the durable queue (agent/queue) the checkout flows use. Every
 * method commits before it returns (rule 1: durable first).
 */
export type CheckoutQueue = Pick<
  OperationQueue,
  | 'enqueue'
  | 'tryEnqueueOfflineBurn'
  | 'beginDirect'
  | 'completeDirect'
  | 'rejectDirect'
  | 'abandonDirect'
  | 'unknownOutcome'
  | 'get'
  | 'whenSettled'
  | 'dueCredits'
  | 'pendingDebits'
  | 'cardRefusal'
  | 'rememberBalance'
  | 'rememberRefusal'
  | 'reference'
  | 'recordAnswer'
  | 'dropReference'
  | 'enqueueUndo'
  | 'saleUndos'
  | 'saleUndo'
  | 'sameCard'
>;

/**
 * The forwarder as the checkout sees it: whether the host is reachable (and
 * when that changes), and a way to forward the queue now. (It needs no nudge for new work: every queue
 * commit that adds work wakes it.)
 */
export interface CheckoutForwarder {
  readonly online: boolean;
  /** Called with the new state whenever `online` changes. Returns an unsubscribe function. */
  onOnlineChange(listener: (online: boolean) => void): () => void;
  flush(): Promise<unknown>;
}

export interface CheckoutDeps {
  /**
   * Where the card comes from (agent/cardSources): the serial reader driver today. Any `CardSource` does; the
   * checkout uses only its `state` and `readCard`.
   */
  reader: CardSource;
  host: HostClient;
  queue: CheckoutQueue;
  forwarder: CheckoutForwarder;
  logger: Logger;
  /** The clock of the POS deadlines and of the seed's timeStamp fields (local time). The real one is `Date.now`. */
  now: Clock;
}
