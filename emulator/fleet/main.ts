import { parseArgs } from 'node:util';
import { runFleet } from './runFleet.js';

const USAGE = 'usage: pos-emulator fleet --terminals N --duration S --host URL [--json]\n';

/** `pos-emulator fleet`: N emulated terminals against a host; prints throughput and latency percentiles. */
export async function main(argv: string[]): Promise<number> {
  let values: { terminals?: string; duration?: string; host?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { terminals: { type: 'string' }, duration: { type: 'string' }, host: { type: 'string' }, json: { type: 'boolean' } },
    }));
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const terminals = Number(values.terminals ?? '10');
  const durationS = Number(values.duration ?? '10');
  if (!Number.isInteger(terminals) || terminals < 1 || terminals > 1000) {
    process.stderr.write(`error: --terminals must be a whole number from 1 to 1000 (got ${values.terminals})\n${USAGE}`);
    return 2;
  }
  if (!Number.isFinite(durationS) || durationS <= 0 || durationS > 3600) {
    process.stderr.write(`error: --duration must be seconds, above 0 and at most 3600 (got ${values.duration})\n${USAGE}`);
    return 2;
  }
  if (!values.host || !/^https?:\/\//.test(values.host)) {
    process.stderr.write(`error: --host must be the host's URL, e.g. http://127.0.0.1:8080\n${USAGE}`);
    return 2;
  }
  const report = await runFleet({
    hostUrl: values.host.replace(/\/$/, ''),
    terminals,
    durationS,
    onProgress: values.json ? undefined : (p) => process.stderr.write(`  ${p.elapsedS}s: ${p.sales} sales, ${p.errors} errors\n`),
  });
  if (values.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
  } else {
    const l = report.latencyMs;
    process.stdout.write(
      `fleet: ${report.terminals} terminals for ${report.durationS} s\n` +
        `  sales      ${report.sales} (${report.salesPerS}/s)\n` +
        `  requests   ${report.requests} (${report.requestsPerS}/s)\n` +
        `  errors     ${report.errors} ${JSON.stringify(report.errorCodes)}\n` +
        `  latency ms p50 ${l.p50}  p95 ${l.p95}  p99 ${l.p99}  max ${l.max}\n`,
    );
  }
  return report.errors > 0 ? 1 : 0;
}
