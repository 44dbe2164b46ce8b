import { describe, expect, it } from 'vitest';
import { Iso8583Error, LengthPrefixedFramer, frame } from '../../../protocol/iso8583/index.js';

const A = Buffer.from('0800abc', 'latin1');
const B = Buffer.from([0x01, 0x02, 0x03]);
// By hand: A is 7 bytes -> header 00 07; B is 3 bytes -> header 00 03.
const STREAM = Buffer.from('0007' + A.toString('hex') + '0003' + '010203', 'hex');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof Iso8583Error) return err.code;
    throw err;
  }
  return undefined;
}

describe('frame', () => {
  it('prepends a 2-byte big-endian length', () => {
    expect(frame(A).toString('hex')).toBe('0007' + A.toString('hex'));
    expect(frame(Buffer.alloc(300, 1)).subarray(0, 2).toString('hex')).toBe('012c'); // 300 = 0x012C
  });

  it('refuses empty and oversize payloads', () => {
    expect(codeOf(() => frame(Buffer.alloc(0)))).toBe('ISO_ERR_FRAME_EMPTY');
    expect(codeOf(() => frame(Buffer.alloc(8193)))).toBe('ISO_ERR_FRAME_OVERSIZE');
    expect(codeOf(() => frame(Buffer.alloc(101), 100))).toBe('ISO_ERR_FRAME_OVERSIZE');
    expect(frame(Buffer.alloc(8192)).length).toBe(8194);
  });
});

describe('LengthPrefixedFramer', () => {
  it.each(Array.from({ length: STREAM.length + 1 }, (_, i) => i))('split at byte %i gives the same two payloads', (at) => {
    const f = new LengthPrefixedFramer();
    const out = [...f.push(STREAM.subarray(0, at)), ...f.push(STREAM.subarray(at))];
    expect(out).toEqual([A, B]);
    expect(f.buffered).toBe(0);
  });

  it('handles one byte at a time', () => {
    const f = new LengthPrefixedFramer();
    const out: Buffer[] = [];
    for (const byte of STREAM) out.push(...f.push(Buffer.from([byte])));
    expect(out).toEqual([A, B]);
  });

  it('returns every frame of a coalesced chunk, and keeps a partial tail', () => {
    const f = new LengthPrefixedFramer();
    const tail = Buffer.from('0005' + '3031', 'hex'); // header for 5 bytes, only 2 present
    expect(f.push(Buffer.concat([STREAM, STREAM, tail]))).toEqual([A, B, A, B]);
    expect(f.buffered).toBe(4);
    expect(f.push(Buffer.from('323334', 'hex'))).toEqual([Buffer.from('01234', 'latin1')]);
  });

  it('emits copies that do not alias the input chunk', () => {
    const f = new LengthPrefixedFramer();
    const chunk = Buffer.from(STREAM);
    const [first] = f.push(chunk);
    chunk.fill(0);
    expect(first).toEqual(A);
  });

  it('refuses an oversize header at once, before the payload arrives, and stays refused', () => {
    const f = new LengthPrefixedFramer({ maxLength: 100 });
    let err: unknown;
    try {
      f.push(Buffer.from([0x00, 0x65])); // 0x65 = 101 > 100
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Iso8583Error);
    expect((err as Iso8583Error).code).toBe('ISO_ERR_FRAME_OVERSIZE');
    expect(codeOf(() => f.push(STREAM))).toBe('ISO_ERR_FRAME_FAILED');
  });

  it('refuses the default maximum + 1 and a zero length', () => {
    expect(codeOf(() => new LengthPrefixedFramer().push(Buffer.from([0x20, 0x01])))).toBe('ISO_ERR_FRAME_OVERSIZE'); // 8193
    expect(new LengthPrefixedFramer().push(Buffer.from([0x20, 0x00]))).toEqual([]); // 8192: waits for the payload
    expect(codeOf(() => new LengthPrefixedFramer().push(Buffer.from([0x00, 0x00])))).toBe('ISO_ERR_FRAME_EMPTY');
  });

  it('returns the good frames before a bad header in the same chunk, and reports the bad header as its failure', () => {
    const f = new LengthPrefixedFramer({ maxLength: 16 });
    const frames = f.push(Buffer.concat([STREAM, Buffer.from([0xff, 0xff])]));
    expect(frames.length).toBeGreaterThan(0);
    expect(Buffer.concat(frames.map((x) => Buffer.concat([Buffer.from([x.length >> 8, x.length & 0xff]), x])))).toEqual(STREAM);
    expect(f.failure?.code).toBe('ISO_ERR_FRAME_OVERSIZE');
    expect(codeOf(() => f.push(Buffer.from([0x00, 0x01, 0x41])))).toBe('ISO_ERR_FRAME_FAILED');
  });

  it('rejects a bad maxLength option', () => {
    expect(() => new LengthPrefixedFramer({ maxLength: 0 })).toThrow(RangeError);
    expect(() => new LengthPrefixedFramer({ maxLength: 70000 })).toThrow(RangeError);
  });
});
