import { describe, expect, it } from 'vitest';
import { FrameDecoder, type DecoderEvent } from '../../../protocol/reader/frameDecoder.js';

const h = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

// Hand-checked frames (LRC worked out in encodeFrame.test.ts).
const ARM = '02 50 0001 30 03 60';
const IDLE = '02 49 0001 30 03 79';
const ARMED = '02 49 0001 31 03 78';
const CARD = '02 43 001a 3b363238303030303030303030303031363d333031323130313f 03 5a';
const cardPayload = Buffer.from(';6280000000000016=3012101?', 'latin1');

type Ev = DecoderEvent | { kind: 'flush' };

/** Feeds `input` split into chunks at the given offsets, then flushes. */
function run(input: Buffer, cuts: number[] = []): DecoderEvent[] {
  const d = new FrameDecoder();
  const out: DecoderEvent[] = [];
  let prev = 0;
  for (const c of [...cuts, input.length]) {
    out.push(...d.push(input.subarray(prev, c)));
    prev = c;
  }
  out.push(...d.flush());
  return out;
}

const frame = (type: string, payload: string | Buffer): Ev => ({
  kind: 'frame',
  type: type as 'P',
  payload: typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload,
});

const VECTORS: { name: string; hex: string; events: Ev[] }[] = [
  { name: 'one frame', hex: IDLE, events: [frame('I', '0')] },
  { name: 'two frames back to back', hex: ARM + ARMED, events: [frame('P', '0'), frame('I', '1')] },
  { name: 'card frame', hex: CARD, events: [frame('C', cardPayload)] },
  { name: 'ACK and NAK between frames', hex: '06' + IDLE + '15', events: [{ kind: 'ack' }, frame('I', '0'), { kind: 'nak' }] },
  {
    name: 'noise before STX is counted and skipped',
    hex: 'ff 41 00 7e' + IDLE,
    events: [{ kind: 'noise', bytes: 4 }, frame('I', '0')],
  },
  {
    name: 'trailing noise is reported on flush',
    hex: IDLE + '55 55',
    events: [frame('I', '0'), { kind: 'noise', bytes: 2 }],
  },
  {
    name: 'STX followed by an unknown type is noise',
    hex: '02 5a' + IDLE,
    events: [{ kind: 'noise', bytes: 2 }, frame('I', '0')],
  },
  {
    name: 'bad LRC (79 expected, 00 sent)',
    hex: '02 49 0001 30 03 00' + ARMED,
    events: [{ kind: 'bad-lrc', type: 'I', length: 1 }, frame('I', '1')],
  },
  {
    // LEN 0x0101 = 257 > 256: dropped at once; the 4 bytes after the header are noise until the next STX.
    name: 'oversize LEN is dropped and the decoder resyncs',
    hex: '02 43 0101 41414141' + IDLE,
    // Replayed after the STX: 43 01 01 (3 bytes) + 41 x4 = 7 noise bytes.
    events: [{ kind: 'oversize', type: 'C', length: 257 }, { kind: 'noise', bytes: 7 }, frame('I', '0')],
  },
  {
    // LEN 1 but the byte after the payload is not ETX: the frame is dropped and the next one found.
    name: 'missing ETX, followed by a good frame',
    hex: '02 49 0001 30' + IDLE,
    // Replay after the false STX: 49 00 01 30 (noise, 4 bytes), then the good frame starts at its STX.
    events: [{ kind: 'missing-etx', type: 'I', length: 1 }, { kind: 'noise', bytes: 4 }, frame('I', '0')],
  },
  {
    name: 'a good frame hidden inside a false frame is still found',
    // False STX with LEN 7: the real frame (7 bytes) is swallowed as payload; the next byte (ff) is not ETX.
    hex: '02 43 0007' + IDLE + 'ff',
    events: [{ kind: 'missing-etx', type: 'C', length: 7 }, { kind: 'noise', bytes: 3 }, frame('I', '0'), { kind: 'noise', bytes: 1 }],
  },
  {
    name: 'a truncated frame is reported on flush',
    hex: IDLE + '02 43 001a 3b3632',
    events: [frame('I', '0'), { kind: 'truncated', bytes: 7 }],
  },
  {
    name: 'truncated just before the LRC',
    hex: '02 49 0001 30 03',
    events: [{ kind: 'truncated', bytes: 6 }],
  },
  { name: 'empty payload', hex: '02 45 0000 03 44', events: [frame('E', '')] },
];

describe('FrameDecoder vectors', () => {
  it.each(VECTORS)('$name, whole', ({ hex, events }) => {
    expect(run(h(hex))).toEqual(events);
  });

  it.each(VECTORS)('$name, split at every byte offset', ({ hex, events }) => {
    const input = h(hex);
    for (let cut = 0; cut <= input.length; cut++) {
      expect(run(input, [cut]), `cut at ${cut}`).toEqual(events);
    }
  });

  it.each(VECTORS)('$name, one byte at a time', ({ hex, events }) => {
    const input = h(hex);
    expect(run(input, Array.from({ length: input.length }, (_, i) => i))).toEqual(events);
  });
});

describe('FrameDecoder timing', () => {
  it('reports a frame when its last byte arrives, without waiting for flush', () => {
    const d = new FrameDecoder();
    const input = h(CARD);
    expect(d.push(input.subarray(0, input.length - 1))).toEqual([]);
    expect(d.pending).toBe(true);
    expect(d.push(input.subarray(input.length - 1))).toEqual([frame('C', cardPayload)]);
    expect(d.pending).toBe(false);
  });

  it('keeps decoding after a flush', () => {
    const d = new FrameDecoder();
    d.push(h('02 43 00'));
    expect(d.flush()).toEqual([{ kind: 'truncated', bytes: 3 }]);
    expect(d.push(h(IDLE))).toEqual([frame('I', '0')]);
    expect(d.flush()).toEqual([]);
  });

  it('copies the payload out of its buffer', () => {
    const d = new FrameDecoder();
    const [first] = d.push(h(ARMED));
    d.push(h(IDLE));
    expect(first).toEqual(frame('I', '1'));
  });
});
