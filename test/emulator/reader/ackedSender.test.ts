import { afterEach, describe, expect, it, vi } from 'vitest';
import { AckedSender } from '../../../emulator/reader/ackedSender.js';
import { LineWriter } from '../../../emulator/reader/lineWriter.js';
import type { ReaderTransport } from '../../../emulator/reader/readerTransport.js';

afterEach(() => {
  vi.useRealTimers();
});

function line() {
  const writes: string[] = [];
  const transport: ReaderTransport = {
    plugged: true,
    plug: async () => {},
    unplug: async () => {},
    write: async (b) => {
      writes.push(Buffer.from(b).toString('hex'));
    },
    onData: () => {},
    onGone: () => {},
    close: async () => {},
  };
  return { writer: new LineWriter(transport, 0), writes };
}

/** Lets the writer's promise chain run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('AckedSender', () => {
  it('corrupts only the first attempt for badLrc; the NAKed resend is clean and ACKed', async () => {
    const { writer, writes } = line();
    const s = new AckedSender(writer, 300);
    const sent = s.send(Buffer.from('02490000034b', 'hex'), { badLrc: true });
    await settle();
    s.onNak();
    await settle();
    s.onAck();
    expect(await sent).toEqual({ outcome: 'acked', attempts: 2, naks: 1 });
    expect(writes).toEqual(['0249000003b4', '02490000034b']);
  });

  it('sends only the first half of the first attempt for truncate, resends whole after silence', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { writer, writes } = line();
    const s = new AckedSender(writer, 300);
    const sent = s.send(Buffer.from('02490000034b', 'hex'), { truncate: true });
    await vi.advanceTimersByTimeAsync(299);
    expect(writes).toEqual(['024900']);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual(['024900', '02490000034b']);
    s.onAck();
    expect(await sent).toEqual({ outcome: 'acked', attempts: 2, naks: 0 });
  });

  it('one frame at a time: the second is written after the first is ACKed; whenIdle waits for both', async () => {
    const { writer, writes } = line();
    const s = new AckedSender(writer, 300);
    const a = s.send(Buffer.from('aa', 'hex'));
    const b = s.send(Buffer.from('bb', 'hex'));
    let idle = false;
    void s.whenIdle().then(() => (idle = true));
    await settle();
    expect(writes).toEqual(['aa']);
    s.onAck();
    expect(await a).toMatchObject({ outcome: 'acked' });
    await settle();
    expect(writes).toEqual(['aa', 'bb']);
    expect(idle).toBe(false);
    s.onAck();
    expect(await b).toMatchObject({ outcome: 'acked' });
    await settle();
    expect(idle).toBe(true);
  });

  it('cancel (unplug) ends the frame in flight and the queued ones as unplugged', async () => {
    const { writer, writes } = line();
    const s = new AckedSender(writer, 300);
    const a = s.send(Buffer.from('aa', 'hex'));
    const b = s.send(Buffer.from('bb', 'hex'));
    s.cancel();
    expect(await a).toEqual({ outcome: 'unplugged', attempts: 1, naks: 0 });
    expect(await b).toEqual({ outcome: 'unplugged', attempts: 0, naks: 0 });
    await settle();
    expect(writes).toEqual(['aa']);
  });
});
