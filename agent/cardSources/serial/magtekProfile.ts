import { MagtekParser, type MagtekEvent } from '../../../protocol/reader/index.js';
import { inputDecoder } from './inputDecoder.js';
import type { ProfileStrategy } from './profileStrategy.js';
import type { ReaderLine } from './readerLine.js';

/**
 * The MagTek profile: one ASCII line per swipe, no LRC, no ACK/NAK, and no
 * input at all: the reader cannot be armed, kept alive or asked its status.
 */
export const magtekProfile: ProfileStrategy = {
  profile: 'magtek',
  commands: undefined,
  decoder: (line) => inputDecoder(new MagtekParser(), (ev) => onLineEvent(line, ev)),
};

function onLineEvent(line: ReaderLine, ev: MagtekEvent): void {
  const c = line.counters;
  switch (ev.kind) {
    case 'swipe':
      c.frames++;
      line.card(ev.text);
      return;
    case 'read-error':
      line.readError();
      return;
    case 'noise':
      c.noiseBytes += ev.bytes;
      return;
    case 'oversize':
      c.oversize++;
      line.log?.warn({ problem: ev.kind, bytes: ev.bytes }, 'oversize line from reader, dropped');
      return;
    case 'truncated':
      c.truncated++;
      line.log?.warn({ problem: ev.kind, bytes: ev.bytes }, 'unterminated line from reader, dropped');
      return;
  }
}
