import { compileSpec, type CompiledField } from './compiledSpec.js';
import type { MessageSpec } from './fieldSpec.js';
import { Iso8583Error } from './iso8583Error.js';
import type { Iso8583Fields, Iso8583Message } from './message.js';
import { assertMti } from './mti.js';
import { SPEC_1987 } from './spec87.js';

function truncated(what: string, offset: number, field?: number): never {
  throw new Iso8583Error('ISO_ERR_TRUNCATED', `unpack ${what}: message ends early`, { offset, ...(field === undefined ? {} : { field }) });
}

/**
 * Where the field starting at `pos` ends: reads and checks its length prefix
 * (if any) and that the message holds it. Its value starts at `pos + f.prefixDigits`.
 */
function fieldEnd(buf: Buffer, pos: number, f: CompiledField): number {
  const total = buf.length;
  let len = f.length;
  if (f.prefixDigits > 0) {
    if (pos + f.prefixDigits > total) truncated(`${f.label} length prefix`, pos, f.id);
    len = 0;
    for (let i = 0; i < f.prefixDigits; i++) {
      const c = buf[pos + i] as number;
      if (c < 0x30 || c > 0x39) {
        throw new Iso8583Error('ISO_ERR_LENGTH_PREFIX', `unpack ${f.label}: length prefix must be ${f.prefixDigits} ASCII digits`, { field: f.id, offset: pos + i });
      }
      len = len * 10 + (c - 0x30);
    }
    if (len > f.length) {
      throw new Iso8583Error('ISO_ERR_LENGTH_MAX', `unpack ${f.label}: length ${len} is over the maximum ${f.length}`, { field: f.id, offset: pos });
    }
    pos += f.prefixDigits;
  }
  const stop = pos + len;
  if (stop > total) truncated(`${f.label}: ${len} bytes announced`, pos, f.id);
  return stop;
}

/** The value between `start` and `stop`: a copy for `b` fields, else the text, each byte checked against the charset. */
function fieldValue(buf: Buffer, text: string, start: number, stop: number, f: CompiledField): string | Buffer {
  if (f.binary) return Buffer.from(buf.subarray(start, stop));
  const cs = f.charset;
  for (let i = start; i < stop; i++) {
    if (cs[buf[i] as number] === 0) {
      throw new Iso8583Error('ISO_ERR_CHARSET', `unpack ${f.label}: byte at position ${i - start} is outside charset ${f.charsetName}`, { field: f.id, offset: i });
    }
  }
  return text.slice(start, stop);
}

/**
 * Unpacks one message (without its frame header). Strict: throws
 * {@link Iso8583Error} on a bad MTI, truncation, a bad length prefix, a
 * length over the maximum, a byte outside a field's charset, a bitmap bit
 * with no spec, field 65, a secondary bitmap with no field 66–128, or
 * trailing bytes. It never returns a partial message. Whatever it accepts,
 * {@link encode} turns back into the same bytes. It keeps no state between calls.
 */
export function decode(bytes: Uint8Array, spec: MessageSpec = SPEC_1987): Iso8583Message {
  const compiled = compileSpec(spec).fields;
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const total = buf.length;
  if (total < 4) truncated('MTI', 0);
  const text = buf.toString('latin1');
  const mti = text.slice(0, 4);
  assertMti(mti, 'unpack');
  if (total < 12) truncated('primary bitmap', 4);
  const secondary = ((buf[4] as number) & 0x80) !== 0;
  let bitmapBytes = 8;
  if (secondary) {
    if (total < 20) truncated('secondary bitmap', 12);
    if (((buf[12] as number) & 0x80) !== 0) {
      throw new Iso8583Error('ISO_ERR_FIELD65', 'unpack field 65 (Tertiary Bitmap): not supported', { field: 65, offset: 12 });
    }
    let any = 0;
    for (let i = 12; i < 20; i++) any |= buf[i] as number;
    if (any === 0) {
      throw new Iso8583Error('ISO_ERR_BITMAP', 'unpack field 1 (Secondary Bitmap): bit 1 is set but no field 66-128 is present', { field: 1, offset: 4 });
    }
    bitmapBytes = 16;
  }
  const fields: Iso8583Fields = {};
  let pos = 4 + bitmapBytes;
  for (let byte = 0; byte < bitmapBytes; byte++) {
    const bits = buf[4 + byte] as number;
    if (bits === 0) continue;
    for (let b = 0; b < 8; b++) {
      if ((bits & (0x80 >> b)) === 0) continue;
      const id = byte * 8 + b + 1;
      if (id === 1) continue;
      const f = compiled[id];
      if (f === undefined) {
        throw new Iso8583Error('ISO_ERR_NO_SPEC', `unpack field ${id}: bit set but no spec for this field`, { field: id, offset: 4 + byte });
      }
      const stop = fieldEnd(buf, pos, f);
      fields[id] = fieldValue(buf, text, pos + f.prefixDigits, stop, f);
      pos = stop;
    }
  }
  if (pos !== total) {
    throw new Iso8583Error('ISO_ERR_TRAILING', `unpack: ${total - pos} bytes after the last field`, { offset: pos });
  }
  return { mti, fields };
}
