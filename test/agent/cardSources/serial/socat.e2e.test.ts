import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCardReader, type SerialCardReader } from '../../../../agent/cardSources/serial/index.js';
import { ReaderCli, SKIP_SOCAT, ensureBuilt, isAlive } from './readerCli.js';

// End to end over a real socat pseudo-terminal pair, the real serialport
// binding and the emulator as a child process (`node dist/emulator/cli.js reader`).
const HAPPY = { pan: '6280000000000016', expiry: '3012', kind: 'card' };

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'pos-reader-e2e-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function nextState(reader: SerialCardReader, state: 'connected' | 'disconnected'): Promise<void> {
  return new Promise((resolve) => {
    if (reader.state === state) return resolve();
    const off = reader.onStateChange((s) => {
      if (s === state) {
        off();
        resolve();
      }
    });
  });
}

describe.skipIf(SKIP_SOCAT).each(['framed', 'magtek'] as const)('reader over socat (%s)', (profile) => {
  let cli: ReaderCli | undefined;
  let reader: SerialCardReader | undefined;
  let link: string;
  let n = 0;

  const armed = () => (profile === 'framed' ? cli!.until((s) => s.armed === true) : Promise.resolve());

  beforeAll(async () => {
    link = join(dir, `tty-${profile}-${++n}`);
    cli = await ReaderCli.start(['--link', link, '--profile', profile]);
    expect(cli.ready).toMatchObject({ msg: 'ready', link, profile });
    reader = await openCardReader({ path: link, profile, baudRate: 9600, keepAliveMs: 200 });
    expect(reader.state).toBe('connected');
  });
  afterEach(async () => {
    // leave the reader idle between tests
    if (profile === 'framed') await cli?.until((s) => s.armed === false);
  });
  afterAll(async () => {
    // socat must never have died on its own
    expect(cli?.events ?? []).toEqual([]);
    await reader?.close();
    const socat = cli?.socatPid;
    await cli?.stop();
    if (socat !== undefined) expect(isAlive(socat)).toBe(false);
    expect(existsSync(link)).toBe(false);
  });

  it('swipe -> card', async () => {
    const read = reader!.readCard({ timeoutMs: 20_000 });
    await armed();
    const reply = await cli!.send('swipe-card happy');
    expect(reply).toMatchObject({ msg: 'ok', cmd: 'swipe-card', outcome: profile === 'framed' ? 'acked' : 'sent', pan: '628000******0016' });
    expect(JSON.stringify(reply)).not.toContain(HAPPY.pan);
    expect(await read).toEqual(HAPPY);
  });

  it(profile === 'framed' ? 'bad LRC -> NAK -> resend -> card' : 'bad-lrc is refused: MagTek has no LRC', async () => {
    if (profile === 'magtek') {
      expect(await cli!.send('bad-lrc')).toMatchObject({ msg: 'error', code: 'EMU_READER_ERR_PROFILE' });
      return;
    }
    const before = reader!.counters();
    const read = reader!.readCard({ timeoutMs: 20_000 });
    await armed();
    expect(await cli!.send('bad-lrc')).toMatchObject({ outcome: 'acked', attempts: 2, naks: 1 });
    expect(await read).toEqual(HAPPY);
    expect(reader!.counters().badLrc - before.badLrc).toBe(1);
    expect(reader!.counters().naksSent - before.naksSent).toBe(1);
  });

  it('noise, then swipe -> card', async () => {
    const before = reader!.counters().noiseBytes;
    const read = reader!.readCard({ timeoutMs: 20_000 });
    await armed();
    expect(await cli!.send('noise 40')).toMatchObject({ bytes: 40 });
    await cli!.send('swipe 6280000000000057 3012');
    expect(await read).toEqual({ pan: '6280000000000057', expiry: '3012', kind: 'card' });
    expect(reader!.counters().noiseBytes - before).toBe(40);
  });

  it('unplug in the middle of a read, replug: the driver reconnects and the next swipe is read', async () => {
    const reconnects = reader!.counters().reconnects;
    const read = reader!.readCard({ timeoutMs: 25_000 });
    await armed();
    const down = nextState(reader!, 'disconnected');
    expect(await cli!.send('unplug')).toMatchObject({ cmd: 'unplug', state: { plugged: false } });
    await down;
    expect(existsSync(link)).toBe(false);
    const up = nextState(reader!, 'connected');
    expect(await cli!.send('replug')).toMatchObject({ cmd: 'replug', state: { plugged: true } });
    await up;
    await armed(); // re-armed by the driver because the read is still pending
    await cli!.send('swipe-card offer');
    expect(await read).toEqual({ pan: '6280000000000057', expiry: '3012', kind: 'card' });
    expect(reader!.counters().reconnects).toBe(reconnects + 1);
  });

  it('a bad command gets a clear error and the emulator carries on', async () => {
    expect(await cli!.send('swipe 12')).toMatchObject({ msg: 'error', code: 'EMU_READER_ERR_COMMAND' });
    expect(await cli!.send('status')).toMatchObject({ msg: 'ok', state: { plugged: true, profile } });
  });
});

describe.skipIf(SKIP_SOCAT)('reader over socat, paced at 9600 baud', () => {
  let cli: ReaderCli | undefined;
  let reader: SerialCardReader | undefined;

  afterAll(async () => {
    await reader?.close();
    await cli?.stop();
  });

  it('a paced swipe (one byte at a time) is read, with and without a bad LRC', async () => {
    const link = join(dir, 'tty-paced');
    cli = await ReaderCli.start(['--link', link, '--pace']);
    expect(cli.ready).toMatchObject({ msg: 'ready', pace: true, baud: 9600 });
    reader = await openCardReader({ path: link, profile: 'framed', baudRate: 9600 });
    for (const cmd of ['swipe-card happy', 'bad-lrc happy']) {
      const read = reader.readCard({ timeoutMs: 20_000 });
      await cli.until((s) => s.armed === true);
      expect(await cli.send(cmd)).toMatchObject({ outcome: 'acked' });
      expect(await read).toEqual(HAPPY);
      await cli.until((s) => s.armed === false);
    }
    // bytes arrive one by one: the frame is assembled across chunks without a flush
    expect(reader.counters()).toMatchObject({ truncated: 0, badLrc: 1 });
  });
});
