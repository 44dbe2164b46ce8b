import type { Logger } from 'pino';
import type { ReaderStatus } from '../../../protocol/reader/index.js';
import type { LineCounters } from './serialReaderCounters.js';

/**
 * What a profile's decoder reports to, and does on, the line: the driver
 * implements it (and `config check`'s probe, with most of it quiet).
 */
export interface ReaderLine {
  /** Counted in the code path; the driver exposes them through `counters()`. */
  readonly counters: LineCounters;
  /** The driver's `reader` logger. Never given card data. */
  readonly log: Logger | undefined;
  /** Puts bytes on the line at once (an ACK or NAK). */
  write(bytes: Uint8Array): void;
  /** The reader said something well formed: it is alive (keep-alive). */
  heard(): void;
  /** The reader acknowledged the frame we sent. */
  ack(): void;
  /** The reader refused the frame we sent: it is resent. */
  nak(): void;
  /** A swipe's track text. `key` identifies a resend of the same card (ACK lost), if the profile resends. */
  card(text: string, key?: string): void;
  /** The reader reported its status. */
  status(status: ReaderStatus): void;
  /** The reader reported a bad swipe; a read waits on. */
  readError(): void;
}
