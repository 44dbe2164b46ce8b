/**
 * The reader panel's card labels: each shows the card's balance as the host's
 * ledger has it now, not its starting balance, and keeps the last one read
 * while the host is cut.
 */
import { describe, expect, it } from 'vitest';
import { cardLabels } from '../../../emulator/console/cardLabels.js';
import { DEFAULT_FIXTURES } from '../../../emulator/host/index.js';

const labelOf = (name: string, labels: { name: string; behaviour: string }[]) => labels.find((l) => l.name === name)?.behaviour;

describe('the reader\'s card labels', () => {
  it('show the balance the host holds after an operation, and what each card does', () => {
    const before = cardLabels(DEFAULT_FIXTURES, undefined);
    expect(labelOf('happy', before)).toBe('2450 points');
    expect(labelOf('empty', before)).toBe('0 points: a redemption is declined');
    const after = cardLabels(DEFAULT_FIXTURES, [
      { name: 'happy', accounts: [{ balance: 2350 }] },
      { name: 'empty', accounts: [{ balance: 45 }] },
    ]);
    expect(labelOf('happy', after)).toBe('2350 points');
    expect(labelOf('empty', after)).toBe('45 points');
    expect(labelOf('offer', after)).toBe('800 points; linked to the offer "BP: 10% off with Pay with Points"');
    expect(labelOf('unknown', after)).toBe('not enrolled: declined (L14)');
    expect(labelOf('commit-then-drop', after)).toMatch(/^1000 points; the host applies the burn, then drops the connection/);
  });
});
