import { describe, expect, it } from 'vitest';
import { StopAndWaitRunner, type SendEnd } from '../../../protocol/reader/index.js';

/** A runner whose timer is a list the test fires by hand. */
function harness() {
  const writes: [string, number][] = [];
  const ends: [string, SendEnd<string>][] = [];
  const timers: { ms: number; fire: () => void; cancelled: boolean }[] = [];
  const runner = new StopAndWaitRunner<string>({ ackTimeoutMs: 300, maxResends: 2 }, {
    write: (bytes, attempt, tag) => writes.push([`${tag}:${Buffer.from(bytes).toString()}`, attempt]),
    end: (how, end) => ends.push([how, end]),
    startTimer: (ms, fire) => {
      const t = { ms, fire, cancelled: false };
      timers.push(t);
      return () => (t.cancelled = true);
    },
  });
  const live = () => timers.filter((t) => !t.cancelled);
  return { runner, writes, ends, timers, live };
}

describe('StopAndWaitRunner', () => {
  it('writes, resends on silence through the injected timer, and gives up after maxResends', () => {
    const h = harness();
    h.runner.send(Buffer.from('A'), 'a');
    expect(h.writes).toEqual([['a:A', 1]]);
    expect(h.live().map((t) => t.ms)).toEqual([300]);
    h.live()[0]?.fire();
    h.live().at(-1)?.fire();
    expect(h.writes).toEqual([['a:A', 1], ['a:A', 2], ['a:A', 3]]);
    h.live().at(-1)?.fire();
    expect(h.ends).toEqual([['failed', { tag: 'a', attempts: 3, naks: 0 }]]);
    expect(h.runner.busy).toBe(false);
  });

  it('an ACK ends the frame, cancels its timer and sends the next one queued', () => {
    const h = harness();
    h.runner.send(Buffer.from('A'), 'a');
    h.runner.send(Buffer.from('B'), 'b');
    expect(h.writes).toEqual([['a:A', 1]]);
    h.runner.nak();
    h.runner.ack();
    expect(h.ends).toEqual([['delivered', { tag: 'a', attempts: 2, naks: 1 }]]);
    expect(h.writes).toEqual([['a:A', 1], ['a:A', 2], ['b:B', 1]]);
    expect(h.live()).toHaveLength(1);
  });

  it('a reset cancels what is in flight and queued, and its timer', () => {
    const h = harness();
    h.runner.send(Buffer.from('A'), 'a');
    h.runner.send(Buffer.from('B'), 'b');
    h.runner.reset();
    expect(h.ends.map(([how, e]) => [how, e.tag])).toEqual([['cancelled', 'a'], ['cancelled', 'b']]);
    expect(h.live()).toHaveLength(0);
  });
});
