import type { Health, QueueItemView } from '../../agent/api/index.js';
import type { OperationState, QueueStats } from '../../agent/queue/index.js';
import type { ForwarderCounters } from '../../agent/forwarder/index.js';
import type { Fault, FaultEndpoint, Fixtures, JournalEntry, LedgerView } from '../host/index.js';
import type { ReaderEmulator, ReaderEmulatorState, SwipeOptions, SwipeResult } from '../reader/index.js';

/** A card to swipe: a fixture card by name (`'happy'`), or any PAN and YYMM expiry (not validated, so bad cards can be made). */
export type SwipeCard = string | { pan: string; expiry: string };

/** Options of a swipe that waits for the agent to arm the reader. */
export interface CounterSwipeOptions extends SwipeOptions {
  /** How long to wait for the agent to arm the reader, ms. Default 10000. */
  timeoutMs?: number;
}

/** A host fault (`POST /_emulator/faults`): applied to every matching request until cleared. */
export interface CounterFault extends Fault {
  /**
   * The endpoint: the REST path without `/api/v1/loyalty/` (`rewards`, `rewards/redeem`, `rewards/earn`,
   * `rewards/redeem/:transactionId/reversal`, `terminal/offers`, ... every one in `FAULT_ENDPOINTS`) or `*` for all.
   * On the ISO 8583 link the same names stand for 0100, 0200, 0220 and 0420. Any other name is refused
   * (`COUNTER_ERR_OPTIONS`). Default `*`.
   */
  endpoint?: FaultEndpoint;
}

/** The counter's card reader emulator, seen from the cashier's side of the counter. */
export interface CounterReader {
  /**
   * Swipes a card once the agent has armed the reader (at once if it is armed): start the POS call first,
   * then swipe. Rejects with `COUNTER_ERR_TIMEOUT` when nothing arms the reader within `timeoutMs`.
   */
  swipe(card: SwipeCard, opts?: CounterSwipeOptions): Promise<SwipeResult>;
  /** Writes `n` bytes of line noise (the agent resyncs). */
  noise(n: number): Promise<number>;
  /** Swipes `card` (default `happy`) with a corrupt LRC first: the agent NAKs, the resend gets through. Waits for an arm. */
  badLrc(card?: string, opts?: { timeoutMs?: number }): Promise<SwipeResult>;
  /** Swipes `card` (default `happy`) with its first frame cut short. Waits for an arm. */
  truncate(card?: string, opts?: { timeoutMs?: number }): Promise<SwipeResult>;
  /** Pulls the reader out: the agent's port closes and its health shows the reader disconnected. */
  unplug(): Promise<void>;
  /** Plugs it back in; the agent reopens it by itself. */
  replug(): Promise<void>;
  /** Armed, plugged, arms seen, NAKs... */
  readonly state: ReaderEmulatorState;
  /** The reader emulator itself, for what the counter does not wrap. */
  readonly emulator: ReaderEmulator;
}

/** The counter's loyalty host emulator, and the network between it and the agent. */
export interface CounterHost {
  /** The host's own URL (the agent reaches it through a link that {@link online} cuts; this one is never cut). */
  readonly url: string;
  /** The host's ISO 8583 port (null with the REST transport). */
  readonly isoPort: number | null;
  /** The host's certificate (PEM) with `tls`, else null. */
  readonly caPem: string | null;
  /** The cards and offers the host (and the reader) know. */
  readonly fixtures: Fixtures;
  /** True unless {@link online}(false) cut the link. */
  readonly isOnline: boolean;
  /**
   * Cuts (`false`) or restores (`true`) the agent's link to the host. Cut, the agent's connections are
   * refused and open ones reset, as when the host is down; the host keeps its ledger and stays readable.
   */
  online(on: boolean): Promise<void>;
  /** Sets a fault, e.g. `{ endpoint: 'rewards/redeem', latencyMs: 3000 }`; returns every fault set. */
  fault(fault: CounterFault): Promise<Record<string, Fault>>;
  /** Clears every fault. */
  clearFaults(): Promise<void>;
  /** The ledger: balances (cards masked) and every applied entry, as `GET /_emulator/ledger` shows it. */
  ledger(): Promise<LedgerView>;
  /** The sum of a card's balances by its name (0 for a card the host does not know). */
  balanceOf(card: string): Promise<number>;
  /** What the host received and applied, per (kind, transactionId). */
  journal(): Promise<JournalEntry[]>;
}

/** The agent's queue: its counts (and invariant), the forwarder's counters, and items as `GET /v1/queue` lists them. */
export interface CounterQueue {
  stats: QueueStats;
  forwarder: ForwarderCounters;
  items: QueueItemView[];
}

/** A whole emulated shop counter: host, card reader and agent, started by {@link startCounter}. */
export interface Counter {
  /** The agent's POS API, e.g. `http://127.0.0.1:41234` (`POST /v1/redemptions`, `POST /v1/earnings`, ...). */
  readonly agentUrl: string;
  /** The bearer token of the POS API (undefined when started with `apiToken: false`). */
  readonly apiToken: string | undefined;
  /** The headers of a POS API call: JSON, and the bearer token when there is one. */
  readonly posHeaders: Record<string, string>;
  readonly merchantId: string;
  readonly terminalId: string;
  /** The counter's temporary folder (queue, key, config, reader link); removed by {@link stop}. */
  readonly dir: string;
  readonly reader: CounterReader;
  readonly host: CounterHost;
  /**
   * Runs `call` (a POS request), swipes `card` once the agent arms the reader for it, and returns what `call`
   * returned. Only an arm after `call` started counts, so a stale arm cannot swallow the swipe.
   */
  withSwipe<T>(card: SwipeCard, call: () => Promise<T>, opts?: CounterSwipeOptions): Promise<T>;
  /** The agent's queue now. `state` filters the items (default all), `limit` caps them (default 100). */
  queue(opts?: { state?: OperationState; limit?: number }): CounterQueue;
  /**
   * Forwards the queue (unless `flush: false`) until nothing is pending or sending, and returns the stats.
   * Rejects with `COUNTER_ERR_TIMEOUT` after `timeoutMs` (default 20000), e.g. while the host is cut.
   */
  drained(opts?: { timeoutMs?: number; flush?: boolean }): Promise<QueueStats>;
  /** The agent's health, as `GET /v1/health` answers it. */
  health(): Health;
  /** The agent's log lines (JSON), oldest first. */
  logs(): readonly string[];
  /** Stops the agent, the reader (and socat) and the host, and removes the temporary folder. Idempotent. */
  stop(): Promise<void>;
}
