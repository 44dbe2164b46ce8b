import { describe, expect, it } from 'vitest';
import { parseReaderCommand } from '../../../emulator/reader/readerCommand.js';
import { ReaderEmulatorError } from '../../../emulator/reader/readerEmulatorError.js';

describe('parseReaderCommand', () => {
  it.each([
    ['swipe 6280000000000016 3012', { cmd: 'swipe', pan: '6280000000000016', expiry: '3012' }],
    ['  swipe   6280000000000017   3013  ', { cmd: 'swipe', pan: '6280000000000017', expiry: '3013' }],
    ['swipe-card happy', { cmd: 'swipe-card', name: 'happy' }],
    ['noise 12', { cmd: 'noise', bytes: 12 }],
    ['bad-lrc', { cmd: 'bad-lrc' }],
    ['bad-lrc offer', { cmd: 'bad-lrc', card: 'offer' }],
    ['truncate', { cmd: 'truncate' }],
    ['unplug', { cmd: 'unplug' }],
    ['replug', { cmd: 'replug' }],
    ['status', { cmd: 'status' }],
  ])('%s', (line, cmd) => {
    expect(parseReaderCommand(line)).toEqual(cmd);
  });

  it('a blank line is nothing', () => {
    expect(parseReaderCommand('   ')).toBeUndefined();
  });

  it.each([
    ['dance', 'unknown command'],
    ['swipe 6280000000000016', 'takes 2 arguments'],
    ['swipe 62800000000000AB 3012', 'PAN must be 1 to 19 digits'],
    ['swipe 6280000000000016 12-30', 'expiry must be 4 digits'],
    ['noise -1', 'N must be an integer'],
    ['noise lots', 'N must be an integer'],
    ['status now', 'takes 0 arguments'],
    ['swipe-card', 'takes 1 argument'],
  ])('%s -> EMU_READER_ERR_COMMAND (%s)', (line, text) => {
    let err: unknown;
    try {
      parseReaderCommand(line);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReaderEmulatorError);
    expect((err as ReaderEmulatorError).code).toBe('EMU_READER_ERR_COMMAND');
    expect((err as Error).message).toContain(text);
    expect((err as Error).message).not.toContain('6280000000000016');
  });
});
