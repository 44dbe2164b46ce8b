import { describe, expect, it } from 'vitest';
import { READER_PROFILES, isReaderProfile } from '../../../protocol/reader/readerProfile.js';

describe('isReaderProfile', () => {
  it('accepts the two profiles of DESIGN.md', () => {
    expect(READER_PROFILES).toEqual(['framed', 'magtek']);
    expect(isReaderProfile('framed')).toBe(true);
    expect(isReaderProfile('magtek')).toBe(true);
  });

  it.each([['Framed'], ['idtech'], [''], [undefined], [0]])('refuses %j', (value) => {
    expect(isReaderProfile(value)).toBe(false);
  });
});
