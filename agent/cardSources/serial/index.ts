/**
 * The serial card reader driver, one card source (`SerialCardReader` implements `CardSource` through `CardReader`):
 * `openCardReader` for the agent, `probeReader` for `config check`.
 */
import { SerialCardReader, type SerialCardReaderOptions } from './serialCardReader.js';

export type { CardRead, ReadCardOptions } from '../cardSource.js';
export type { CardReader, ReaderCounters } from './cardReader.js';
export { SerialCardReader, type SerialCardReaderOptions } from './serialCardReader.js';
export type { SerialReaderCounters } from './serialReaderCounters.js';
export { ReaderError, type ReaderErrorCode, type CardInvalidReason } from '../readerError.js';
export { probeReader, type ProbeReaderOptions, type ProbeResult } from './probeReader.js';
export { describeDeviceAccess, type DeviceAccess } from './deviceAccess.js';
export type { SerialBinding } from './serialTypes.js';

/**
 * Opens the reader and starts its supervisor. Resolves after the first open
 * attempt even if it failed (state `disconnected`; the supervisor keeps
 * retrying with backoff), so the agent can start before the reader is plugged in.
 */
export async function openCardReader(opts: SerialCardReaderOptions): Promise<SerialCardReader> {
  const reader = new SerialCardReader(opts);
  await reader.start();
  return reader;
}
