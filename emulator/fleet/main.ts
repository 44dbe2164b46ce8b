import { parseArgs } from 'node:util';
import { REFUSALS_AFTER_YES } from './refusalAfterYes.js';
import { runFleet, type FleetReport } from './runFleet.js';
import { summaryFileProblem, writeSummaryFile } from './summaryFile.js';

const USAGE = `usage: pos-emulator fleet --terminals N --duration S --host URL [--workers K] [--transport rest|iso8583 --iso-address HOST:PORT]
                          [--chaos] [--seed N] [--report FILE] [--summary FILE] [--drain-s S] [--json]
`;

function usage(msg: string): number {
  process.stderr.write(`error: ${msg}\n${USAGE}`);
  return 2;
}

/**
 * \`pos-emulator fleet\`: N terminals, each a real agent, against a host
 * emulator; prints the summary and the ledger check (`--summary FILE`: the
 * run's figures as JSON too). Exit 1 on any violation.
 */
export async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        terminals: { type: 'string' }, duration: { type: 'string' }, host: { type: 'string' }, workers: { type: 'string' },
        transport: { type: 'string' }, 'iso-address': { type: 'string' }, chaos: { type: 'boolean' }, seed: { type: 'string' },
        report: { type: 'string' }, summary: { type: 'string' }, 'drain-s': { type: 'string' }, json: { type: 'boolean' },
      },
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  const terminals = Number(values.terminals ?? '10');
  const durationS = Number(values.duration ?? '10');
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const transport = (values.transport ?? 'rest') as string;
  const host = values.host as string | undefined;
  const iso = values['iso-address'] as string | undefined;
  if (!Number.isInteger(terminals) || terminals < 1 || terminals > 1000) return usage(`--terminals must be a whole number from 1 to 1000 (got ${String(values.terminals)})`);
  if (!Number.isFinite(durationS) || durationS <= 0 || durationS > 3600) return usage(`--duration must be seconds, above 0 and at most 3600 (got ${String(values.duration)})`);
  if (!host || !/^https?:\/\//.test(host)) return usage('--host must be the host emulator\'s URL, e.g. http://127.0.0.1:8080');
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) return usage('--workers must be a whole number from 1 to 64');
  if (seed !== undefined && !Number.isInteger(seed)) return usage('--seed must be a whole number');
  if (transport !== 'rest' && transport !== 'iso8583') return usage('--transport must be rest or iso8583');
  if (transport === 'iso8583' && (!iso || !/^[^:]+:[0-9]+$/.test(iso))) return usage('--transport iso8583 needs --iso-address HOST:PORT (the host\'s --iso-port)');
  const drainS = values['drain-s'] === undefined ? 90 : Number(values['drain-s']);
  if (!Number.isFinite(drainS) || drainS < 1 || drainS > 3600) return usage('--drain-s must be seconds, 1 to 3600');
  const reportFile = typeof values.report === 'string' ? values.report : undefined;
  const summaryFile = typeof values.summary === 'string' ? values.summary : undefined;
  const summaryProblem = summaryFile === undefined ? null : summaryFileProblem(summaryFile, reportFile);
  if (summaryProblem !== null) return usage(summaryProblem);
  const json = values.json === true;
  const report = await runFleet({
    hostUrl: host.replace(/\/$/, ''),
    ...(iso ? { isoAddress: iso } : {}),
    transport,
    terminals,
    durationS,
    ...(workers === undefined ? {} : { workers }),
    chaos: values.chaos === true,
    ...(seed === undefined ? {} : { seed }),
    ...(reportFile === undefined ? {} : { reportFile }),
    drainMs: drainS * 1000,
    onLine: (l) => process.stderr.write(l + '\n'),
  });
  process.stdout.write(json ? JSON.stringify(report) + '\n' : formatReport(report));
  if (summaryFile !== undefined) writeSummaryFile(summaryFile, report);
  return report.violations.length > 0 ? 1 : 0;
}

/** The summary a person reads at the end of a run. */
export function formatReport(r: FleetReport): string {
  const lines = [
    `fleet: ${r.terminals} terminals (${r.workers} workers, ${r.transport}) for ${r.durationS} s, seed ${r.seed}${r.chaos.length ? `, ${r.chaos.length} faults` : ''}`,
    `  operations      ${r.operations} (${r.operationsPerS}/s)`,
    ...(['redemption', 'earning', 'checkout'] as const).map((k) => {
      const l = r.latencyMs[k];
      return `  ${k.padEnd(15)} ${String(l.count).padStart(6)}  p50 ${l.p50} ms  p95 ${l.p95} ms  p99 ${l.p99} ms`;
    }),
    '  outcomes',
    ...counts(r.outcomes),
    ...(Object.keys(r.refusals).length ? ['  refusals (the POS heard no), by reason', ...counts(r.refusals)] : []),
    `  yes answers ${r.yesAnswers}; refused by the host after a yes: ${r.refusedAfterYes.total} (${percent(r.refusedAfterYes.total, r.yesAnswers)})`,
    ...REFUSALS_AFTER_YES.filter((k) => r.refusedAfterYes.byReason[k] > 0).map((k) => `    ${String(r.refusedAfterYes.byReason[k]).padStart(6)}  ${k}`),
    ...(Object.keys(r.errors).length ? ['  errors (no answer)', ...Object.entries(r.errors).map(([k, n]) => `    ${String(n).padStart(6)}  ${k}`)] : []),
    `  queue high-water ${r.queueHighWater} operations; drained ${(r.drainMs / 1000).toFixed(1)} s after the last fault`,
    `  memory          ${r.rssPerTerminalMB} MB RSS per terminal`,
    `  ledger check    ${r.checked.approvedBurns} approved burns, ${r.checked.otherBurns} other burns, ${r.checked.earnings} earnings`,
    ...(r.offlineDeclined.length
      ? [`  dead-letter after a yes, listed for a technician: ${r.offlineDeclined.length}`, ...r.offlineDeclined.slice(0, 20).map((d) => `    ${d}`)]
      : []),
    r.violations.length === 0 ? '  violations      none' : `  VIOLATIONS      ${r.violations.length}`,
    ...r.violations.map((v) => `    ${v}`),
  ];
  return lines.join('\n') + '\n';
}

/** A count per key, most first, one line each. */
function counts(byKey: Record<string, number>): string[] {
  return Object.entries(byKey)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `    ${String(n).padStart(6)}  ${k}`);
}

/** `part` of `whole` as a percentage with one decimal ("0.0%" of nothing). */
function percent(part: number, whole: number): string {
  return `${(whole === 0 ? 0 : (100 * part) / whole).toFixed(1)}%`;
}
