import type { IdentifierKind } from '../../protocol/loyalty/index.js';
import type { Pan, Yymm } from '../../protocol/index.js';

/** A card as read from the reader. Track data itself is never kept. */
export interface CardRead {
  pan: Pan;
  expiry: Yymm;
  /** Always `card` for a swipe; kept so the POS API can echo it. */
  kind: IdentifierKind;
}

export interface ReadCardOptions {
  /** How long to wait for a swipe, ms. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once the arm command is written to the reader (or at once, for a reader that takes no commands). */
  onArmed?: () => void;
  /** Called, just before the read resolves with a card, with when the first byte of its frame came in (`performance.now()`). */
  onCardFrame?: (startedAt: number) => void;
}

export interface ReaderCounters {
  frames: number;
  noiseBytes: number;
  badLrc: number;
  oversize: number;
  truncated: number;
  naksSent: number;
  invalidCards: number;
  reconnects: number;
}

/**
 * What the checkout flows need from the serial driver (`agent/reader`).
 * `readCard` arms the reader, resolves with the card, and always disarms after.
 * It rejects with `ReaderError` codes READER_ERR_TIMEOUT, READER_ERR_ABORTED,
 * READER_ERR_DISCONNECTED or READER_ERR_CARD_INVALID.
 */
export interface CardReader {
  readCard(opts: ReadCardOptions): Promise<CardRead>;
  readonly state: 'connected' | 'disconnected';
  counters(): ReaderCounters;
  close(): Promise<void>;
}
