import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FleetReport } from './runFleet.js';

/**
 * Why `--summary FILE` could not be written, or null: checked before the run,
 * so that a wrong path costs no run. `reportFile` is `--report`'s, which the
 * summary must not overwrite.
 */
export function summaryFileProblem(file: string, reportFile?: string): string | null {
  if (file.trim() === '') return '--summary needs a file name';
  const path = resolve(file);
  if (reportFile !== undefined && resolve(reportFile) === path) return `--summary and --report name the same file (${file}): give each its own`;
  if (existsSync(path) && statSync(path).isDirectory()) return `--summary ${file} is a folder: give a file name`;
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return `--summary ${file}: the folder ${dir} does not exist`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `--summary ${file}: the folder ${dir} is not writable`;
  }
  return null;
}

/** Writes the run's figures (the whole FleetReport) as one JSON document. */
export function writeSummaryFile(file: string, report: FleetReport): void {
  try {
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  } catch (err) {
    throw new Error(`could not write --summary ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
