import type { ReaderCounters } from './cardReader.js';

/** The interface's counters plus the serial driver's own. */
export interface SerialReaderCounters extends ReaderCounters {
  /** Card frames dropped as resends of one already delivered. */
  duplicates: number;
  /** Valid cards delivered to a pending read. */
  cardsRead: number;
  /** E frames / MagTek error lines (a bad swipe). */
  readErrors: number;
  /** Cards swiped while no read was pending. */
  ignoredCards: number;
  /** Connections dropped after 3 missed keep-alives. */
  keepAliveLosses: number;
}

/** The counters a profile's decoder bumps (reconnects belong to the supervisor). */
export type LineCounters = Omit<SerialReaderCounters, 'reconnects'>;

/** All line counters at zero. */
export function zeroLineCounters(): LineCounters {
  return { frames: 0, noiseBytes: 0, badLrc: 0, oversize: 0, truncated: 0, naksSent: 0, invalidCards: 0, cardsRead: 0, duplicates: 0, readErrors: 0, ignoredCards: 0, keepAliveLosses: 0 };
}
