import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineWriter } from '../../../emulator/reader/lineWriter.js';
import type { ReaderTransport } from '../../../emulator/reader/readerTransport.js';

afterEach(() => {
  vi.useRealTimers();
});

function recorder() {
  const writes: { at: number; bytes: number[] }[] = [];
  const transport: ReaderTransport = {
    plugged: true,
    plug: async () => {},
    unplug: async () => {},
    write: async (b) => {
      writes.push({ at: performance.now(), bytes: [...b] });
    },
    onData: () => {},
    onGone: () => {},
    close: async () => {},
  };
  return { transport, writes };
}

describe('LineWriter', () => {
  it('unpaced: one write per call, in order', async () => {
    const { transport, writes } = recorder();
    const w = new LineWriter(transport, 0);
    await Promise.all([w.write(Uint8Array.of(1, 2, 3)), w.write(Uint8Array.of(4))]);
    expect(writes.map((x) => x.bytes)).toEqual([[1, 2, 3], [4]]);
  });

  it('paced at 9600 8N1: a byte every 10/9600 s (about 1.04 ms), writes never interleave', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { transport, writes } = recorder();
    const w = new LineWriter(transport, 9600);
    const start = performance.now();
    const done = Promise.all([w.write(Uint8Array.from({ length: 10 }, (_, i) => i)), w.write(Uint8Array.of(0x06))]);
    await vi.advanceTimersByTimeAsync(50);
    await done;
    expect(writes.map((x) => x.bytes)).toEqual([[0], [1], [2], [3], [4], [5], [6], [7], [8], [9], [6]]);
    // byte i of the first write is due at start + i * 1.0417 ms; waits under 1 ms are not slept
    // (timer granularity), so each byte is within 1 ms of its slot and the drift never accumulates
    for (let i = 0; i < 10; i++) {
      const due = start + (i * 10_000) / 9600;
      expect(Math.abs(writes[i]!.at - due)).toBeLessThan(1);
    }
    // the 9th byte is due ~9.4 ms in: pacing really waited
    expect(writes[9]!.at - start).toBeGreaterThanOrEqual(9);
  });
});
