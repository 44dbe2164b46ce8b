/**
 * The fleet's printed summary of a hand-built report: the refusals the POS
 * heard by reason, and the yes answers with those the host refused later,
 * their share and their reasons.
 */
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../emulator/fleet/main.js';
import type { FleetReport } from '../../../emulator/fleet/runFleet.js';

const latency = { count: 0, p50: 0, p95: 0, p99: 0 };
const report: FleetReport = {
  terminals: 2,
  workers: 1,
  transport: 'rest',
  durationS: 5,
  seed: 7,
  chaos: [],
  operations: 10,
  operationsPerS: 2,
  latencyMs: { redemption: latency, earning: latency, checkout: latency },
  outcomes: { 'earn accepted': 5, 'burn approved': 3, 'burn declined:insufficient-points': 2 },
  refusals: { 'burn declined:insufficient-points': 2 },
  yesAnswers: 8,
  refusedAfterYes: { total: 3, byReason: { 'unknown-card': 2, 'expired-card': 0, 'insufficient-points': 0, 'queue-expired': 1, other: 0 } },
  errors: {},
  queueHighWater: 0,
  drainMs: 0,
  openLeft: 0,
  rssPerTerminalMB: 1,
  violations: [],
  offlineDeclined: [],
  checked: { approvedBurns: 3, otherBurns: 2, earnings: 5 },
};

describe('formatReport', () => {
  it('prints the refusals by reason, and the yes answers refused by the host later with their share and reasons', () => {
    const lines = formatReport(report).split('\n');
    const at = (start: string) => lines.findIndex((l) => l.startsWith(start));
    expect(lines.slice(at('  refusals'), at('  refusals') + 2)).toEqual(['  refusals (the POS heard no), by reason', '         2  burn declined:insufficient-points']);
    expect(lines.slice(at('  yes answers'), at('  yes answers') + 3)).toEqual([
      '  yes answers 8; refused by the host after a yes: 3 (37.5%)',
      '         2  unknown-card',
      '         1  queue-expired',
    ]);
  });

  it('says 0.0% when the POS heard no yes at all', () => {
    const none = { ...report, yesAnswers: 0, refusedAfterYes: { total: 0, byReason: { ...report.refusedAfterYes.byReason, 'unknown-card': 0, 'queue-expired': 0 } } };
    expect(formatReport(none)).toContain('  yes answers 0; refused by the host after a yes: 0 (0.0%)\n  queue high-water');
  });
});
