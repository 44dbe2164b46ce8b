import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../protocol/reader/encodeFrame.js';
import { FrameDecoder, type DecoderEvent } from '../../../protocol/reader/frameDecoder.js';
import type { FrameType } from '../../../protocol/reader/constants.js';

// Garbage never holds STX (0x02), ACK (0x06) or NAK (0x15), so it cannot start a
// frame or fake an acknowledgement: every garbage byte must come out as noise.
const garbage = fc.uint8Array({ minLength: 0, maxLength: 40 }).map((a) => Uint8Array.from(a, (b) => (b === 0x02 || b === 0x06 || b === 0x15 ? 0x20 : b)));
const frameArb = fc.record({
  type: fc.constantFrom<FrameType>('P', 'I', 'C', 'E'),
  // payload bytes may be anything, STX and ETX included
  payload: fc.uint8Array({ minLength: 0, maxLength: 80 }),
});

/** Splits `input` at the sorted, de-duplicated cut points. */
function chunks(input: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, input.length]) {
    out.push(input.subarray(prev, p));
    prev = p;
  }
  return out;
}

function decodeAll(parts: Buffer[]): DecoderEvent[] {
  const d = new FrameDecoder();
  const events: DecoderEvent[] = [];
  for (const p of parts) events.push(...d.push(p));
  events.push(...d.flush());
  return events;
}

describe('FrameDecoder properties', () => {
  it('recovers every frame, in order, from frames interleaved with garbage split anyhow', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(garbage, frameArb), { minLength: 1, maxLength: 12 }),
        garbage,
        fc.array(fc.nat(), { maxLength: 30 }),
        (items, tail, cuts) => {
          const pieces: Uint8Array[] = [];
          let garbageBytes = tail.length;
          for (const [g, f] of items) {
            pieces.push(g, encodeFrame(f.type, f.payload));
            garbageBytes += g.length;
          }
          pieces.push(tail);
          const events = decodeAll(chunks(Buffer.concat(pieces), cuts));

          const frames = events.filter((e) => e.kind === 'frame');
          expect(frames.map((e) => [e.type, Buffer.from(e.payload).toString('hex')])).toEqual(
            items.map(([, f]) => [f.type, Buffer.from(f.payload).toString('hex')]),
          );
          const noise = events.reduce((n, e) => n + (e.kind === 'noise' ? e.bytes : 0), 0);
          expect(noise).toBe(garbageBytes);
          expect(events.filter((e) => e.kind !== 'frame' && e.kind !== 'noise')).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary bytes, and chunking does not change the events', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(), { maxLength: 40 }), (bytes, cuts) => {
        const input = Buffer.from(bytes);
        const whole = decodeAll([input]);
        const split = decodeAll(chunks(input, cuts));
        expect(split).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('garbage bytes never include STX, ACK or NAK (guards the generator above)', () => {
    fc.assert(fc.property(garbage, (g) => g.every((b) => b !== 0x02 && b !== 0x06 && b !== 0x15)));
  });
});
