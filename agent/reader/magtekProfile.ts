import { MagtekParser, type MagtekEvent } from '../../protocol/reader/magtekParser.js';
import type { InputDecoder, ProfileStrategy } from './profileStrategy.js';
import type { ReaderLine } from './readerLine.js';

/**
 * The MagTek profile: one ASCII line per swipe, no LRC, no ACK/NAK, and no
 * input at all: the reader cannot be armed, kept alive or asked its status.
 */
export const magtekProfile: ProfileStrategy = {
  profile: 'magtek',
  commands: undefined,
  decoder: (line) => new MagtekDecoder(line),
};

class MagtekDecoder implements InputDecoder {
  private readonly lines = new MagtekParser();

  constructor(private readonly line: ReaderLine) {}

  get pending(): boolean {
    return this.lines.pending;
  }

  push(chunk: Uint8Array): void {
    for (const ev of this.lines.push(chunk)) this.onEvent(ev);
  }

  flush(): void {
    for (const ev of this.lines.flush()) this.onEvent(ev);
  }

  private onEvent(ev: MagtekEvent): void {
    const { line } = this;
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
}
