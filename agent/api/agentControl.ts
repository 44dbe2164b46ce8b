import type { OperationState } from '../queue/index.js';

export interface Health {
  /** `ok` when the terminal can take sales (offline included, within its rules); `unavailable` answers 503. */
  status: 'ok' | 'unavailable';
  /** Why it cannot, as stable codes (`queue-not-writable:QUEUE_ERR_FULL`, ...). */
  reasons: string[];
  reader: 'connected' | 'disconnected';
  host: 'online' | 'offline';
  queue: { pending: number; dead: number; oldestAgeS: number };
}

/** What the API needs besides the checkout: read-only views and the flush button. */
export interface AgentControl {
  health(): Health;
  listQueue(q: { state?: OperationState; limit?: number; offset?: number }): unknown;
  flushQueue(): Promise<unknown>;
}
