import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReaderError } from '../../../../agent/cardSources/readerError.js';
import { encodeFrame } from '../../../../protocol/reader/encodeFrame.js';
import { mockRig, type MockRig } from './mockRig.js';

// Test PANs from emulator/host/fixtures.ts.
const HAPPY = { pan: '6280000000000016', expiry: '3012', kind: 'card' };

let rig: MockRig | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await rig?.close();
  rig = undefined;
});

async function rejection(p: Promise<unknown>): Promise<ReaderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ReaderError);
  return err as ReaderError;
}

describe('readCard (framed, MockBinding)', () => {
  it('arms the reader, resolves with the card, then disarms', async () => {
    rig = await mockRig();
    expect(rig.reader.state).toBe('connected');
    expect(rig.emu.state.armed).toBe(false);
    const read = rig.reader.readCard({ timeoutMs: 10_000 });
    await rig.emu.whenArmed();
    expect(await rig.emu.swipeCard('happy')).toMatchObject({ outcome: 'acked', attempts: 1, naks: 0 });
    expect(await read).toEqual(HAPPY);
    // the disarm is sent after the card: the next swipe is ignored by the reader
    await rig.emu.whenDisarmed();
    expect((await rig.emu.swipeCard('happy')).outcome).toBe('ignored');
    expect(rig.reader.counters()).toMatchObject({ frames: 2, naksSent: 0, invalidCards: 0 });
  });

  it('a read that starts in the same tick as the last one ends stays armed (its arm is not undone by the last disarm)', async () => {
    rig = await mockRig();
    const first = rig.reader.readCard({ timeoutMs: 10_000 });
    await rig.emu.whenArmed();
    await rig.emu.swipeCard('happy');
    // The POS's next card operation begins the moment the first answer is in, before any timer or I/O runs.
    const second = first.then(() => rig!.reader.readCard({ timeoutMs: 3_000 }));
    await first;
    await new Promise((r) => setTimeout(r, 50)); // let every frame on the line settle
    expect(rig.emu.state.armed).toBe(true);
    expect(await rig.emu.swipeCard('happy')).toMatchObject({ outcome: 'acked' });
    expect(await second).toEqual(HAPPY);
  });

  it('reads track 2 alone', async () => {
    rig = await mockRig();
    const read = rig.reader.readCard({ timeoutMs: 10_000 });
    await rig.emu.whenArmed();
    await rig.emu.swipe('6280000000000057', '3012', { track1: false });
    expect(await read).toEqual({ pan: '6280000000000057', expiry: '3012', kind: 'card' });
  });

  it('passes an expired card through: the host decides expiry', async () => {
    rig = await mockRig();
    const read = rig.reader.readCard({ timeoutMs: 10_000 });
    await rig.emu.whenArmed();
    await rig.emu.swipeCard('expired');
    expect(await read).toEqual({ pan: '6280000000000032', expiry: '2001', kind: 'card' });
  });

  it.each([
    ['bad Luhn', '6280000000000017', '3012', 'luhn'],
    ['month 13', '6280000000000016', '3013', 'expiry'],
    ['PAN too short', '62800016', '3012', 'format'],
  ])('%s -> READER_ERR_CARD_INVALID (%s), counted, no card data in the message', async (_n, pan, expiry, reason) => {
    rig = await mockRig();
    const read = rejection(rig.reader.readCard({ timeoutMs: 10_000 }));
    await rig.emu.whenArmed();
    await rig.emu.swipe(pan, expiry);
    const err = await read;
    expect(err.code).toBe('READER_ERR_CARD_INVALID');
    expect(err.reason).toBe(reason);
    expect(err.message).not.toContain(pan);
    expect(err.message).not.toContain(expiry);
    expect(rig.reader.counters().invalidCards).toBe(1);
    // the driver survives: the next read works
    const next = rig.reader.readCard({ timeoutMs: 10_000 });
    await rig.emu.whenArmed();
    await rig.emu.swipeCard('happy');
    expect(await next).toEqual(HAPPY);
  });

  it('times out with READER_ERR_TIMEOUT and disarms', async () => {
    rig = await mockRig();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const read = rig.reader.readCard({ timeoutMs: 5_000 });
    const err = rejection(read);
    await rig.emu.whenArmed();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(rig.emu.state.armed).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect((await err).code).toBe('READER_ERR_TIMEOUT');
    await vi.advanceTimersByTimeAsync(10);
    expect(rig.emu.state.armed).toBe(false);
  });

  it('aborts with READER_ERR_ABORTED', async () => {
    rig = await mockRig();
    const ac = new AbortController();
    const read = rejection(rig.reader.readCard({ timeoutMs: 10_000, signal: ac.signal }));
    await rig.emu.whenArmed();
    ac.abort();
    expect((await read).code).toBe('READER_ERR_ABORTED');
    const pre = new AbortController();
    pre.abort();
    expect((await rejection(rig.reader.readCard({ timeoutMs: 10, signal: pre.signal }))).code).toBe('READER_ERR_ABORTED');
  });

  it('refuses a second read with READER_ERR_BUSY', async () => {
    rig = await mockRig();
    const first = rig.reader.readCard({ timeoutMs: 10_000 });
    expect((await rejection(rig.reader.readCard({ timeoutMs: 10_000 }))).code).toBe('READER_ERR_BUSY');
    await rig.emu.whenArmed();
    await rig.emu.swipeCard('happy');
    expect(await first).toEqual(HAPPY);
  });

  it('rejects a pending read with READER_ERR_DISCONNECTED on close, and reads after close', async () => {
    rig = await mockRig();
    const read = rejection(rig.reader.readCard({ timeoutMs: 10_000 }));
    await rig.reader.close();
    expect((await read).code).toBe('READER_ERR_DISCONNECTED');
    expect((await rejection(rig.reader.readCard({ timeoutMs: 10 }))).code).toBe('READER_ERR_DISCONNECTED');
    expect(rig.reader.state).toBe('disconnected');
  });

  it('ignores a card swiped while no read is pending', async () => {
    rig = await mockRig();
    // the reader is disarmed, so send the card frame by hand; the driver ACKs it and drops it
    expect((await rig.emu.sendFrame(encodeFrame('C', ';6280000000000016=3012101?'))).outcome).toBe('acked');
    expect(rig.reader.counters().ignoredCards).toBe(1);
  });
});
