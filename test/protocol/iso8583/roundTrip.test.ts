import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPEC_1987, decode, encode } from '../../../protocol/iso8583/index.js';
import { messageArb } from './arbitraries.js';

describe('round trip over SPEC_1987', () => {
  it('decode(encode(m)) gives m, with fixed fields in their padded form', () => {
    fc.assert(
      fc.property(messageArb(SPEC_1987), ({ message, expected }) => {
        expect(decode(encode(message))).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('encode(decode(bytes)) gives the same bytes', () => {
    fc.assert(
      fc.property(messageArb(SPEC_1987), ({ message }) => {
        const bytes = encode(message);
        expect(encode(decode(bytes)).equals(bytes)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('sends the secondary bitmap exactly when a field 66-128 is present', () => {
    fc.assert(
      fc.property(messageArb(SPEC_1987), ({ message }) => {
        const bytes = encode(message);
        const hasSecondaryField = Object.keys(message.fields).some((k) => Number(k) > 64);
        expect(((bytes[4] as number) & 0x80) !== 0).toBe(hasSecondaryField);
      }),
      { numRuns: 300 },
    );
  });
});
