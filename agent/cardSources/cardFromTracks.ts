import { parseCardData } from '../../protocol/reader/index.js';
import { TrackError } from '../../protocol/reader/index.js';
import type { CardRead } from './cardSource.js';
import { ReaderError, type CardInvalidReason } from './readerError.js';

const INVALID_REASON: Record<TrackError['code'], CardInvalidReason> = {
  TRACK_ERR_LUHN: 'luhn',
  TRACK_ERR_MONTH: 'expiry',
  TRACK_ERR_FORMAT: 'format',
};

/**
 * Turns a swipe's track text (from any source that reads tracks) into a card, or a `READER_ERR_CARD_INVALID`
 * error (reason luhn, expiry month, or format). A past expiry is not checked
 * here: the host decides that. The error message carries no card data.
 */
export function cardFromTracks(text: string): CardRead | ReaderError {
  try {
    const t = parseCardData(text);
    return { pan: t.pan, expiry: t.expiry, kind: 'card' };
  } catch (err) {
    if (!(err instanceof TrackError)) throw err;
    const reason = INVALID_REASON[err.code];
    return new ReaderError('READER_ERR_CARD_INVALID', `card refused at the reader (${reason}): ${err.message}`, { reason, cause: err });
  }
}
