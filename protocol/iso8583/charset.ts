import type { FieldKind } from './fieldSpec.js';

/** A 256-entry table: 1 where the byte/char code is allowed. */
export type CharsetTable = Uint8Array;

function table(allowed: (c: number) => boolean): CharsetTable {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = allowed(c) ? 1 : 0;
  return t;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Allowed characters per kind (see {@link FieldKind}); b allows every byte. */
export const CHARSETS: Readonly<Record<FieldKind, CharsetTable>> = {
  n: table(isDigit),
  an: table((c) => isDigit(c) || isAlpha(c) || c === 0x20),
  ans: table((c) => c >= 0x20 && c <= 0x7e),
  z: table((c) => isDigit(c) || c === 0x3d /* = */ || c === 0x44 /* D */),
  b: table(() => true),
};

/** Words for error messages: what the charset is, never what the bad value was. */
export const CHARSET_NAMES: Readonly<Record<FieldKind, string>> = {
  n: 'n (digits 0-9)',
  an: 'an (A-Z, a-z, 0-9, space)',
  ans: 'ans (printable ASCII 0x20-0x7E)',
  z: 'z (digits, "=" or "D")',
  b: 'b (bytes)',
};
