import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReaderError } from '../../../../agent/cardSources/readerError.js';
import { SerialCardReader } from '../../../../agent/cardSources/serial/serialCardReader.js';
import { MockTransport } from '../../../../emulator/reader/mockTransport.js';
import { mockRig, type MockRig } from './mockRig.js';

const HAPPY = { pan: '6280000000000016', expiry: '3012', kind: 'card' };
const FAKE: Parameters<typeof vi.useFakeTimers>[0] = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] };

let rig: MockRig | undefined;
const extra: { close(): Promise<void> }[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await rig?.close();
  rig = undefined;
  for (const c of extra.splice(0)) await c.close();
});

describe('supervisor (MockBinding)', () => {
  it('unplug during a read: disconnected, reopened after replug, re-armed, the next swipe is read', async () => {
    rig = await mockRig();
    const read = rig.reader.readCard({ timeoutMs: 60_000 });
    await rig.emu.whenArmed();
    const down = rig.nextState('disconnected');
    await rig.emu.unplug();
    await down;
    expect(rig.reader.state).toBe('disconnected');
    const up = rig.nextState('connected');
    await rig.emu.replug();
    await up;
    // the reader came back disarmed; the driver re-arms because a read is pending
    await rig.emu.whenArmed();
    await rig.emu.swipeCard('happy');
    expect(await read).toEqual(HAPPY);
    expect(rig.reader.counters().reconnects).toBe(1);
  });

  it('reopen backoff grows 100, 200, 400 ms while the device is away', async () => {
    rig = await mockRig();
    vi.useFakeTimers(FAKE);
    const down = rig.nextState('disconnected');
    await rig.emu.unplug();
    await down;
    const opens = rig.transport.opens;
    // attempts at +100 (fails), +200 more (fails), +400 more (fails)
    await vi.advanceTimersByTimeAsync(700);
    expect(rig.transport.opens).toBe(opens);
    await rig.emu.replug();
    await vi.advanceTimersByTimeAsync(799); // next attempt due 800 ms after the third failure
    expect(rig.reader.state).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(1);
    expect(rig.reader.state).toBe('connected');
    expect(rig.transport.opens).toBe(opens + 1);
  });

  it('a read that times out while unplugged rejects with READER_ERR_DISCONNECTED', async () => {
    vi.useFakeTimers(FAKE);
    rig = await mockRig();
    const read = rig.reader.readCard({ timeoutMs: 60_000 }).catch((e: unknown) => e);
    const down = rig.nextState('disconnected');
    await rig.emu.unplug();
    await down;
    await vi.advanceTimersByTimeAsync(60_000);
    const err = await read;
    expect(err).toBeInstanceOf(ReaderError);
    expect((err as ReaderError).code).toBe('READER_ERR_DISCONNECTED');
  });

  it('3 missed keep-alives drop the connection and reopen it', async () => {
    // a mute line: the port opens but nobody answers
    vi.useFakeTimers(FAKE);
    rig = await mockRig({ mute: true, reader: { keepAliveMs: 1000 } });
    expect(rig.reader.state).toBe('connected');
    const down = rig.nextState('disconnected');
    // ticks at 1 s, 2 s, 3 s hear nothing: the third drops the line
    await vi.advanceTimersByTimeAsync(2_999);
    expect(rig.reader.counters().keepAliveLosses).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await down;
    expect(rig.reader.counters().keepAliveLosses).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(rig.reader.state).toBe('connected');
    expect(rig.reader.counters().reconnects).toBe(1);
  });

  it('answered keep-alives keep the connection', async () => {
    vi.useFakeTimers(FAKE);
    rig = await mockRig({ reader: { keepAliveMs: 1000 } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(rig.reader.counters()).toMatchObject({ keepAliveLosses: 0, reconnects: 0 });
    expect(rig.emu.state.keepAlives).toBeGreaterThanOrEqual(10);
    expect(rig.reader.readerStatus).toBe('idle');
  });

  it('its own close() is not taken for an unplug: no reopen', async () => {
    vi.useFakeTimers(FAKE);
    rig = await mockRig({ reader: { keepAliveMs: 1000 } });
    const opens = rig.transport.opens;
    await rig.reader.close();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(rig.transport.opens).toBe(opens);
    expect(rig.reader.state).toBe('disconnected');
    expect(rig.reader.counters().reconnects).toBe(0);
  });

  it('starts while the reader is unplugged, and connects when it appears', async () => {
    vi.useFakeTimers(FAKE);
    const transport = new MockTransport(`/dev/ttyMOCKlate${process.pid}`);
    const reader = new SerialCardReader({ path: transport.path, binding: transport.binding, keepAliveMs: 0 });
    extra.push(reader, transport);
    await reader.start();
    expect(reader.state).toBe('disconnected');
    await transport.plug();
    await vi.advanceTimersByTimeAsync(100);
    expect(reader.state).toBe('connected');
    expect(reader.counters().reconnects).toBe(0);
  });

  it('a device path that disappears drops the connection even if no read notices (PTY hang-up)', async () => {
    // MockBinding accepts any path; give it a real file so the supervisor can watch it
    const dir = mkdtempSync(join(tmpdir(), 'pos-reader-watch-'));
    const path = join(dir, 'ttyWATCH');
    writeFileSync(path, '');
    const transport = new MockTransport(path);
    await transport.plug();
    const reader = new SerialCardReader({ path, binding: transport.binding, keepAliveMs: 0, watchMs: 10 });
    extra.push(reader, transport, { close: async () => rmSync(dir, { recursive: true, force: true }) });
    await reader.start();
    expect(reader.state).toBe('connected');
    const down = new Promise<void>((resolve) => reader.onStateChange((s) => s === 'disconnected' && resolve()));
    unlinkSync(path); // the port itself stays open: only the watch can notice
    await down;
    expect(reader.state).toBe('disconnected');
  });
});
