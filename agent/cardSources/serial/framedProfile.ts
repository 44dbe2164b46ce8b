import { createHash } from 'node:crypto';
import { ACK, ARM, DISARM, NAK, parseStatusCode } from '../../../protocol/reader/index.js';
import { encodeFrame } from '../../../protocol/reader/index.js';
import { FrameDecoder, type DecoderEvent } from '../../../protocol/reader/index.js';
import { inputDecoder } from './inputDecoder.js';
import type { ProfileStrategy } from './profileStrategy.js';
import type { ReaderLine } from './readerLine.js';

/**
 * The framed profile (modelled on ID TECH): STX/ETX frames with an LRC. Every
 * good frame is ACKed and every bad one NAKed; the reader is armed, disarmed
 * and kept alive with P and I frames.
 */
export const framedProfile: ProfileStrategy = {
  profile: 'framed',
  commands: { arm: encodeFrame('P', ARM), disarm: encodeFrame('P', DISARM), status: encodeFrame('I') },
  decoder: (line) => inputDecoder(new FrameDecoder(), (ev) => onFrameEvent(line, ev)),
};

function onFrameEvent(line: ReaderLine, ev: DecoderEvent): void {
  const c = line.counters;
  switch (ev.kind) {
    case 'frame':
      c.frames++;
      line.heard();
      // A card's ACK goes out after the caller has its card (setImmediate runs after the promise callbacks).
      if (ev.type === 'C') setImmediate(() => line.write(Uint8Array.of(ACK)));
      else line.write(Uint8Array.of(ACK));
      if (ev.type === 'C') onCardFrame(line, ev.payload);
      else if (ev.type === 'I') onStatusFrame(line, ev.payload);
      else if (ev.type === 'E') line.readError();
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

function onCardFrame(line: ReaderLine, payload: Buffer): void {
  // A resend of a card (our ACK was lost) has the same digest; only the digest is kept.
  const key = createHash('sha256').update(payload).digest('base64');
  line.card(payload.toString('latin1'), key);
}

function onStatusFrame(line: ReaderLine, payload: Buffer): void {
  const status = parseStatusCode(payload);
  if (status !== undefined) line.status(status);
}
