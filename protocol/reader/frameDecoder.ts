import { ACK, ETX, FRAME_OVERHEAD, MAX_PAYLOAD, NAK, STX, isFrameTypeByte, type FrameType } from './constants.js';
import { lrc } from './encodeFrame.js';

/** A good frame: LRC checked, payload copied out of the decoder's buffer. */
export interface Frame {
  type: FrameType;
  payload: Buffer;
}

/**
 * What the decoder reports, in stream order. Problems never carry the bytes
 * themselves (they may hold card data), only sizes and the frame type.
 */
export type DecoderEvent =
  | ({ kind: 'frame' } & Frame)
  | { kind: 'ack' }
  | { kind: 'nak' }
  /** Bytes outside any frame, skipped while hunting for STX. Reported when the run ends (STX, ACK, NAK or flush). */
  | { kind: 'noise'; bytes: number }
  /** A complete frame whose LRC did not match: answer NAK. */
  | { kind: 'bad-lrc'; type: FrameType; length: number }
  /** LEN over {@link MAX_PAYLOAD}: the frame is dropped and the decoder resyncs after its STX. */
  | { kind: 'oversize'; type: FrameType; length: number }
  /** LEN payload bytes were not followed by ETX: dropped, resync after its STX. */
  | { kind: 'missing-etx'; type: FrameType; length: number }
  /** {@link FrameDecoder.flush} found a frame cut short; `bytes` is how much of it had arrived. */
  | { kind: 'truncated'; bytes: number };

const enum State {
  Hunt,
  Type,
  LenHi,
  LenLo,
  Payload,
  Etx,
  Lrc,
}

/**
 * Streaming decoder for the framed profile:
 * `STX TYPE LEN_HI LEN_LO PAYLOAD ETX LRC`.
 *
 * `push` takes chunks of any size and returns the events they complete; a
 * frame is reported as soon as its LRC byte arrives. Partial frames are kept
 * in one fixed buffer (no per-chunk concatenation). The caller calls `flush`
 * after an inter-byte gap (the agent uses 100 ms) to report a frame cut short.
 *
 * Resync rule: when a frame turns out to be bad before its end (unknown TYPE,
 * oversize LEN, missing ETX) its STX is dropped and the bytes after it are
 * scanned again, so a real frame hidden behind a false STX is still found.
 * The events do not depend on how the input was split into chunks.
 */
export class FrameDecoder {
  private readonly buf = new Uint8Array(MAX_PAYLOAD + FRAME_OVERHEAD);
  private pos = 0;
  private state: State = State.Hunt;
  private len = 0;
  private noise = 0;

  /** True while part of a frame, or a run of noise not yet reported, is held. */
  get pending(): boolean {
    return this.state !== State.Hunt || this.noise > 0;
  }

  push(chunk: Uint8Array): DecoderEvent[] {
    const out: DecoderEvent[] = [];
    this.feed(chunk, out);
    return out;
  }

  /** Ends the current frame (if any) as truncated and reports pending noise. */
  flush(): DecoderEvent[] {
    const out: DecoderEvent[] = [];
    this.endNoise(out);
    if (this.state !== State.Hunt) {
      out.push({ kind: 'truncated', bytes: this.pos });
      this.reset();
    }
    return out;
  }

  private feed(bytes: Uint8Array, out: DecoderEvent[]): void {
    for (let i = 0; i < bytes.length; i++) this.step(bytes[i] as number, out);
  }

  private step(b: number, out: DecoderEvent[]): void {
    switch (this.state) {
      case State.Hunt:
        if (b === STX) {
          this.endNoise(out);
          this.buf[0] = b;
          this.pos = 1;
          this.state = State.Type;
        } else if (b === ACK || b === NAK) {
          this.endNoise(out);
          out.push({ kind: b === ACK ? 'ack' : 'nak' });
        } else {
          this.noise++;
        }
        return;
      case State.Type:
        if (!isFrameTypeByte(b)) {
          // The STX was noise; look at this byte again from scratch.
          this.reset();
          this.noise++;
          this.step(b, out);
          return;
        }
        this.buf[this.pos++] = b;
        this.state = State.LenHi;
        return;
      case State.LenHi:
        this.buf[this.pos++] = b;
        this.state = State.LenLo;
        return;
      case State.LenLo:
        this.buf[this.pos++] = b;
        this.len = ((this.buf[2] as number) << 8) | b;
        if (this.len > MAX_PAYLOAD) {
          out.push({ kind: 'oversize', type: this.type(), length: this.len });
          this.resync(out);
          return;
        }
        this.state = this.len === 0 ? State.Etx : State.Payload;
        return;
      case State.Payload:
        this.buf[this.pos++] = b;
        if (this.pos === 4 + this.len) this.state = State.Etx;
        return;
      case State.Etx:
        this.buf[this.pos++] = b;
        if (b !== ETX) {
          out.push({ kind: 'missing-etx', type: this.type(), length: this.len });
          this.resync(out);
          return;
        }
        this.state = State.Lrc;
        return;
      case State.Lrc: {
        const type = this.type();
        if (lrc(this.buf, 0, this.pos) === b) {
          out.push({ kind: 'frame', type, payload: Buffer.from(this.buf.subarray(4, 4 + this.len)) });
        } else {
          out.push({ kind: 'bad-lrc', type, length: this.len });
        }
        this.reset();
        return;
      }
    }
  }

  /** Drops the STX of the frame in progress and rescans the bytes after it. */
  private resync(out: DecoderEvent[]): void {
    const replay = this.buf.slice(1, this.pos);
    this.reset();
    this.feed(replay, out);
  }

  private type(): FrameType {
    return String.fromCharCode(this.buf[1] as number) as FrameType;
  }

  private endNoise(out: DecoderEvent[]): void {
    if (this.noise > 0) {
      out.push({ kind: 'noise', bytes: this.noise });
      this.noise = 0;
    }
  }

  private reset(): void {
    this.state = State.Hunt;
    this.pos = 0;
    this.len = 0;
  }
}
