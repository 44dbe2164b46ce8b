import { PosError } from '../../protocol/index.js';

/**
 * The codes a card source rejects with (the first four: see `CardSource`), and the serial probe's own:
 * - `READER_ERR_TIMEOUT`: no card within `timeoutMs`
 * - `READER_ERR_ABORTED`: the caller's AbortSignal fired
 * - `READER_ERR_DISCONNECTED`: the reader was unplugged (or the driver closed) and no card came
 * - `READER_ERR_CARD_INVALID`: a card was read but failed at the reader (`reason`: luhn, expiry month, format)
 * - `READER_ERR_BUSY`: a read is already in progress
 * - `READER_ERR_OPEN`: the port could not be opened (probe)
 * - `READER_ERR_PERMISSION`: the port is there, but this user may not read and write it (probe)
 * - `READER_ERR_NO_ANSWER`: the reader did not answer a status request (probe)
 */
export type ReaderErrorCode =
  | 'READER_ERR_TIMEOUT'
  | 'READER_ERR_ABORTED'
  | 'READER_ERR_DISCONNECTED'
  | 'READER_ERR_CARD_INVALID'
  | 'READER_ERR_BUSY'
  | 'READER_ERR_OPEN'
  | 'READER_ERR_PERMISSION'
  | 'READER_ERR_NO_ANSWER';

/** Why a card is refused at its source. An expiry in the past is NOT one: the host decides that. */
export const CARD_INVALID_WHY = ['luhn', 'expiry', 'format'] as const;
export type CardInvalidReason = (typeof CARD_INVALID_WHY)[number];

/** A card source's errors (the serial driver's, and any other source's). Messages never carry card data. */
export class ReaderError extends PosError<ReaderErrorCode> {
  /** Set for `READER_ERR_CARD_INVALID`. `expiry` means a month outside 01–12. */
  readonly reason: CardInvalidReason | undefined;

  constructor(code: ReaderErrorCode, message: string, options?: { cause?: unknown; reason?: CardInvalidReason }) {
    super(code, message, options);
    this.reason = options?.reason;
  }
}
