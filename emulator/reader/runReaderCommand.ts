import type { ReaderCommand } from './readerCommand.js';
import type { ReaderEmulator } from './readerEmulator.js';

/** The JSON line printed for a command's outcome. PANs are masked; expiry is not printed. */
export type CommandReport = { msg: 'ok'; cmd: ReaderCommand['cmd'] } & Record<string, unknown>;

/** Runs one command against the emulator and describes the outcome. */
export async function runReaderCommand(emu: ReaderEmulator, c: ReaderCommand): Promise<CommandReport> {
  switch (c.cmd) {
    case 'swipe':
      return { msg: 'ok', cmd: c.cmd, ...(await emu.swipe(c.pan, c.expiry)) };
    case 'swipe-card':
      return { msg: 'ok', cmd: c.cmd, card: c.name, ...(await emu.swipeCard(c.name)) };
    case 'bad-lrc':
      return { msg: 'ok', cmd: c.cmd, card: c.card ?? 'happy', ...(await emu.badLrc(c.card)) };
    case 'truncate':
      return { msg: 'ok', cmd: c.cmd, card: c.card ?? 'happy', ...(await emu.truncate(c.card)) };
    case 'noise':
      return { msg: 'ok', cmd: c.cmd, bytes: await emu.noise(c.bytes) };
    case 'unplug':
      await emu.unplug();
      return { msg: 'ok', cmd: c.cmd, state: emu.state };
    case 'replug':
      await emu.replug();
      return { msg: 'ok', cmd: c.cmd, state: emu.state };
    case 'status':
      return { msg: 'ok', cmd: c.cmd, state: emu.state };
  }
}
