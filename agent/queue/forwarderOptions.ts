import type { Logger } from 'pino';
import type { HostClient } from '../host/hostClient.js';
import type { BackoffOptions } from '../../protocol/backoff.js';
import type { OperationQueue } from './operationQueue.js';

export interface ForwarderOptions {
  queue: OperationQueue;
  host: HostClient;
  /** Cards sent to at once (each card's items go one after another). Default 8. */
  concurrency?: number;
  /** Retry delays. Default {baseMs: 500, maxMs: 30000, jitter: 0.2}. */
  backoff?: BackoffOptions;
  /** Items older than this go dead with reason 'expired', seconds. Default 604800 (7 days). */
  maxAgeS?: number;
  /**
   * How long after a burn was sent it may still land on the host, ms: the host timeout plus a margin.
   * A reversal answered "original not found" is retried until then (rule 8). Default 60000.
   */
  lateOriginalMs?: number;
  /** While offline, ping the host this often, ms. Default 1000. */
  probeIntervalMs?: number;
  /** Most consecutive items of one card claimed at once. Default 32. */
  chainLength?: number;
  /** Cards claimed per claim transaction (sent `concurrency` at a time). Default max(64, 4 × concurrency). */
  claimCards?: number;
  logger?: Logger;
  /** Clock, epoch ms. Default: the queue's clock. */
  now?: () => number;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
}

export interface FlushResult {
  sent: number;
  failed: number;
  dead: number;
}

export interface ForwarderCounters {
  sent: number;
  retried: number;
  dead: number;
  expired: number;
  oldestPendingAgeS: number;
}
