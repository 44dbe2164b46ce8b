import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeReader } from '../../../../agent/cardSources/serial/probeReader.js';
import { ReaderError } from '../../../../agent/cardSources/readerError.js';
import type { SerialBinding } from '../../../../agent/cardSources/serial/serialTypes.js';
import { MockTransport } from '../../../../emulator/reader/mockTransport.js';
import { ReaderEmulator } from '../../../../emulator/reader/readerEmulator.js';

let seq = 0;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

async function device(opts: { profile?: 'framed' | 'magtek'; mute?: boolean } = {}) {
  const transport = new MockTransport(`/dev/ttyPROBE${process.pid}-${++seq}`);
  const emu = new ReaderEmulator({ transport, profile: opts.profile ?? 'framed' });
  if (opts.mute) transport.onData(() => {});
  await emu.start();
  open.push(emu);
  return { transport, emu };
}

describe('probeReader', () => {
  it('asks the status of a framed reader and closes the port', async () => {
    const { transport, emu } = await device();
    expect(await probeReader({ path: transport.path, binding: transport.binding })).toEqual({ path: transport.path, profile: 'framed', status: 'idle' });
    expect(emu.state.keepAlives).toBe(1);
    // the port was closed: it can be opened again
    expect((await probeReader({ path: transport.path, binding: transport.binding })).status).toBe('idle');
  });

  it('READER_ERR_OPEN when the device is missing', async () => {
    const { transport, emu } = await device();
    await emu.unplug();
    const err = await probeReader({ path: transport.path, binding: transport.binding }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReaderError);
    expect((err as ReaderError).code).toBe('READER_ERR_OPEN');
  });

  it('READER_ERR_PERMISSION when the port is there but may not be opened, naming the user, the owner and the mode', async () => {
    // The serial binding's error as it comes from open(2) refused: strerror's text, no errno.
    const dir = mkdtempSync(join(tmpdir(), 'probe-perm-'));
    try {
      const path = join(dir, 'ttyUSB9');
      writeFileSync(path, '', { mode: 0o600 });
      const { transport } = await device();
      const denied: SerialBinding = {
        list: () => transport.binding.list(),
        open: () => Promise.reject(new Error(`Permission denied, cannot open ${path}`)),
      };
      const err = await probeReader({ path, binding: denied }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReaderError);
      expect((err as ReaderError).code).toBe('READER_ERR_PERMISSION');
      const me = userInfo().username;
      expect((err as ReaderError).message).toMatch(new RegExp(`^cannot open reader port ${path}: permission denied for user ${me} \\(${realpathSync(path)}: owner ${me}, group \\S+, mode 0600\\)$`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('READER_ERR_NO_ANSWER when nothing answers (wrong profile, wrong baud, not a reader)', async () => {
    const { transport } = await device({ mute: true });
    const err = await probeReader({ path: transport.path, binding: transport.binding, timeoutMs: 50 }).catch((e: unknown) => e);
    expect((err as ReaderError).code).toBe('READER_ERR_NO_ANSWER');
  });

  it('MagTek: only opens the port (the reader cannot be asked)', async () => {
    const { transport } = await device({ profile: 'magtek' });
    expect(await probeReader({ path: transport.path, profile: 'magtek', binding: transport.binding })).toMatchObject({ status: 'unknown' });
  });
});
