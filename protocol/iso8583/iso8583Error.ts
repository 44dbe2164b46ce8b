import { PosError } from '../errors.js';

/**
 * Stable codes of the ISO 8583 codec and framer. Branch on these, never on
 * the message text.
 */
export type Iso8583ErrorCode =
  /** The message ends before a length prefix, a field, the MTI or a bitmap is complete. */
  | 'ISO_ERR_TRUNCATED'
  /** An LL/LLL length prefix is not all ASCII digits. */
  | 'ISO_ERR_LENGTH_PREFIX'
  /** A variable field's length is over the spec's maximum (encode or decode). */
  | 'ISO_ERR_LENGTH_MAX'
  /** A fixed field with no padding (b, z) was given a value of the wrong length. */
  | 'ISO_ERR_LENGTH'
  /** A character or byte outside the field's charset. */
  | 'ISO_ERR_CHARSET'
  /** A bitmap bit or a message field has no spec. */
  | 'ISO_ERR_NO_SPEC'
  /** Bytes left over after the last field. */
  | 'ISO_ERR_TRAILING'
  /** The MTI is not 4 ASCII digits. */
  | 'ISO_ERR_MTI'
  /** Field 65 (tertiary bitmap) is present: not supported. */
  | 'ISO_ERR_FIELD65'
  /** Bit 1 is set but no field 66–128 follows (we never send such a bitmap). */
  | 'ISO_ERR_BITMAP'
  /** A field key that is not an integer 2–128. */
  | 'ISO_ERR_FIELD_ID'
  /** A b field given a string, or another field given a Buffer. */
  | 'ISO_ERR_TYPE'
  /** The field spec table itself is invalid (found when the codec is built). */
  | 'ISO_ERR_SPEC'
  /** A frame header announces more than the framer's maximum, or a payload to frame is too big. */
  | 'ISO_ERR_FRAME_OVERSIZE'
  /** A frame header announces a zero-length payload, or an empty payload was given to frame. */
  | 'ISO_ERR_FRAME_EMPTY'
  /** The framer was pushed more bytes after it had already refused the stream. */
  | 'ISO_ERR_FRAME_FAILED'
  /** A loyalty-profile message lacks a field the flow needs, or a field is malformed for the flow. */
  | 'ISO_ERR_PROFILE';

/**
 * Error of the ISO 8583 codec. `field` is the data element number, `offset`
 * the byte offset (from the start of the message) where decoding stopped.
 * The message names the field and its description but never carries field
 * values, PANs, track data or raw bytes.
 */
export class Iso8583Error extends PosError<Iso8583ErrorCode> {
  readonly field: number | undefined;
  readonly offset: number | undefined;

  constructor(code: Iso8583ErrorCode, message: string, details: { field?: number; offset?: number; cause?: unknown } = {}) {
    super(code, message, { cause: details.cause });
    this.field = details.field;
    this.offset = details.offset;
  }
}
