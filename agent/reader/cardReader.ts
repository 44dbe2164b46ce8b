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
