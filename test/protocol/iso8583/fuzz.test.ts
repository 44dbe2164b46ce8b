import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Iso8583Error, SPEC_1987, decode, encode } from '../../../protocol/iso8583/index.js';
import { messageArb, mtiArb } from './arbitraries.js';

/**
 * Mutated valid messages must either decode to something that re-encodes to
 * exactly the same bytes, or throw Iso8583Error. Any other exception fails,
 * and so does a decode whose re-encoding differs (a silent misparse).
 */
function check(bytes: Buffer): 'accepted' | 'rejected' {
  let decoded;
  try {
    decoded = decode(bytes);
  } catch (err) {
    if (!(err instanceof Iso8583Error)) throw err;
    expect(err.code).toMatch(/^ISO_ERR_/);
    return 'rejected';
  }
  expect(encode(decoded).toString('hex')).toBe(bytes.toString('hex'));
  return 'accepted';
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(bytes: Buffer, muts: readonly Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const m of muts) {
    if (out.length === 0) break;
    if (m.kind === 'truncate') out = out.subarray(0, m.at % out.length);
    else if (m.kind === 'flip') out[m.at % out.length] = (out[m.at % out.length] as number) ^ m.xor;
    else if (m.kind === 'set') out[m.at % out.length] = m.byte;
    else out = Buffer.concat([out, Buffer.from(m.bytes)]);
  }
  return out;
}

describe('fuzz: truncations and byte flips', () => {
  it('every mutation decodes canonically or throws Iso8583Error', () => {
    fc.assert(
      fc.property(messageArb(SPEC_1987, 10), fc.array(mutation, { minLength: 1, maxLength: 4 }), ({ message }, muts) => {
        check(apply(encode(message), muts));
      }),
      { numRuns: 1500 },
    );
  });

  it('every single-byte flip of the golden-like message is handled', () => {
    const base = encode({
      mti: '0200',
      fields: { 2: '6280000000000016', 3: '000000', 4: '1500', 35: '6280000000000016=3012101', 41: '20690111', 100: '12345', 128: Buffer.alloc(8, 0xaa) },
    });
    const seen = { accepted: 0, rejected: 0 };
    for (let i = 0; i < base.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const b = Buffer.from(base);
        b[i] = (b[i] as number) ^ (1 << bit);
        seen[check(b)]++;
      }
    }
    // Both outcomes happen: digit-to-digit flips decode (and must re-encode identically), the rest are refused.
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.rejected).toBeGreaterThan(0);
    for (let n = 0; n < base.length; n++) expect(check(base.subarray(0, n))).toBe('rejected');
  });

  it('a valid MTI followed by random bytes never crashes the decoder', () => {
    fc.assert(
      fc.property(mtiArb, fc.uint8Array({ maxLength: 200 }), (mti, a) => {
        check(Buffer.concat([Buffer.from(mti, 'latin1'), Buffer.from(a)]));
      }),
      { numRuns: 3000 },
    );
  });

  it('random bytes never crash the decoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (a) => {
        check(Buffer.from(a));
      }),
      { numRuns: 3000 },
    );
  });
});
