import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StopAndWait, type StopAndWaitAction, type StopAndWaitEvent } from '../../../protocol/reader/stopAndWait.js';

const A = Uint8Array.of(0x41);
const B = Uint8Array.of(0x42);
const send = (frame: Uint8Array, tag: string): StopAndWaitEvent<string> => ({ kind: 'send', frame, tag });
const ACK = { kind: 'ack' } as const;
const NAK = { kind: 'nak' } as const;
const TIMEOUT = { kind: 'timeout' } as const;
const RESET = { kind: 'reset' } as const;

/** Feeds the events in order and returns every action, in order. */
function run(events: StopAndWaitEvent<string>[], session = new StopAndWait<string>()): StopAndWaitAction<string>[] {
  return events.flatMap((e) => session.handle(e));
}

describe('StopAndWait', () => {
  it('writes a frame, starts the ACK timer, and delivers it on ACK', () => {
    const s = new StopAndWait<string>({ ackTimeoutMs: 300 });
    expect(s.handle(send(A, 'a'))).toEqual([
      { kind: 'write', tag: 'a', bytes: A, attempt: 1 },
      { kind: 'startTimer', ms: 300 },
    ]);
    expect(s.busy).toBe(true);
    expect(s.handle(ACK)).toEqual([{ kind: 'stopTimer' }, { kind: 'delivered', tag: 'a', attempts: 1, naks: 0 }]);
    expect(s.busy).toBe(false);
  });

  it('keeps one frame in flight: the next is written only when the first is ACKed', () => {
    const s = new StopAndWait<string>({ ackTimeoutMs: 300 });
    s.handle(send(A, 'a'));
    expect(s.handle(send(B, 'b'))).toEqual([]);
    expect(s.queued).toBe(1);
    expect(s.handle(ACK)).toEqual([
      { kind: 'stopTimer' },
      { kind: 'delivered', tag: 'a', attempts: 1, naks: 0 },
      { kind: 'write', tag: 'b', bytes: B, attempt: 1 },
      { kind: 'startTimer', ms: 300 },
    ]);
    expect(s.handle(ACK)).toEqual([{ kind: 'stopTimer' }, { kind: 'delivered', tag: 'b', attempts: 1, naks: 0 }]);
  });

  it('resends on NAK and on silence, 3 times at most, then fails', () => {
    const s = new StopAndWait<string>({ ackTimeoutMs: 250 });
    s.handle(send(A, 'a'));
    expect(s.handle(NAK)).toEqual([{ kind: 'write', tag: 'a', bytes: A, attempt: 2 }, { kind: 'startTimer', ms: 250 }]);
    expect(s.handle(TIMEOUT)).toEqual([{ kind: 'write', tag: 'a', bytes: A, attempt: 3 }, { kind: 'startTimer', ms: 250 }]);
    expect(s.handle(NAK)).toEqual([{ kind: 'write', tag: 'a', bytes: A, attempt: 4 }, { kind: 'startTimer', ms: 250 }]);
    expect(s.handle(TIMEOUT)).toEqual([{ kind: 'stopTimer' }, { kind: 'failed', tag: 'a', attempts: 4, naks: 2 }]);
    expect(s.busy).toBe(false);
  });

  it('a NAK on the last attempt fails at once, and the queued frame goes next', () => {
    const actions = run([send(A, 'a'), send(B, 'b'), NAK, NAK, NAK, NAK]);
    expect(actions.filter((a) => a.kind === 'write').map((a) => a.kind === 'write' && `${a.tag}${a.attempt}`)).toEqual(['a1', 'a2', 'a3', 'a4', 'b1']);
    expect(actions).toContainEqual({ kind: 'failed', tag: 'a', attempts: 4, naks: 4 });
  });

  it('an ACK after resends reports the attempts and NAKs it took', () => {
    expect(run([send(A, 'a'), NAK, TIMEOUT, ACK]).at(-1)).toEqual({ kind: 'delivered', tag: 'a', attempts: 3, naks: 1 });
  });

  it('ignores ACK, NAK and timeout with nothing in flight', () => {
    expect(run([ACK, NAK, TIMEOUT])).toEqual([]);
    expect(run([send(A, 'a'), ACK, ACK, NAK, TIMEOUT]).slice(2)).toEqual([{ kind: 'stopTimer' }, { kind: 'delivered', tag: 'a', attempts: 1, naks: 0 }]);
  });

  it('reset cancels the frame in flight and every queued one, in order', () => {
    const s = new StopAndWait<string>();
    run([send(A, 'a'), NAK, send(B, 'b')], s);
    expect(s.handle(RESET)).toEqual([
      { kind: 'stopTimer' },
      { kind: 'cancelled', tag: 'a', attempts: 2, naks: 1 },
      { kind: 'cancelled', tag: 'b', attempts: 0, naks: 0 },
    ]);
    expect(s.busy).toBe(false);
    expect(s.handle(RESET)).toEqual([]);
    // the session works again after a reset
    expect(s.handle(send(B, 'c'))[0]).toEqual({ kind: 'write', tag: 'c', bytes: B, attempt: 1 });
  });

  it('honours maxResends', () => {
    const actions = run([send(A, 'a'), NAK, NAK], new StopAndWait<string>({ maxResends: 1 }));
    expect(actions.filter((a) => a.kind === 'write')).toHaveLength(2);
    expect(actions.at(-1)).toEqual({ kind: 'failed', tag: 'a', attempts: 2, naks: 2 });
  });

  const event: fc.Arbitrary<StopAndWaitEvent<string>> = fc.oneof(
    fc.constant<StopAndWaitEvent<string>>(ACK),
    fc.constant<StopAndWaitEvent<string>>(NAK),
    fc.constant<StopAndWaitEvent<string>>(TIMEOUT),
    fc.constant<StopAndWaitEvent<string>>(RESET),
    fc.constant<StopAndWaitEvent<string>>({ kind: 'send', frame: A, tag: '' }),
  );

  it('property: per frame at most 1 + maxResends writes, one frame in flight, each frame ends once, in send order', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), fc.integer({ min: 0, max: 5 }), (events, maxResends) => {
        const s = new StopAndWait<string>({ maxResends });
        let n = 0;
        const writes = new Map<string, number>();
        const ended: string[] = [];
        const sent: string[] = [];
        let inFlight: string | undefined;
        const check = (actions: StopAndWaitAction<string>[]) => {
          for (const a of actions) {
            if (a.kind === 'write') {
              // a new frame is written only when none is in flight
              if (a.tag !== inFlight) expect(inFlight).toBeUndefined();
              inFlight = a.tag;
              writes.set(a.tag, (writes.get(a.tag) ?? 0) + 1);
              expect(a.attempt).toBe(writes.get(a.tag));
              expect(a.attempt).toBeLessThanOrEqual(1 + maxResends);
            } else if (a.kind === 'delivered' || a.kind === 'failed' || a.kind === 'cancelled') {
              expect(ended).not.toContain(a.tag);
              expect(a.attempts).toBe(writes.get(a.tag) ?? 0);
              if (a.kind === 'failed') expect(a.attempts).toBe(1 + maxResends);
              ended.push(a.tag);
              if (a.tag === inFlight) inFlight = undefined;
            }
          }
        };
        for (const e of events) {
          const ev = e.kind === 'send' ? { ...e, tag: `f${++n}` } : e;
          if (ev.kind === 'send') sent.push(ev.tag);
          check(s.handle(ev));
        }
        check(s.handle(RESET));
        // every frame ended exactly once, in the order it was sent
        expect(ended).toEqual(sent);
        expect(s.busy).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
