import { describe, expect, it } from 'vitest';
import { encodeFrame, lrc, FrameEncodeError } from '../../../protocol/reader/encodeFrame.js';

// Golden frames. LRC = XOR of STX..ETX inclusive, worked by hand:
//   P '0': 02^50=52, ^00=52, ^01=53, ^30=63, ^03=60            -> 60
//   P '2': 02^50=52, ^00=52, ^01=53, ^32=61, ^03=62            -> 62
//   I '0': 02^49=4b, ^00=4b, ^01=4a, ^30=7a, ^03=79            -> 79
//   I '1': 02^49=4b, ^00=4b, ^01=4a, ^31=7b, ^03=78            -> 78
//   E '' : 02^45=47, ^00=47, ^00=47, ^03=44                    -> 44
// The C frame's LRC was computed outside the code under test with
//   python3 -c "from functools import reduce; b=bytes.fromhex('0243001a'+b';6280000000000016=3012101?'.hex()+'03'); print(hex(reduce(lambda a,c:a^c,b)))"
const GOLDEN = [
  { name: 'arm', type: 'P', payload: '0', hex: '02500001300360' },
  { name: 'disarm', type: 'P', payload: '2', hex: '02500001320362' },
  { name: 'status idle', type: 'I', payload: '0', hex: '02490001300379' },
  { name: 'status armed', type: 'I', payload: '1', hex: '02490001310378' },
  { name: 'read error, empty', type: 'E', payload: '', hex: '0245000003' + '44' },
  {
    name: 'card, track 2',
    type: 'C',
    payload: ';6280000000000016=3012101?',
    hex: '0243001a3b363238303030303030303030303031363d333031323130313f035a',
  },
] as const;

describe('encodeFrame', () => {
  it.each(GOLDEN)('$name', ({ type, payload, hex }) => {
    expect(encodeFrame(type, payload).toString('hex')).toBe(hex);
  });

  it('takes a byte payload as is', () => {
    expect(encodeFrame('I', Uint8Array.of(0x31)).toString('hex')).toBe('02490001310378');
  });

  it('encodes a 256-byte payload with LEN 01 00', () => {
    const f = encodeFrame('C', Buffer.alloc(256, 0x41));
    expect(f.length).toBe(262);
    expect([f[2], f[3]]).toEqual([0x01, 0x00]);
    // 256 x 'A' XOR to 0, so LRC = 02^43=41, ^01=40, ^00=40, ^03=43
    expect(f[261]).toBe(0x43);
  });

  it('refuses a payload over 256 bytes with a typed error', () => {
    let err: unknown;
    try {
      encodeFrame('C', Buffer.alloc(257));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FrameEncodeError);
    expect((err as FrameEncodeError).code).toBe('FRAME_ERR_PAYLOAD_SIZE');
  });
});

describe('lrc', () => {
  it('XORs a range', () => {
    expect(lrc(Uint8Array.of(0x02, 0x49, 0x00, 0x01, 0x30, 0x03))).toBe(0x79);
    expect(lrc(Uint8Array.of(0xff, 0x0f, 0xf0), 1)).toBe(0xff);
    expect(lrc(Uint8Array.of())).toBe(0);
  });
});
