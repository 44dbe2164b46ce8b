import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACK, NAK } from '../../../protocol/reader/constants.js';
import { encodeFrame } from '../../../protocol/reader/encodeFrame.js';
import { FrameDecoder, type DecoderEvent } from '../../../protocol/reader/frameDecoder.js';
import { MockTransport } from '../../../emulator/reader/mockTransport.js';
import { ReaderEmulator } from '../../../emulator/reader/readerEmulator.js';
import { SerialPortMock } from 'serialport';

// The emulator on its own, driven by a bare MockBinding port standing in for the agent.
let seq = 0;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of closers.splice(0)) await c();
});

async function bench(profile: 'framed' | 'magtek' = 'framed') {
  const transport = new MockTransport(`/dev/ttyEMU${process.pid}-${++seq}`);
  const emu = new ReaderEmulator({ transport, profile, ackTimeoutMs: 300 });
  await emu.start();
  // the binding is passed through a variable: SerialPortMock's option type leaves `binding` out
  const options = { path: transport.path, baudRate: 9600, autoOpen: false, binding: transport.binding };
  const port = new SerialPortMock(options);
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const decoder = new FrameDecoder();
  const events: DecoderEvent[] = [];
  let waiters: (() => void)[] = [];
  port.on('data', (chunk: Buffer) => {
    events.push(...decoder.push(chunk));
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  });
  /** Resolves once `n` events have arrived from the emulator. */
  const eventsAtLeast = async (n: number) => {
    while (events.length < n) await new Promise<void>((r) => waiters.push(r));
    return events;
  };
  const send = (b: Uint8Array) => new Promise<void>((r) => port.write(Buffer.from(b), () => r()));
  closers.push(async () => {
    if (port.isOpen) await new Promise<void>((r) => port.close(() => r()));
    await emu.close();
  });
  return { transport, emu, port, events, eventsAtLeast, send };
}

describe('ReaderEmulator (framed)', () => {
  it('answers a keep-alive with ACK then its status, and honours arm/disarm', async () => {
    const b = await bench();
    await b.send(encodeFrame('I'));
    expect(await b.eventsAtLeast(2)).toEqual([{ kind: 'ack' }, { kind: 'frame', type: 'I', payload: Buffer.from('0') }]);
    await b.send(Uint8Array.of(ACK));
    await b.send(encodeFrame('P', '0'));
    await b.emu.whenArmed();
    expect(b.emu.state).toMatchObject({ armed: true, status: 'armed' });
    await b.send(encodeFrame('I'));
    expect((await b.eventsAtLeast(5)).slice(2)).toEqual([{ kind: 'ack' }, { kind: 'ack' }, { kind: 'frame', type: 'I', payload: Buffer.from('1') }]);
  });

  it('ignores a swipe while disarmed and reports it', async () => {
    const b = await bench();
    expect(await b.emu.swipeCard('happy')).toEqual({ outcome: 'ignored', pan: '628000******0016', attempts: 0, naks: 0 });
    expect(b.events).toEqual([]);
  });

  it('resends on NAK and on silence, 3 times at most, then reports failed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const b = await bench();
    await b.send(encodeFrame('P', '0'));
    await b.emu.whenArmed();
    const swipe = b.emu.swipeCard('happy');
    await b.eventsAtLeast(2); // ACK for the arm, then the card
    await b.send(Uint8Array.of(NAK));
    await b.eventsAtLeast(3); // resend 1
    await vi.advanceTimersByTimeAsync(300); // silence: resend 2
    await b.eventsAtLeast(4);
    await vi.advanceTimersByTimeAsync(300); // resend 3
    await b.eventsAtLeast(5);
    await vi.advanceTimersByTimeAsync(300);
    expect(await swipe).toMatchObject({ outcome: 'failed', attempts: 4, naks: 1 });
    const cards = b.events.filter((e) => e.kind === 'frame' && e.type === 'C');
    expect(cards.length).toBe(4);
  });

  it('NAKs a bad frame from the agent', async () => {
    const b = await bench();
    await b.send(Buffer.from('02500001300300', 'hex')); // P '0' with LRC 00 instead of 60
    expect(await b.eventsAtLeast(1)).toEqual([{ kind: 'nak' }]);
    expect(b.emu.state).toMatchObject({ armed: false, naksSent: 1 });
  });

  it('unplug closes the agent port with a disconnected error; swipes report unplugged', async () => {
    const b = await bench();
    const closed = new Promise<(Error & { disconnected?: boolean }) | null>((r) => b.port.once('close', r));
    await b.emu.unplug();
    expect((await closed)?.disconnected).toBe(true);
    expect((await b.emu.swipeCard('happy')).outcome).toBe('unplugged');
    expect(b.emu.state.plugged).toBe(false);
  });

  it('swipe-card of an unknown name is a typed error', async () => {
    const b = await bench();
    await expect(b.emu.swipeCard('nobody')).rejects.toMatchObject({ code: 'EMU_READER_ERR_UNKNOWN_CARD' });
  });
});

describe('ReaderEmulator (magtek)', () => {
  it('writes one ASCII line with both tracks, no arming needed', async () => {
    const b = await bench('magtek');
    const got: Buffer[] = [];
    b.port.on('data', (c: Buffer) => got.push(c));
    expect((await b.emu.swipeCard('happy')).outcome).toBe('sent');
    while (Buffer.concat(got).indexOf(0x0d) < 0) await new Promise<void>((r) => b.port.once('data', () => r()));
    expect(Buffer.concat(got).toString('latin1')).toBe('%B6280000000000016^HAPPY/HARRIET^30121010000000?;6280000000000016=30121010000000?\r');
  });
});
