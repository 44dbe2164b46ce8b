/** fast-check arbitraries for messages over a spec (test helper, not a test). */
import fc from 'fast-check';
import type { FieldSpec, Iso8583Fields, Iso8583Message, MessageSpec } from '../../../protocol/iso8583/index.js';

const DIGITS = '0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ';
const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
const TRACK = '0123456789=D';

const CHARS: Record<Exclude<FieldSpec['kind'], 'b'>, string> = { n: DIGITS, an: ALNUM, ans: PRINTABLE, z: TRACK };

/** Longest variable value generated (keeps runs fast; LLL fields still get 3-digit prefixes). */
const CAP = 140;

/** A valid value for a field and what decode must give back (the padded form for fixed fields). */
export function fieldArb(spec: FieldSpec): fc.Arbitrary<{ value: string | Buffer; decoded: string | Buffer }> {
  const fixed = spec.prefix === 'fixed';
  const max = fixed ? spec.length : Math.min(spec.length, CAP);
  const min = fixed && spec.pad === 'none' ? spec.length : 0;
  if (spec.kind === 'b') {
    return fc.uint8Array({ minLength: min, maxLength: max }).map((a) => ({ value: Buffer.from(a), decoded: Buffer.from(a) }));
  }
  const unit = fc.constantFrom(...CHARS[spec.kind].split(''));
  return fc.string({ unit, minLength: min, maxLength: max }).map((s) => {
    let decoded = s;
    if (fixed && spec.pad === 'zero-left') decoded = s.padStart(spec.length, '0');
    if (fixed && spec.pad === 'space-right') decoded = s.padEnd(spec.length, ' ');
    return { value: s, decoded };
  });
}

export const mtiArb = fc.string({ unit: fc.constantFrom(...DIGITS.split('')), minLength: 4, maxLength: 4 });

/** A valid message over `spec` plus the message decode must return for its encoding. */
export function messageArb(spec: MessageSpec, maxFields = 12): fc.Arbitrary<{ message: Iso8583Message; expected: Iso8583Message }> {
  const ids = Object.keys(spec).map(Number);
  return fc
    .tuple(mtiArb, fc.subarray(ids, { minLength: 0, maxLength: maxFields }))
    .chain(([mti, chosen]) =>
      fc.tuple(...chosen.map((id) => fieldArb(spec[id] as FieldSpec).map((v) => [id, v] as const))).map((entries) => {
        const fields: Iso8583Fields = {};
        const expected: Iso8583Fields = {};
        for (const [id, v] of entries) {
          fields[id] = v.value;
          expected[id] = v.decoded;
        }
        return { message: { mti, fields }, expected: { mti, fields: expected } };
      }),
    );
}
