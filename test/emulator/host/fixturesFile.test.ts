import { describe, expect, it } from 'vitest';
import { FixturesError, parseFixtures } from '../../../emulator/host/fixturesFile.js';
import { DEFAULT_FIXTURES } from '../../../emulator/host/fixtures.js';
import { startHost } from '../../../emulator/host/index.js';

const clone = (): unknown => JSON.parse(JSON.stringify(DEFAULT_FIXTURES)) as unknown;

/** Sets (or with `undefined`, deletes) the value at a dotted path such as `cards.1.pan`. */
function patch(root: unknown, path: string, value: unknown): unknown {
  const keys = path.split('.');
  let node = root as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return root;
}

const errorOf = (input: unknown): FixturesError => {
  try {
    parseFixtures(input);
  } catch (err) {
    if (err instanceof FixturesError) return err;
    throw err;
  }
  throw new Error('expected a FixturesError');
};

describe('fixtures file validation', () => {
  it('accepts the default fixtures', () => {
    expect(parseFixtures(clone())).toEqual(DEFAULT_FIXTURES);
  });

  it.each([
    ['a PAN failing Luhn', 'cards.1.pan', '6280000000000025', '"cards[1].pan": must pass the Luhn check'],
    ['a bad expiry', 'cards.0.expiry', '3013', '"cards[0].expiry": must be YYMM'],
    ['an unknown key', 'cards.0.colour', 'red', '"cards[0]"'],
    ['a bad behaviour', 'cards.2.behaviour', 'flaky', '"cards[2].behaviour"'],
    ['a negative balance', 'cards.0.accounts.0.balance', -1, '"cards[0].accounts[0].balance"'],
    ['a duplicate name', 'cards.1.name', 'happy', 'duplicate card name "happy"'],
    ['a dangling offer link', 'cards.0.linkedOffers', [5], '"cards[0].linkedOffers[0]": no offer at index 5'],
    ['no earnRate', 'earnRate', undefined, '"earnRate"'],
  ])('names the key for %s', (_n, path, value, expected) => {
    const err = errorOf(patch(clone(), path, value));
    expect(err.code).toBe('FIXTURES_ERR_INVALID');
    expect(err.message).toContain(expected);
    for (const c of DEFAULT_FIXTURES.cards) expect(err.message).not.toContain(c.pan);
  });

  it('a fixtures object replaces the defaults in the running host', async () => {
    const f = parseFixtures(clone());
    const host = await startHost({ fixtures: { ...f, cards: f.cards.slice(0, 1).map((c) => ({ ...c, name: 'solo' })) } });
    try {
      const body = (await (await fetch(`${host.url}/_emulator/fixtures`)).json()) as { cards: { name: string }[] };
      expect(body.cards.map((c) => c.name)).toEqual(['solo']);
    } finally {
      await host.close();
    }
  });
});
