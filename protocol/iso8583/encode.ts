import { compileSpec, type CompiledField } from './compiledSpec.js';
import type { MessageSpec } from './fieldSpec.js';
import { Iso8583Error } from './iso8583Error.js';
import type { Iso8583Fields, Iso8583Message } from './message.js';
import { assertMti } from './mti.js';
import { SPEC_1987 } from './spec87.js';

/** Where fields start in the scratch buffer: after the MTI and room for both bitmaps. */
const FIELDS_AT = 20;
// Scratch space for one encode call (encode is synchronous, so sharing it is safe).
let scratch = Buffer.allocUnsafe(4096);
const bitmap = new Uint8Array(16);
const ids = new Int32Array(128);

function fail(code: 'ISO_ERR_LENGTH_MAX' | 'ISO_ERR_LENGTH' | 'ISO_ERR_CHARSET' | 'ISO_ERR_TYPE', f: CompiledField, what: string): never {
  throw new Iso8583Error(code, `pack ${f.label}: ${what}`, { field: f.id });
}

/** Parses a field key; only canonical integers 2–128 other than 65 pass. */
function fieldId(key: string): number {
  const n = key.length;
  let id = 0;
  for (let i = 0; i < n && n <= 3; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x30 || c > 0x39 || (i === 0 && c === 0x30)) {
      id = -1;
      break;
    }
    id = id * 10 + (c - 0x30);
  }
  if (id >= 2 && id <= 128 && id !== 65 && n <= 3) return id;
  if (id === 65) throw new Iso8583Error('ISO_ERR_FIELD65', 'pack field 65 (Tertiary Bitmap): not supported', { field: 65 });
  if (id === 1) throw new Iso8583Error('ISO_ERR_FIELD_ID', 'pack field 1 (Secondary Bitmap): the codec computes bitmaps; do not set field 1', { field: 1 });
  throw new Iso8583Error('ISO_ERR_FIELD_ID', 'pack: field keys must be integers 2-128');
}

/** Validates one value and writes it (prefix, padding and all) into scratch at `off`; returns the new offset. */
function writeField(f: CompiledField, v: string | Buffer, off: number): number {
  if (f.binary) {
    if (!Buffer.isBuffer(v)) fail('ISO_ERR_TYPE', f, 'expected a Buffer (kind b)');
  } else if (typeof v !== 'string') {
    fail('ISO_ERR_TYPE', f, `expected a string (kind ${f.kind})`);
  }
  const n = v.length;
  if (f.prefixDigits === 0) {
    if (n > f.length) fail('ISO_ERR_LENGTH_MAX', f, `length ${n} is over the fixed length ${f.length}`);
    if (n < f.length && f.padByte < 0) fail('ISO_ERR_LENGTH', f, `expected exactly ${f.length} ${f.binary ? 'bytes' : 'characters'}, got ${n}`);
  } else if (n > f.length) {
    fail('ISO_ERR_LENGTH_MAX', f, `length ${n} is over the maximum ${f.length}`);
  }
  if (off + f.prefixDigits + f.length > scratch.length) {
    const bigger = Buffer.allocUnsafe(Math.max(scratch.length * 2, off + 1024));
    scratch.copy(bigger, 0, 0, off);
    scratch = bigger;
  }
  const buf = scratch;
  if (f.prefixDigits > 0) {
    let rest = n;
    for (let i = f.prefixDigits - 1; i >= 0; i--) {
      buf[off + i] = 0x30 + (rest % 10);
      rest = (rest / 10) | 0;
    }
    off += f.prefixDigits;
  }
  if (typeof v !== 'string') {
    v.copy(buf, off);
    return off + n;
  }
  let at = off;
  if (f.padLeft && n < f.length) {
    const stop = off + f.length - n;
    for (; at < stop; at++) buf[at] = f.padByte;
  }
  const cs = f.charset;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c > 0xff || cs[c] === 0) fail('ISO_ERR_CHARSET', f, `character at position ${i} is outside charset ${f.charsetName}`);
    buf[at++] = c;
  }
  if (f.prefixDigits === 0) {
    const stop = off + f.length;
    for (; at < stop; at++) buf[at] = f.padByte;
  }
  return at;
}

/**
 * Collects the ids of defined fields into `ids`, ascending; returns how many.
 * Fast path: an indexed scan of 0–128. If the object has keys that scan did
 * not account for (undefined values, stray keys), every key is checked and
 * a bad one throws.
 */
function collectIds(fields: Iso8583Fields): number {
  let count = 0;
  for (let id = 0; id <= 128; id++) {
    if (fields[id] !== undefined) ids[count++] = id;
  }
  // Keys the scan cannot see (over 128, not integers) or undefined values make the counts differ.
  if (Object.keys(fields).length !== count) {
    for (const key in fields) fieldId(key);
  }
  for (let i = 0; i < count; i++) {
    const id = ids[i] as number;
    if (id < 2 || id === 65) fieldId(String(id));
  }
  return count;
}

/**
 * Packs a message: ASCII MTI, binary primary bitmap, secondary bitmap only
 * when a field 66–128 is present, then the fields in ascending order. Fixed
 * n fields are zero-padded left, fixed an/ans space-padded right; anything
 * too long or outside its charset throws {@link Iso8583Error}. Nothing is
 * truncated. `undefined` field values count as absent.
 */
export function encode(message: Iso8583Message, spec: MessageSpec = SPEC_1987): Buffer {
  const compiled = compileSpec(spec).fields;
  const mti = message.mti;
  assertMti(mti, 'pack');
  const fields = message.fields;
  const count = collectIds(fields);
  bitmap.fill(0);
  let off = FIELDS_AT;
  let secondary = false;
  try {
    for (let i = 0; i < count; i++) {
      const id = ids[i] as number;
      const v = fields[id];
      if (v === undefined) continue;
      const f = compiled[id];
      if (f === undefined) throw new Iso8583Error('ISO_ERR_NO_SPEC', `pack field ${id}: no spec for this field`, { field: id });
      off = writeField(f, v, off);
      const bit = id - 1;
      bitmap[bit >> 3] = (bitmap[bit >> 3] as number) | (0x80 >> (bit & 7));
      if (id > 64) secondary = true;
    }
  } catch (err) {
    scratch.fill(0); // a half-written field may hold card data
    throw err;
  }
  if (secondary) bitmap[0] = (bitmap[0] as number) | 0x80;
  const head = secondary ? 20 : 12;
  const out = Buffer.allocUnsafe(head + off - FIELDS_AT);
  for (let i = 0; i < 4; i++) out[i] = mti.charCodeAt(i);
  for (let i = 0; i < head - 4; i++) out[4 + i] = bitmap[i] as number;
  scratch.copy(out, head, FIELDS_AT, off);
  // Card data must not linger in the shared scratch buffer.
  scratch.fill(0, FIELDS_AT, off);
  return out;
}
