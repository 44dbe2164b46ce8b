import { PosError } from '../errors.js';

/**
 * - `TRACK_ERR_FORMAT`: no track found, a field is missing or has the wrong characters
 * - `TRACK_ERR_LUHN`: the PAN fails the Luhn check
 * - `TRACK_ERR_MONTH`: the expiry month is outside 01–12
 */
export type TrackErrorCode = 'TRACK_ERR_FORMAT' | 'TRACK_ERR_LUHN' | 'TRACK_ERR_MONTH';

/** A track that could not be parsed. The message never carries track data. */
export class TrackError extends PosError<TrackErrorCode> {
  /** Which track failed (1 or 2), or 0 when no track was found. */
  readonly track: 0 | 1 | 2;

  constructor(code: TrackErrorCode, track: 0 | 1 | 2, message: string) {
    super(code, track === 0 ? message : `track ${track}: ${message}`);
    this.track = track;
  }
}
