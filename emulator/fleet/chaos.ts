import type { FaultEndpoint } from '../host/index.js';

/** One fault of the chaos schedule, set through the host's fault API for `durationMs`. */
export interface ChaosEvent {
  atMs: number;
  durationMs: number;
  what: 'host-cut' | 'late-burn' | 'earn-5xx' | 'burn-drop' | 'commit-then-drop';
  endpoint: FaultEndpoint;
  fault: { latencyMs?: number; status?: number; drop?: boolean; commitThenDrop?: boolean };
}

/**
 * A seeded fault schedule for a run of `durationMs`: one fault at a time, a
 * quiet second between them, each one of host cuts of several seconds,
 * latency past the POS deadline, 5xx, dropped connections and
 * commit-then-drop. `posDeadlineMs` sets how late a late burn is.
 */
export function chaosSchedule(durationMs: number, posDeadlineMs: number, random: () => number): ChaosEvent[] {
  const out: ChaosEvent[] = [];
  let t = 1000 + Math.floor(random() * 1000);
  while (t < durationMs - 1000) {
    const kind = Math.floor(random() * 5);
    const durationMs_ = 1500 + Math.floor(random() * 2500);
    const ev = ((): Omit<ChaosEvent, 'atMs' | 'durationMs'> => {
      switch (kind) {
        case 0:
          return { what: 'host-cut', endpoint: '*', fault: { drop: true } };
        case 1:
          return { what: 'late-burn', endpoint: 'rewards/redeem', fault: { latencyMs: posDeadlineMs + 500 } };
        case 2:
          return { what: 'earn-5xx', endpoint: 'rewards/earn', fault: { status: 503 } };
        case 3:
          return { what: 'burn-drop', endpoint: 'rewards/redeem', fault: { drop: true } };
        default:
          return { what: 'commit-then-drop', endpoint: random() < 0.5 ? 'rewards/redeem' : 'rewards/earn', fault: { commitThenDrop: true } };
      }
    })();
    out.push({ atMs: t, durationMs: Math.min(durationMs_, durationMs - t), ...ev });
    t += durationMs_ + 1000 + Math.floor(random() * 2000);
  }
  return out;
}

/** One line per event, for the start of a run. */
export function formatSchedule(events: readonly ChaosEvent[]): string {
  if (events.length === 0) return 'chaos: no faults fit in this run\n';
  return events
    .map((e) => `chaos: at ${(e.atMs / 1000).toFixed(1)} s for ${(e.durationMs / 1000).toFixed(1)} s: ${e.what} (${e.endpoint} ${JSON.stringify(e.fault)})`)
    .join('\n') + '\n';
}
