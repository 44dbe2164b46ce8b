import { describe, expect, it } from 'vitest';
import { luhnValid } from '../../protocol/luhn.js';
import { luhnValid as fromReader } from '../../protocol/reader/index.js';

describe('luhnValid', () => {
  // Check digits worked by hand: 6280000000000016 doubles 1 → 2 and 6 → 12 → 3 ... (sum 20).
  it.each([
    ['6280000000000016', true],
    ['6280000000000057', true],
    ['4111111111111111', true],
    ['79927398713', true],
    ['0', true],
    ['6280000000000017', false],
    ['79927398710', false],
    ['1', false],
    ['', false],
    ['6280 0000 0000 0016', false],
    ['628000000000001a', false],
  ])('%j -> %s', (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid);
  });

  it('is still exported by the reader folder', () => {
    expect(fromReader).toBe(luhnValid);
  });
});
