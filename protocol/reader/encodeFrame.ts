import { PosError } from '../errors.js';
import { ETX, MAX_PAYLOAD, STX, type FrameType } from './constants.js';

/** Why a frame could not be encoded. */
export type FrameEncodeErrorCode = 'FRAME_ERR_PAYLOAD_SIZE';

/** A payload too long for one frame (over 256 bytes). */
export class FrameEncodeError extends PosError<FrameEncodeErrorCode> {}

/** XOR of every byte of `bytes` from `start` (inclusive) to `end` (exclusive). */
export function lrc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i] as number;
  return x;
}

/**
 * Builds `STX TYPE LEN_HI LEN_LO PAYLOAD ETX LRC`, where LRC is the XOR of
 * every byte from STX to ETX inclusive. A string payload is taken as latin1
 * (one byte per character).
 */
export function encodeFrame(type: FrameType, payload: Uint8Array | string = ''): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  if (body.length > MAX_PAYLOAD) {
    throw new FrameEncodeError('FRAME_ERR_PAYLOAD_SIZE', `frame payload must be at most ${MAX_PAYLOAD} bytes (got ${body.length})`);
  }
  const out = Buffer.allocUnsafe(body.length + 6);
  out[0] = STX;
  out[1] = type.charCodeAt(0);
  out[2] = body.length >> 8;
  out[3] = body.length & 0xff;
  out.set(body, 4);
  out[4 + body.length] = ETX;
  out[5 + body.length] = lrc(out, 0, 5 + body.length);
  return out;
}
