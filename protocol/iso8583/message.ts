/**
 * An ISO 8583 message: the ASCII MTI and its data elements by number.
 * `b` fields are Buffers, every other kind is a string. Bitmaps are not
 * fields: the codec computes them from which fields are present.
 * Fixed `n` fields decode with their zero padding kept, fixed `an`/`ans`
 * fields with their trailing spaces kept, so a decoded message re-encodes
 * to the same bytes.
 */
export interface Iso8583Message {
  mti: string;
  fields: Iso8583Fields;
}

/** Data elements by number. An `undefined` value counts as absent. */
export type Iso8583Fields = Record<number, string | Buffer | undefined>;
