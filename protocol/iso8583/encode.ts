import { compileSpec, type CompiledField } from './compiledSpec.js';
import type { MessageSpec } from './fieldSpec.js';
import { Iso8583Error } from './iso8583Error.js';
import type { Iso8583Fields, Iso8583Message } from './message.js';
import { assertMti } from './mti.js';
import { SPEC_1987 } from './spec87.js';

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

/**
 * Checks a value's type and length and returns how many bytes it takes on the
 * wire (prefix and padding included), or -1 when it fails either check (then
 * {@link checkField} says how). Its characters are checked as it is written.
 */
function sizeOf(f: CompiledField, v: string | Buffer): number {
  if (f.binary ? !Buffer.isBuffer(v) : typeof v !== 'string') return -1;
  const n = v.length;
  if (f.prefixDigits === 0) return n > f.length || (n < f.length && f.padByte < 0) ? -1 : f.length;
  return n > f.length ? -1 : f.prefixDigits + n;
}

/** Throws the error {@link sizeOf} found, or the value's first character outside the charset; returns when all is well. */
function checkField(f: CompiledField, v: string | Buffer): void {
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
  if (typeof v !== 'string') return;
  const cs = f.charset;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c > 0xff || cs[c] === 0) fail('ISO_ERR_CHARSET', f, `character at position ${i} is outside charset ${f.charsetName}`);
  }
}

/**
 * Writes a value {@link sizeOf} accepted (prefix, padding and all) into `out`
 * at `off`; returns the new offset, or -1 at the first character outside the
 * field's charset.
 */
function writeField(f: CompiledField, v: string | Buffer, out: Buffer, off: number): number {
  const n = v.length;
  if (f.prefixDigits > 0) {
    let rest = n;
    for (let i = f.prefixDigits - 1; i >= 0; i--) {
      out[off + i] = 0x30 + (rest % 10);
      rest = (rest / 10) | 0;
    }
    off += f.prefixDigits;
  }
  if (typeof v !== 'string') {
    v.copy(out, off);
    return off + n;
  }
  let at = off;
  if (f.padLeft && n < f.length) {
    const stop = off + f.length - n;
    for (; at < stop; at++) out[at] = f.padByte;
  }
  const cs = f.charset;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c > 0xff || cs[c] === 0) return -1;
    out[at++] = c;
  }
  if (f.prefixDigits === 0) {
    const stop = off + f.length;
    for (; at < stop; at++) out[at] = f.padByte;
  }
  return at;
}

/**
 * The ids of the defined fields, ascending. Fast path: an indexed scan of
 * 0–128. If the object has keys that scan did not account for (undefined
 * values, stray keys), every key is checked and a bad one throws.
 */
function presentIds(fields: Iso8583Fields): number[] {
  const ids: number[] = [];
  for (let id = 0; id <= 128; id++) {
    if (fields[id] !== undefined) ids.push(id);
  }
  // Keys the scan cannot see (over 128, not integers) or undefined values make the counts differ.
  if (Object.keys(fields).length !== ids.length) {
    for (const key in fields) fieldId(key);
  }
  for (const id of ids) {
    if (id < 2 || id === 65) fieldId(String(id));
  }
  return ids;
}

/**
 * Throws the error of the first bad field in field order, as a single pass
 * that checks and writes each field in turn would: called only once a fault
 * is known, so the fast path need not check twice.
 */
function throwFirstFault(compiled: ReadonlyArray<CompiledField | undefined>, ids: readonly number[], values: readonly (string | Buffer)[]): never {
  ids.forEach((id, i) => {
    const f = compiled[id];
    if (f === undefined) throw new Iso8583Error('ISO_ERR_NO_SPEC', `pack field ${id}: no spec for this field`, { field: id });
    checkField(f, values[i] as string | Buffer);
  });
  throw new Error('unreachable: a field failed to encode but passes its checks');
}

/**
 * Packs a message: ASCII MTI, binary primary bitmap, secondary bitmap only
 * when a field 66–128 is present, then the fields in ascending order. Fixed
 * n fields are zero-padded left, fixed an/ans space-padded right; anything
 * too long or outside its charset throws {@link Iso8583Error}. Nothing is
 * truncated. `undefined` field values count as absent.
 *
 * The message is sized first (types and lengths, no per-character work),
 * then written once, characters checked on the way, straight into its
 * exact-size result. So the codec keeps no scratch buffer and no state
 * between calls (protocol/ holds no globals), and a refused message leaves
 * nothing behind: its half-written result is zeroed and dropped.
 */
export function encode(message: Iso8583Message, spec: MessageSpec = SPEC_1987): Buffer {
  const compiled = compileSpec(spec).fields;
  const mti = message.mti;
  assertMti(mti, 'pack');
  const fields = message.fields;
  const ids = presentIds(fields);
  // Each value read once: sized and written from the same read (a getter read twice could differ).
  const values = ids.map((id) => fields[id] as string | Buffer);
  let size = 0;
  for (let i = 0; i < ids.length; i++) {
    const f = compiled[ids[i] as number];
    // A field without a spec, or one that cannot be sized: the first fault in field order, as a single pass finds it.
    const n = f === undefined ? -1 : sizeOf(f, values[i] as string | Buffer);
    if (n < 0) throwFirstFault(compiled, ids, values);
    size += n;
  }
  const secondary = ids.length > 0 && (ids[ids.length - 1] as number) > 64;
  const head = secondary ? 20 : 12;
  const out = Buffer.allocUnsafe(head + size);
  for (let i = 0; i < 4; i++) out[i] = mti.charCodeAt(i);
  out.fill(0, 4, head);
  if (secondary) out[4] = 0x80;
  let off = head;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const bit = id - 1;
    out[4 + (bit >> 3)] = (out[4 + (bit >> 3)] as number) | (0x80 >> (bit & 7));
    off = writeField(compiled[id] as CompiledField, values[i] as string | Buffer, out, off);
    if (off < 0) {
      out.fill(0); // a half-written message may hold card data
      throwFirstFault(compiled, ids, values);
    }
  }
  if (off !== out.length) {
    out.fill(0);
    throw new Error(`unreachable: the message was sized ${out.length} bytes and written ${off}`);
  }
  return out;
}
