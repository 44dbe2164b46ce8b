/** A fixture card (emulator/host/fixtures.ts) as the agent's HostClient takes it. */
import type { CardRef } from '../../protocol/cardRef.js';
import { DEFAULT_FIXTURES, fixtureCard } from '../../emulator/host/fixtures.js';
import type { Pan, Yymm } from '../../protocol/pan.js';

/** The PAN and expiry of the named default fixture card; throws when there is no such card. */
export function fixtureCardRef(name: string): CardRef {
  const c = fixtureCard(DEFAULT_FIXTURES, name);
  if (!c) throw new Error(`fixture card "${name}" missing`);
  return { pan: c.pan as Pan, expiry: c.expiry as Yymm };
}
