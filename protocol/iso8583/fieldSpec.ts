/**
 * Field kinds (ISO 8583:1987 attribute notation):
 * - `n`: numeric, ASCII digits `0`–`9`.
 * - `an`: alphanumeric, ASCII `A`–`Z`, `a`–`z`, `0`–`9` and space. Space is
 *   included because fixed `an` fields are space-padded on the right (the
 *   1987 "anp" convention), so the pad must be a legal character.
 * - `ans`: alphanumeric and special, printable ASCII 0x20–0x7E.
 * - `z`: track 2/3 code set as carried in DE35/DE36 (no sentinels, no LRC):
 *   digits, the field separator `=` and its alternate `D`.
 * - `b`: binary, raw bytes (a `Buffer` in messages); lengths count bytes.
 */
export type FieldKind = 'n' | 'an' | 'ans' | 'z' | 'b';

/**
 * How the field's length is carried: `fixed` (no prefix), `LL` (2 ASCII
 * digits) or `LLL` (3 ASCII digits). Prefixes count characters (bytes for b).
 */
export type LengthPrefix = 'fixed' | 'LL' | 'LLL';

/**
 * Padding of a fixed field's value when it is shorter than the field:
 * - `zero-left`: only for fixed `n` (e.g. amount `5` → `000000000005`);
 * - `space-right`: only for fixed `an`/`ans`;
 * - `none`: the value must have exactly the fixed length (fixed `b`, `z`),
 *   and always for LL/LLL fields.
 */
export type FieldPad = 'zero-left' | 'space-right' | 'none';

/** One data element of a message spec: its length, encoding, length prefix and padding. */
export interface FieldSpec {
  /** Fixed length, or the maximum length for LL/LLL, in characters (bytes for b). */
  length: number;
  /** Human-readable name used in error messages, e.g. `Track 2 Data`. */
  description: string;
  kind: FieldKind;
  prefix: LengthPrefix;
  pad: FieldPad;
}

/** A message spec: data element number (2–128, never 1 or 65) → its spec. */
export type MessageSpec = Readonly<Record<number, FieldSpec>>;
