import type { Logger } from 'pino';
import type { Clock } from '../../protocol/index.js';
import type { OfflineLimits } from './offlineLimits.js';

/** What `OperationQueue.open` takes. */
export interface OperationQueueOptions {
  /** SQLite file, or ':memory:' (tests). */
  path: string;
  /** The 32-byte queue key (see loadQueueKey). */
  key: Buffer;
  /** Offline burn limits. Default: off (DEFAULT_OFFLINE_LIMITS). */
  limits?: OfflineLimits;
  /** Clock, epoch ms. Default Date.now. */
  now?: Clock;
  logger?: Logger;
  /** SQLite busy_timeout, ms. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * Accept that the database holds fewer operations than were once accepted
   * (a restored backup, a lost -wal): `pos-agent queue accept-loss`, after a person has looked.
   */
  acceptLoss?: boolean;
  /** How often the WAL is checkpointed into the database file, ms. Default 10000. */
  checkpointMs?: number;
  /**
   * Retention of done operations, seconds (`queue.retainDoneS`): those that
   * settled longer ago are pruned, with their POS references. 0 or absent: kept forever.
   */
  retainDoneS?: number;
  /** How often retention runs while the queue is open, ms. Default 60000. */
  pruneEveryMs?: number;
}
