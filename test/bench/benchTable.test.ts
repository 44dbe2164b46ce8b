import { describe, expect, it } from 'vitest';
import { benchTable, missedTargets, TABLE_WIDTH, wrap } from './benchTable.js';
import { absolute, compared, type BenchResult } from './harness.js';

/** Results as long as the real ones (the fleet's and the drain's names, the baselines' descriptions). */
const RESULTS: BenchResult[] = [
  compared('iso8583 pack+unpack 0200', 172_593, 'msgs/s', 'iso_8583', 10_806, '>= 100000 msgs/s and >= 6x iso_8583', (v, r) => v >= 100_000 && r >= 6),
  compared(
    'queue drain of 10000 earnings, 64 cards, concurrency 8, host emulator child process (2.9 s)',
    3425, 'items/s', 'bare RestHostClient.earn, 8 loops, same host', 4738, '>= 1000/s', (v) => v >= 1000,
  ),
  compared('queue durable enqueue (WAL, synchronous=FULL; median of 21 interleaved rounds of 200)', 3781, 'ops/s', 'raw better-sqlite3 insert, same pragmas', 9548, '>= 0.7x raw insert', (_v, r) => r >= 0.7),
  absolute('fleet 200 terminals × 60 s, chaos (13 faults), 2 workers: POS operations', 171, 'ops/s'),
  absolute('fleet 200 terminals × 60 s, chaos (13 faults), 2 workers: ledger violations', 0, '', '0', (v) => v === 0),
];

describe('the bench table', () => {
  it(`fits ${TABLE_WIDTH} columns, long names and baselines wrapped`, () => {
    const lines = benchTable(RESULTS).trimEnd().split('\n');
    expect(lines.filter((l) => l.length > TABLE_WIDTH)).toEqual([]);
    expect(lines.length).toBeGreaterThan(RESULTS.length + 2);
    // Nothing is cut: every word of every name is in the table.
    const words = new Set(lines.join(' ').split(/\s+/));
    for (const r of RESULTS) for (const w of r.name.split(' ')) expect(words.has(w), w).toBe(true);
  });

  it('has a met / not-met column', () => {
    const table = benchTable(RESULTS);
    expect(table.split('\n')[0]).toMatch(/\bmet$/);
    const rowOf = (start: string) => table.split('\n').find((l) => l.startsWith(start)) ?? '';
    expect(rowOf('iso8583')).toMatch(/ met$/);
    expect(rowOf('queue durable enqueue')).toMatch(/ NOT MET$/);
    expect(rowOf('fleet 200 terminals × 60 s, chaos (13 faults), 2 workers: POS')).not.toMatch(/met$/i);
  });

  it('lists the missed targets, which --check turns into exit 1', () => {
    expect(missedTargets(RESULTS).map((r) => r.target)).toEqual(['>= 0.7x raw insert']);
    expect(missedTargets(RESULTS.filter((r) => r.met !== false))).toEqual([]);
  });

  it('refuses a target that does not say how it is met', () => {
    expect(() => compared('x', 1, 'ops/s', 'y', 1, '>= 2x')).toThrow(/no check/);
  });

  it('wraps at spaces and cuts only words longer than the width', () => {
    expect(wrap('a bb ccc dddd', 6)).toEqual(['a bb', 'ccc', 'dddd']);
    expect(wrap('abcdefgh', 3)).toEqual(['abc', 'def', 'gh']);
    expect(wrap('', 4)).toEqual(['']);
  });
});
