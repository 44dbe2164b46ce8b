import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameSender } from '../../../../agent/cardSources/serial/frameSender.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('FrameSender', () => {
  it('sends one frame at a time and resolves on ACK', async () => {
    const writes: string[] = [];
    const s = new FrameSender((b) => writes.push(b.toString()), 300);
    const a = s.send(Buffer.from('A'));
    const b = s.send(Buffer.from('B'));
    expect(writes).toEqual(['A']);
    s.onAck();
    expect(await a).toBe('ack');
    expect(writes).toEqual(['A', 'B']);
    s.onAck();
    expect(await b).toBe('ack');
  });

  it('resends on NAK and on silence, at most 3 times, then fails', async () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const s = new FrameSender((b) => writes.push(b.toString()), 300);
    const r = s.send(Buffer.from('A'));
    s.onNak();
    expect(writes.length).toBe(2);
    vi.advanceTimersByTime(299);
    expect(writes.length).toBe(2);
    vi.advanceTimersByTime(1);
    expect(writes.length).toBe(3);
    s.onNak();
    expect(writes.length).toBe(4);
    vi.advanceTimersByTime(300);
    expect(await r).toBe('failed');
    expect(writes.length).toBe(4);
    expect(s.busy).toBe(false);
  });

  it('reset fails everything in flight', async () => {
    const s = new FrameSender(() => {}, 300);
    const a = s.send(Buffer.from('A'));
    const b = s.send(Buffer.from('B'));
    s.reset();
    expect([await a, await b]).toEqual(['reset', 'reset']);
  });
});

