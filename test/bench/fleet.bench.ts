/**
 * The fleet under chaos: 200 terminals × 60 s (`--short`: 20 × 10 s), each a
 * real agent, spread over one worker per core, against a host emulator child
 * process with the seeded fault schedule. Reports POS operations/s, p99 per
 * kind, the violations of the ledger check (must be 0: the benchmark fails
 * otherwise) and RSS per terminal. There is no baseline: no other program
 * does this work; the figures are absolute, for sizing.
 */
import { runFleet } from '../../emulator/fleet/runFleet.js';
import { jsonLine, startChild } from '../../emulator/stack/childProcess.js';
import { EMULATOR_CLI } from '../../emulator/stack/counterStack.js';
import { absolute, type BenchOptions, type BenchResult } from './harness.js';

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const terminals = opts.short ? 20 : 200;
  const durationS = opts.short ? 10 : 60;
  const host = startChild(process.execPath, [EMULATOR_CLI, 'host', '--port', '0']);
  try {
    const url = String(jsonLine(await host.waitForLine((l) => jsonLine(l)?.msg === 'listening'))?.url);
    const r = await runFleet({ hostUrl: url, terminals, durationS, chaos: true, seed: 20261201 });
    if (r.violations.length > 0) throw new Error(`the fleet's ledger check found ${r.violations.length} violations:\n${r.violations.slice(0, 20).join('\n')}`);
    const label = `fleet ${terminals} terminals × ${durationS} s, chaos (${r.chaos.length} faults), ${r.workers} workers`;
    return [
      { name: `${label}: POS operations`, value: r.operationsPerS, unit: 'ops/s' },
      { name: `${label}: redemption p99`, value: r.latencyMs.redemption.p99, unit: 'ms' },
      { name: `${label}: earning p99`, value: r.latencyMs.earning.p99, unit: 'ms' },
      { name: `${label}: checkout p99`, value: r.latencyMs.checkout.p99, unit: 'ms' },
      absolute(`${label}: ledger violations`, r.violations.length, '', '0', (v) => v === 0),
      { name: `${label}: RSS per terminal`, value: r.rssPerTerminalMB, unit: 'MB' },
      { name: `${label}: drain after the last fault`, value: r.drainMs / 1000, unit: 's' },
    ];
  } finally {
    await host.stop();
  }
}
