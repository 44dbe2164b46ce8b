/**
 * `npm run bench [-- --json] [-- --short] [-- --only NAME] [-- --check]`:
 * runs every test/bench/*.bench.ts (compiled to dist/) and prints a table
 * (at most 120 columns, with a met / not-met column), or with --json the
 * array `[{name, value, unit, baseline?, baselineValue?, ratio?, target?, met?}]`. It exits
 * 1 when a benchmark fails, and with --check also when a target is missed.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchTable, missedTargets } from './benchTable.js';
import type { BenchModule, BenchResult } from './harness.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const check = args.includes('--check');
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
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
} else {
  process.stdout.write(benchTable(results));
}
const missed = missedTargets(results);
if (missed.length > 0) {
  process.stderr.write(`${missed.length} target(s) not met:\n${missed.map((r) => `  ${r.name}: ${r.target}`).join('\n')}\n`);
  if (check) failed = true;
}
process.exitCode = failed ? 1 : 0;
