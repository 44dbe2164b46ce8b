import { describe, expect, it } from 'vitest';
import { Iso8583Error, SPEC_1987, compileSpec, type FieldSpec, type MessageSpec } from '../../../protocol/iso8583/index.js';

const ok: FieldSpec = { length: 6, description: 'Processing Code', kind: 'n', prefix: 'fixed', pad: 'zero-left' };

function specError(spec: MessageSpec): Iso8583Error {
  try {
    compileSpec(spec);
  } catch (e) {
    if (e instanceof Iso8583Error) return e;
    throw e;
  }
  throw new Error('expected compileSpec to throw');
}

describe('compileSpec checks the table once', () => {
  it('accepts SPEC_1987 and caches the result', () => {
    expect(compileSpec(SPEC_1987)).toBe(compileSpec(SPEC_1987));
    expect(compileSpec(SPEC_1987).fields[65]).toBeUndefined();
    expect(compileSpec(SPEC_1987).fields[128]).toMatchObject({ kind: 'b', length: 8, prefixDigits: 0 });
  });

  it.each<{ name: string; spec: Record<number, unknown> }>([
    { name: 'field 65', spec: { 65: { ...ok, kind: 'b', pad: 'none', length: 8 } } },
    { name: 'field 1', spec: { 1: ok } },
    { name: 'field 129', spec: { 129: ok } },
    { name: 'unknown kind', spec: { 3: { ...ok, kind: 'x' } } },
    { name: 'LL over 99', spec: { 2: { ...ok, prefix: 'LL', pad: 'none', length: 100 } } },
    { name: 'LLL over 999', spec: { 2: { ...ok, prefix: 'LLL', pad: 'none', length: 1000 } } },
    { name: 'zero-left on an', spec: { 37: { ...ok, kind: 'an' } } },
    { name: 'space-right on n', spec: { 3: { ...ok, pad: 'space-right' } } },
    { name: 'padding on LLVAR', spec: { 2: { ...ok, prefix: 'LL' } } },
    { name: 'length 0', spec: { 3: { ...ok, length: 0 } } },
    { name: 'DE64 not b fixed 8', spec: { 64: { ...ok, kind: 'b', pad: 'none', length: 16 } } },
    { name: 'bad prefix', spec: { 3: { ...ok, prefix: 'LLLL' } } },
  ])('rejects $name with ISO_ERR_SPEC', ({ spec }) => {
    expect(specError(spec as MessageSpec).code).toBe('ISO_ERR_SPEC');
  });
});
