import type { BenchResult } from './harness.js';

/** The widest a bench table line may be, in columns. */
export const TABLE_WIDTH = 120;

const GAP = '  ';
/** Column heads and the most each column may take; the benchmark's name takes what is left. */
const COLUMNS: { head: string; max: number }[] = [
  { head: 'benchmark', max: Number.POSITIVE_INFINITY },
  { head: 'value', max: 16 },
  { head: 'baseline (same run)', max: 26 },
  { head: 'ratio', max: 7 },
  { head: 'target', max: 20 },
  { head: 'met', max: 7 },
];

/** "met", "NOT MET", or blank for a figure with no target. */
export function metCell(r: BenchResult): string {
  if (r.target === undefined) return '';
  return r.met === true ? 'met' : 'NOT MET';
}

/** The results that had a target and missed it (or could not say). */
export function missedTargets(results: readonly BenchResult[]): BenchResult[] {
  return results.filter((r) => r.target !== undefined && r.met !== true);
}

/**
 * The results as a text table at most {@link TABLE_WIDTH} columns wide: long
 * cells wrap onto the row's next lines, and the last column says whether each
 * target was met.
 */
export function benchTable(results: readonly BenchResult[]): string {
  const fmt = (n: number | undefined) => (n === undefined ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(3));
  const rows = results.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`.trim(),
    r.baseline === undefined ? '' : `${r.baseline}: ${fmt(r.baselineValue)} ${r.unit}`.trim(),
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`,
    r.target ?? '',
    metCell(r),
  ]);
  const natural = COLUMNS.map((c, i) => Math.max(c.head.length, ...rows.map((r) => (r[i] ?? '').length)));
  const widths = COLUMNS.map((c, i) => Math.min(natural[i] ?? 0, c.max));
  const others = widths.slice(1).reduce((a, b) => a + b, 0) + GAP.length * (COLUMNS.length - 1);
  widths[0] = Math.max(COLUMNS[0]!.head.length, Math.min(natural[0] ?? 0, TABLE_WIDTH - others));
  const lines: string[] = [];
  const emit = (cells: string[]) => {
    const wrapped = cells.map((c, i) => wrap(c, widths[i] ?? 1));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let k = 0; k < height; k++) lines.push(wrapped.map((w, i) => (w[k] ?? '').padEnd(widths[i] ?? 0)).join(GAP).trimEnd());
  };
  emit(COLUMNS.map((c) => c.head));
  lines.push(widths.map((w) => '-'.repeat(w)).join(GAP));
  for (const r of rows) emit(r);
  return lines.join('\n') + '\n';
}

/** `text` in lines of at most `width`, broken at spaces (a longer word is cut). */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (let word of text.split(' ')) {
    while (word.length > width) {
      if (line !== '') {
        out.push(line);
        line = '';
      }
      out.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line !== '' || out.length === 0) out.push(line);
  return out;
}
