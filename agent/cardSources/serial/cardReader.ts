import type { CardSource } from '../cardSource.js';

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
 * The serial driver as a card source (../cardSource.ts), with what the agent
 * adds around it: counters for the metrics, and `close`.
 * `readCard` arms the reader, resolves with the card, and always disarms after.
 * It rejects with `ReaderError` codes READER_ERR_TIMEOUT, READER_ERR_ABORTED,
 * READER_ERR_DISCONNECTED or READER_ERR_CARD_INVALID.
 */
export interface CardReader extends CardSource {
  counters(): ReaderCounters;
  close(): Promise<void>;
}
