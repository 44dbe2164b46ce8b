import { REFUSALS_AFTER_YES, refusalAfterYes, type RefusalAfterYes } from '../fleet/index.js';
import { reasonText } from '../stack/index.js';
import type { FigureRow } from './heardNo.js';

/** A queue item's fields this view reads (GET /v1/queue). */
export interface DeadItemView {
  kind: string;
  state: string;
  offline: boolean;
  deadReason: string | null;
  /** The host's refusal as the queue keeps it (a stable reason), or null. */
  refusal: string | null;
}

/** What the POS heard as a yes and the host refused later: how many, and why, in words (only the reasons seen). */
export interface YesThenRefused {
  total: number;
  byReason: FigureRow[];
}

const WORDS: Readonly<Record<RefusalAfterYes, string>> = {
  'unknown-card': reasonText('unknown-card'),
  'expired-card': reasonText('expired-card'),
  'insufficient-points': reasonText('insufficient-points'),
  'queue-expired': 'it waited in the queue too long',
  other: 'another refusal (see the queue)',
};

/**
 * The dead-letter items the POS had heard as a yes (an accepted earning, an
 * offline burn it was told was approved), by why the host refused them
 * (refusalAfterYes of the refusal the queue kept). The rule is the fleet's
 * (FleetTerminal.queueState).
 */
export function yesThenRefused(items: readonly DeadItemView[]): YesThenRefused {
  const counts = new Map<RefusalAfterYes, number>();
  let total = 0;
  for (const i of items) {
    if (i.state !== 'dead' || !(i.kind === 'earn' || (i.kind === 'burn' && i.offline))) continue;
    const reason = refusalAfterYes(i);
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
    total++;
  }
  const byReason = REFUSALS_AFTER_YES.filter((r) => counts.has(r)).map((r) => ({ words: capitalized(WORDS[r]), count: counts.get(r) ?? 0 }));
  return { total, byReason };
}

const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
