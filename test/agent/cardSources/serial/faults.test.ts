import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeFrame } from '../../../../protocol/reader/encodeFrame.js';
import { mockRig, type MockRig } from './mockRig.js';

// Every fault from DESIGN.md "Card reader wire protocol", over MockBinding:
// each is counted, answered (NAK where the frame can be resent) and survived.
const HAPPY = { pan: '6280000000000016', expiry: '3012', kind: 'card' };
const h = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

let rig: MockRig | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await rig?.close();
  rig = undefined;
});

/** Starts a read and waits until the reader is armed. (Wrapped: an async function would flatten the promise.) */
async function armedRead(r: MockRig): Promise<{ read: Promise<unknown> }> {
  const read = r.reader.readCard({ timeoutMs: 60_000 });
  await r.emu.whenArmed();
  return { read };
}

describe('reader faults (framed)', () => {
  it('noise before STX: skipped, counted, resync on the next STX', async () => {
    rig = await mockRig();
    const { read } = await armedRead(rig);
    await rig.emu.noise(50);
    await rig.emu.swipeCard('happy');
    expect(await read).toEqual(HAPPY);
    expect(rig.reader.counters()).toMatchObject({ noiseBytes: 50, naksSent: 0 });
  });

  it('oversize LEN (257): dropped and NAKed; the next frame is read', async () => {
    rig = await mockRig();
    const { read } = await armedRead(rig);
    await rig.emu.raw(h('02 43 0101 41414141'));
    await rig.emu.swipeCard('happy');
    expect(await read).toEqual(HAPPY);
    // header bytes after the false STX (43 01 01) and the 4 'A's are noise
    expect(rig.reader.counters()).toMatchObject({ oversize: 1, naksSent: 1, noiseBytes: 7 });
  });

  it('missing ETX: dropped, NAKed and counted as truncated; the next frame is read', async () => {
    rig = await mockRig();
    const { read } = await armedRead(rig);
    // I frame, LEN 1, payload '1', then 'x' where ETX belongs
    await rig.emu.raw(h('02 49 0001 31 78'));
    await rig.emu.swipeCard('happy');
    expect(await read).toEqual(HAPPY);
    expect(rig.reader.counters()).toMatchObject({ truncated: 1, naksSent: 1 });
  });

  it('truncated frame: flushed after the 100 ms gap, NAKed, resent, read', async () => {
    rig = await mockRig();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const { read } = await armedRead(rig);
    const swipe = rig.emu.truncate('happy');
    await vi.advanceTimersByTimeAsync(99);
    expect(rig.reader.counters().truncated).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(rig.reader.counters()).toMatchObject({ truncated: 1, naksSent: 1 });
    await vi.advanceTimersByTimeAsync(1);
    expect(await swipe).toMatchObject({ outcome: 'acked', attempts: 2, naks: 1 });
    expect(await read).toEqual(HAPPY);
  });

  it('bad LRC: NAK, the reader resends, the card is read once', async () => {
    rig = await mockRig();
    const { read } = await armedRead(rig);
    expect(await rig.emu.badLrc('happy')).toMatchObject({ outcome: 'acked', attempts: 2, naks: 1 });
    expect(await read).toEqual(HAPPY);
    expect(rig.reader.counters()).toMatchObject({ badLrc: 1, naksSent: 1, duplicates: 0 });
  });

  it('a resent card (lost ACK) is dropped as a duplicate', async () => {
    rig = await mockRig();
    const { read } = await armedRead(rig);
    const card = encodeFrame('C', ';6280000000000016=3012101?');
    await rig.emu.sendFrame(card);
    expect(await read).toEqual(HAPPY);
    await rig.emu.sendFrame(card);
    expect(rig.reader.counters()).toMatchObject({ duplicates: 1, ignoredCards: 0 });
  });

  it('an E frame (bad swipe) is counted and the read keeps waiting', async () => {
    rig = await mockRig();
    const { read } = await armedRead(rig);
    await rig.emu.sendFrame(encodeFrame('E', '1'));
    expect(rig.reader.counters().readErrors).toBe(1);
    await rig.emu.swipeCard('happy');
    expect(await read).toEqual(HAPPY);
  });

  it('hostile bytes: every byte value, no crash, and the reader still works', async () => {
    rig = await mockRig();
    const { read } = await armedRead(rig);
    await rig.emu.raw(Uint8Array.from({ length: 256 }, (_, i) => i));
    await rig.emu.raw(h('02 43 0000 03 00')); // empty card with a bad LRC
    await rig.emu.swipeCard('happy');
    expect(await read).toEqual(HAPPY);
  });
});
