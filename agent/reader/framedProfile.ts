import { createHash } from 'node:crypto';
import { ACK, ARM, DISARM, NAK, parseStatusCode } from '../../protocol/reader/constants.js';
import { encodeFrame } from '../../protocol/reader/encodeFrame.js';
import { FrameDecoder, type DecoderEvent } from '../../protocol/reader/frameDecoder.js';
import type { InputDecoder, ProfileStrategy } from './profileStrategy.js';
import type { ReaderLine } from './readerLine.js';

/**
 * The framed profile (modelled on ID TECH): STX/ETX frames with an LRC. Every
 * good frame is ACKed and every bad one NAKed; the reader is armed, disarmed
 * and kept alive with P and I frames.
 */
export const framedProfile: ProfileStrategy = {
  profile: 'framed',
  commands: { arm: encodeFrame('P', ARM), disarm: encodeFrame('P', DISARM), status: encodeFrame('I') },
  decoder: (line) => new FramedDecoder(line),
};

class FramedDecoder implements InputDecoder {
  private readonly frames = new FrameDecoder();

  constructor(private readonly line: ReaderLine) {}

  get pending(): boolean {
    return this.frames.pending;
  }

  push(chunk: Uint8Array): void {
    for (const ev of this.frames.push(chunk)) this.onEvent(ev);
  }

  flush(): void {
    for (const ev of this.frames.flush()) this.onEvent(ev);
  }

  private onEvent(ev: DecoderEvent): void {
    const { line } = this;
    const c = line.counters;
    switch (ev.kind) {
      case 'frame':
        c.frames++;
        line.heard();
        // A card's ACK goes out after the caller has its card (setImmediate runs after the promise callbacks).
        if (ev.type === 'C') setImmediate(() => line.write(Uint8Array.of(ACK)));
        else line.write(Uint8Array.of(ACK));
        if (ev.type === 'C') this.onCard(ev.payload);
        else if (ev.type === 'I') {
          const status = parseStatusCode(ev.payload);
          if (status !== undefined) line.status(status);
        } else if (ev.type === 'E') line.readError();
        return;
      case 'ack':
        line.heard();
        line.ack();
        return;
      case 'nak':
        line.heard();
        line.nak();
        return;
      case 'noise':
        c.noiseBytes += ev.bytes;
        return;
      case 'bad-lrc':
        c.badLrc++;
        break;
      case 'oversize':
        c.oversize++;
        break;
      case 'missing-etx':
      case 'truncated':
        c.truncated++;
        break;
    }
    c.naksSent++;
    line.write(Uint8Array.of(NAK));
    line.log?.warn({ problem: ev.kind }, 'bad frame from reader, NAK sent');
  }

  private onCard(payload: Buffer): void {
    // A resend of a card (our ACK was lost) has the same digest; only the digest is kept.
    const key = createHash('sha256').update(payload).digest('base64');
    this.line.card(payload.toString('latin1'), key);
  }
}
