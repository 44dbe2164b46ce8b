import { MockTransport } from '../../../../emulator/reader/mockTransport.js';
import { ReaderEmulator, type ReaderEmulatorOptions } from '../../../../emulator/reader/readerEmulator.js';
import { SerialCardReader, type SerialCardReaderOptions } from '../../../../agent/cardSources/serial/serialCardReader.js';

let seq = 0;

export interface MockRig {
  transport: MockTransport;
  emu: ReaderEmulator;
  reader: SerialCardReader;
  /** Resolves on the reader's next change to `state`. */
  nextState(state: 'connected' | 'disconnected'): Promise<void>;
  close(): Promise<void>;
}

/**
 * An in-process rig: the reader emulator on a MockBinding port, and the
 * driver opened on the same port. `emu: false` leaves the line mute (nobody answers).
 */
export async function mockRig(
  opts: { profile?: 'framed' | 'magtek'; reader?: Partial<SerialCardReaderOptions>; emulator?: Partial<ReaderEmulatorOptions>; mute?: boolean } = {},
): Promise<MockRig> {
  const path = `/dev/ttyMOCK${process.pid}-${++seq}`;
  const transport = new MockTransport(path);
  const emu = new ReaderEmulator({ transport, profile: opts.profile ?? 'framed', ...opts.emulator });
  if (opts.mute) transport.onData(() => {});
  await emu.start();
  const reader = new SerialCardReader({ path, profile: opts.profile ?? 'framed', binding: transport.binding, keepAliveMs: 0, ...opts.reader });
  await reader.start();
  return {
    transport,
    emu,
    reader,
    nextState: (state) =>
      new Promise<void>((resolve) => {
        const off = reader.onStateChange((s) => {
          if (s === state) {
            off();
            resolve();
          }
        });
      }),
    close: async () => {
      await reader.close();
      await emu.close();
    },
  };
}
