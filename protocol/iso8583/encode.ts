import { compileSpec, type CompiledField } from './compiledSpec.js';
import type { MessageSpec } from './fieldSpec.js';
import { Iso8583Error } from './iso8583Error.js';
import type { Iso8583Message } from './message.js';
import { assertMti } from './mti.js';
import { SPEC_1987 } from './spec87.js';

// Scratch space for one encode call (encode is synchronous, so sharing is safe).
const ids = new Int32Array(128);
const values: (string | Buffer)[] = new Array<string | Buffer>(128);

function fail(code: 'ISO_ERR_LENGTH_MAX' | 'ISO_ERR_LENGTH' | 'ISO_ERR_CHARSET' | 'ISO_ERR_TYPE', f: CompiledField, what: string): never {
  throw new Iso8583Error(code, `pack ${f.label}: ${what}`, { field: f.id });
}

function badId(key: string): never {
  const id = Number(key);
  if (id === 65) throw new Iso8583Error('ISO_ERR_FIELD65', 'pack field 65 (Tertiary Bitmap): not supported', { field: 65 });
  if (id === 1) throw new Iso8583Error('ISO_ERR_FIELD_ID', 'pack field 1 (Secondary Bitmap): the codec computes bitmaps; do not set field 1', { field: 1 });
  throw new Iso8583Error('ISO_ERR_FIELD_ID', 'pack: field keys must be integers 2-128');
}

/** Validates one value and returns how many bytes it takes on the wire (prefix included). */
function measure(f: CompiledField, v: string | Buffer): number {
  if (f.binary) {
    if (!Buffer.isBuffer(v)) fail('ISO_ERR_TYPE', f, 'expected a Buffer (kind b)');
    const n = v.length;
    if (f.prefixDigits === 0) {
      if (n !== f.length) fail('ISO_ERR_LENGTH', f, `expected exactly ${f.length} bytes, got ${n}`);
      return n;
    }
    if (n > f.length) fail('ISO_ERR_LENGTH_MAX', f, `length ${n} is over the maximum ${f.length}`);
    return f.prefixDigits + n;
  }
  if (typeof v !== 'string') fail('ISO_ERR_TYPE', f, `expected a string (kind ${f.kind})`);
  const n = v.length;
  const cs = f.charset;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c > 0xff || cs[c] === 0) fail('ISO_ERR_CHARSET', f, `character at position ${i} is outside charset ${f.charsetName}`);
  }
  if (f.prefixDigits === 0) {
    if (n > f.length) fail('ISO_ERR_LENGTH_MAX', f, `length ${n} is over the fixed length ${f.length}`);
    if (n < f.length && f.padByte < 0) fail('ISO_ERR_LENGTH', f, `expected exactly ${f.length} characters, got ${n}`);
    return f.length;
  }
  if (n > f.length) fail('ISO_ERR_LENGTH_MAX', f, `length ${n} is over the maximum ${f.length}`);
  return f.prefixDigits + n;
}

/** Writes `n` as `digits` ASCII digits at `off`. */
function writeDigits(buf: Buffer, off: number, n: number, digits: number): void {
  for (let i = digits - 1; i >= 0; i--) {
    buf[off + i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
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
  assertMti(message.mti, 'pack');
  const fields = message.fields;
  let count = 0;
  let size = 12;
  let secondary = false;
  let sorted = true;
  let last = 0;
  for (const key in fields) {
    const v = fields[key as unknown as number];
    if (v === undefined) continue;
    const id = Number(key);
    if (!(id >= 2 && id <= 128 && id !== 65 && (id | 0) === id && String(id) === key)) badId(key);
    const f = compiled[id];
    if (f === undefined) throw new Iso8583Error('ISO_ERR_NO_SPEC', `pack field ${id}: no spec for this field`, { field: id });
    size += measure(f, v);
    if (id > 64) secondary = true;
    if (id < last) sorted = false;
    last = id;
    ids[count] = id;
    values[count] = v;
    count++;
  }
  if (!sorted) sortScratch(count);
  if (secondary) size += 8;
  const buf = Buffer.allocUnsafe(size);
  buf.write(message.mti, 0, 4, 'latin1');
  const bitmapLen = secondary ? 16 : 8;
  buf.fill(0, 4, 4 + bitmapLen);
  if (secondary) buf[4] = 0x80;
  let off = 4 + bitmapLen;
  for (let i = 0; i < count; i++) {
    const id = ids[i] as number;
    const f = compiled[id] as CompiledField;
    const v = values[i] as string | Buffer;
    values[i] = '';
    const bit = id - 1;
    buf[4 + (bit >> 3)] = (buf[4 + (bit >> 3)] as number) | (0x80 >> (bit & 7));
    const n = v.length;
    if (f.prefixDigits > 0) {
      writeDigits(buf, off, n, f.prefixDigits);
      off += f.prefixDigits;
    }
    if (typeof v !== 'string') {
      v.copy(buf, off);
      off += n;
    } else if (f.prefixDigits === 0 && n < f.length) {
      const padLen = f.length - n;
      if (f.padLeft) {
        buf.fill(f.padByte, off, off + padLen);
        buf.write(v, off + padLen, n, 'latin1');
      } else {
        buf.write(v, off, n, 'latin1');
        buf.fill(f.padByte, off + n, off + f.length);
      }
      off += f.length;
    } else {
      buf.write(v, off, n, 'latin1');
      off += n;
    }
  }
  return buf;
}

function sortScratch(count: number): void {
  const pairs: [number, string | Buffer][] = [];
  for (let i = 0; i < count; i++) pairs.push([ids[i] as number, values[i] as string | Buffer]);
  pairs.sort((a, b) => a[0] - b[0]);
  pairs.forEach(([id, v], i) => {
    ids[i] = id;
    values[i] = v;
  });
}
