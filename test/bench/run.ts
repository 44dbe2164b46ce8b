/**
 * `npm run bench [-- --json] [-- --short] [-- --only NAME]`: runs every
 * test/bench/*.bench.ts (compiled to dist/) and prints a table, or with
 * --json the array DESIGN.md specifies.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from './harness.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const short = args.includes('--short') || process.env.BENCH_SHORT === '1';
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only === undefined || f.startsWith(only))
  .sort();

const results: BenchResult[] = [];
let failed = false;
for (const f of files) {
  if (!json) process.stderr.write(`running ${f} ...\n`);
  try {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as BenchModule;
    results.push(...(await mod.run({ short })));
  } catch (err) {
    failed = true;
    process.stderr.write(`benchmark ${f} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
}

if (json) {
  process.stdout.write(JSON.stringify(results.map(({ target: _t, ...r }) => r), null, 2) + '\n');
} else {
  const fmt = (n: number | undefined) => (n === undefined ? '' : n >= 100 ? n.toFixed(0) : n.toFixed(3));
  const rows = results.map((r) => [r.name, `${fmt(r.value)} ${r.unit}`, r.baseline ?? '', r.baselineValue === undefined ? '' : `${fmt(r.baselineValue)} ${r.unit}`, r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`, r.target ?? '']);
  const head = ['benchmark', 'value', 'baseline', 'baseline value', 'ratio', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(line(head) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  for (const r of rows) process.stdout.write(line(r) + '\n');
}
process.exitCode = failed ? 1 : 0;
