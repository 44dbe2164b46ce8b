import { Iso8583Error } from './iso8583Error.js';

/** Default largest payload a frame may announce, bytes. */
export const DEFAULT_MAX_FRAME = 8192;
const HEADER = 2;

/** Options of {@link LengthPrefixedFramer}. */
export interface FramerOptions {
  /** Largest payload (header excluded) accepted, 1–65535. Default {@link DEFAULT_MAX_FRAME} (8192). */
  maxLength?: number;
}

function checkMax(maxLength: number): number {
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 0xffff) {
    throw new RangeError('"maxLength" must be an integer 1-65535');
  }
  return maxLength;
}

/**
 * Prepends the 2-byte big-endian length header. Throws ISO_ERR_FRAME_EMPTY
 * for an empty payload and ISO_ERR_FRAME_OVERSIZE over `maxLength`
 * (default 8192).
 */
export function frame(payload: Uint8Array, maxLength: number = DEFAULT_MAX_FRAME): Buffer {
  const n = payload.length;
  if (n === 0) throw new Iso8583Error('ISO_ERR_FRAME_EMPTY', 'frame: payload is empty');
  if (n > checkMax(maxLength)) throw new Iso8583Error('ISO_ERR_FRAME_OVERSIZE', `frame: payload of ${n} bytes is over the maximum ${maxLength}`);
  const out = Buffer.allocUnsafe(HEADER + n);
  out.writeUInt16BE(n, 0);
  out.set(payload, HEADER);
  return out;
}

/**
 * Pure decoder for TCP streams framed by a 2-byte big-endian length header.
 * `push(chunk)` returns every payload completed by that chunk (possibly none,
 * possibly several), copied out of the input. Partial headers and payloads
 * are kept until the rest arrives; at most one copy is made per push, never
 * one per byte.
 *
 * A header announcing 0 bytes (ISO_ERR_FRAME_EMPTY) or more than `maxLength`
 * (ISO_ERR_FRAME_OVERSIZE) makes the stream unrecoverable: the framer throws,
 * and every later push throws ISO_ERR_FRAME_FAILED. Close the connection.
 * When good frames came before the bad header in the same chunk, push returns
 * them (they deserve their answers) and sets {@link failure} instead of throwing.
 */
export class LengthPrefixedFramer {
  readonly maxLength: number;
  private pending: Buffer = Buffer.alloc(0);
  private failed = false;
  /** Why the stream was refused after the frames the last push returned; the connection should close once they are answered. */
  failure: Iso8583Error | undefined;

  constructor(options: FramerOptions = {}) {
    this.maxLength = checkMax(options.maxLength ?? DEFAULT_MAX_FRAME);
  }

  /** Bytes held back waiting for the rest of a frame. */
  get buffered(): number {
    return this.pending.length;
  }

  push(chunk: Uint8Array): Buffer[] {
    if (this.failed) throw new Iso8583Error('ISO_ERR_FRAME_FAILED', 'framer: the stream was already refused; close the connection');
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const data = this.pending.length === 0 ? input : Buffer.concat([this.pending, input]);
    const out: Buffer[] = [];
    let pos = 0;
    while (data.length - pos >= HEADER) {
      const n = data.readUInt16BE(pos);
      if (n === 0 || n > this.maxLength) {
        this.failed = true;
        this.pending = Buffer.alloc(0);
        const err =
          n === 0
            ? new Iso8583Error('ISO_ERR_FRAME_EMPTY', 'framer: header announces an empty frame', { offset: pos })
            : new Iso8583Error('ISO_ERR_FRAME_OVERSIZE', `framer: header announces ${n} bytes, over the maximum ${this.maxLength}`, { offset: pos });
        if (out.length === 0) throw err;
        this.failure = err;
        return out;
      }
      if (data.length - pos - HEADER < n) break;
      out.push(Buffer.from(data.subarray(pos + HEADER, pos + HEADER + n)));
      pos += HEADER + n;
    }
    this.pending = pos === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(pos));
    return out;
  }
}
