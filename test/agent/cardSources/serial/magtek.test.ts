import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReaderError } from '../../../../agent/cardSources/readerError.js';
import { mockRig, type MockRig } from './mockRig.js';

const HAPPY = { pan: '6280000000000016', expiry: '3012', kind: 'card' };
const FAKE: Parameters<typeof vi.useFakeTimers>[0] = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] };

let rig: MockRig | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await rig?.close();
  rig = undefined;
});

describe('readCard (magtek, MockBinding)', () => {
  it('reads a swipe line; nothing is written to a MagTek reader', async () => {
    rig = await mockRig({ profile: 'magtek' });
    const written: Buffer[] = [];
    rig.transport.onData((c) => written.push(c));
    const read = rig.reader.readCard({ timeoutMs: 10_000 });
    expect(await rig.emu.swipeCard('happy')).toMatchObject({ outcome: 'sent' });
    expect(await read).toEqual(HAPPY);
    expect(written).toEqual([]);
  });

  it('skips noise and counts it', async () => {
    rig = await mockRig({ profile: 'magtek' });
    const read = rig.reader.readCard({ timeoutMs: 10_000 });
    await rig.emu.raw(Buffer.from('xx\r', 'latin1'));
    await rig.emu.swipeCard('offer');
    expect(await read).toEqual({ pan: '6280000000000057', expiry: '3012', kind: 'card' });
    expect(rig.reader.counters().noiseBytes).toBe(2);
  });

  it('an unterminated line is flushed as truncated after 100 ms; the next swipe is read', async () => {
    vi.useFakeTimers(FAKE);
    rig = await mockRig({ profile: 'magtek' });
    const read = rig.reader.readCard({ timeoutMs: 10_000 });
    await rig.emu.truncate('happy');
    await vi.advanceTimersByTimeAsync(99);
    expect(rig.reader.counters().truncated).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(rig.reader.counters().truncated).toBe(1);
    await rig.emu.swipeCard('happy');
    expect(await read).toEqual(HAPPY);
  });

  it('bad Luhn -> READER_ERR_CARD_INVALID (luhn)', async () => {
    rig = await mockRig({ profile: 'magtek' });
    const read = rig.reader.readCard({ timeoutMs: 10_000 }).catch((e: unknown) => e);
    await rig.emu.swipe('6280000000000017', '3012');
    const err = (await read) as ReaderError;
    expect(err).toBeInstanceOf(ReaderError);
    expect(err.code).toBe('READER_ERR_CARD_INVALID');
    expect(err.reason).toBe('luhn');
  });

  it('the reader error line (%E?;E?) is counted and the read keeps waiting', async () => {
    rig = await mockRig({ profile: 'magtek' });
    const read = rig.reader.readCard({ timeoutMs: 10_000 });
    await rig.emu.raw(Buffer.from('%E?;E?\r', 'latin1'));
    await rig.emu.swipeCard('happy');
    expect(await read).toEqual(HAPPY);
    expect(rig.reader.counters().readErrors).toBe(1);
  });

  it('bad-lrc is refused by the emulator on this profile', async () => {
    rig = await mockRig({ profile: 'magtek' });
    await expect(rig.emu.badLrc()).rejects.toMatchObject({ code: 'EMU_READER_ERR_PROFILE' });
  });
});
