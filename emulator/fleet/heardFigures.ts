import type { HeardStep } from './fleetTerminal.js';
import { REFUSALS_AFTER_YES, refusalAfterYes, type DeadItem, type RefusalAfterYes } from './refusalAfterYes.js';

/** The statuses a POS hears as a yes: an approved burn, an accepted earning, an applied offer. */
const YES: Readonly<Record<HeardStep['kind'], string>> = { burn: 'approved', earn: 'accepted', offer: 'applied' };
/** The statuses a POS hears as a no. */
const NO: ReadonlySet<string> = new Set(['declined', 'unavailable', 'timeout']);

/** What the POS heard over a run, counted (a part of the FleetReport and of `--summary`). */
export interface HeardFigures {
  /** `kind status[:reason]` → count, over every step a POS heard. */
  outcomes: Record<string, number>;
  /** The steps the POS heard as a no (declined, unavailable, timeout): `kind status[:reason]` → count, a part of `outcomes`. */
  refusals: Record<string, number>;
  /** Steps the POS heard as a yes: approved burns, accepted earnings, applied offers. */
  yesAnswers: number;
  /** Of the yes answers, those the host refused later (dead-letter items), by short reason (every reason, 0 included). */
  refusedAfterYes: { total: number; byReason: Record<RefusalAfterYes, number> };
}

/**
 * Counts what the POS heard: every step by `kind status[:reason]`, the no
 * answers alone, the yes answers, and those of the yes answers the host
 * refused later. `deadLettered` maps a transactionId to its dead item (its refusal and dead reason), for
 * the terminals' dead-letter items the POS had heard as a yes
 * (FleetTerminal.queueState's `offlineDeclined`).
 */
export function heardFigures(steps: readonly HeardStep[], deadLettered: ReadonlyMap<string, DeadItem>): HeardFigures {
  const outcomes: Record<string, number> = {};
  const refusals: Record<string, number> = {};
  const byReason = Object.fromEntries(REFUSALS_AFTER_YES.map((r) => [r, 0])) as Record<RefusalAfterYes, number>;
  let yesAnswers = 0;
  let total = 0;
  for (const s of steps) {
    const key = `${s.kind} ${s.status}${s.reason ? `:${s.reason}` : ''}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (NO.has(s.status)) refusals[key] = (refusals[key] ?? 0) + 1;
    if (s.status !== YES[s.kind]) continue;
    yesAnswers++;
    const dead = s.transactionId === '' ? undefined : deadLettered.get(s.transactionId);
    if (dead === undefined) continue;
    total++;
    byReason[refusalAfterYes(dead)]++;
  }
  return { outcomes, refusals, yesAnswers, refusedAfterYes: { total, byReason } };
}
