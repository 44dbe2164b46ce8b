import { percentile } from '../../protocol/percentile.js';
/**
 * The one benchmark harness: warm-up, then median of N timed rounds.
 * Every benchmark measures its subject and its baseline in the same run and
 * reports the ratio, so machine speed cancels out.
 */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: string;
  baselineValue?: number;
  ratio?: number;
  /** Human-readable target, e.g. ">= 100000 msgs/s and >= 6x iso_8583". */
  target?: string;
  /** Whether this run met `target` (set with it; `npm run bench -- --check` exits 1 on a miss). */
  met?: boolean;
}

/** Whether a result met its target, from its value and its ratio to the baseline (0 when there is none). */
export type TargetCheck = (value: number, ratio: number) => boolean;

export interface BenchOptions {
  /** Short mode (CI): fewer rounds. */
  short: boolean;
}

/** A benchmark module in test/bench/*.bench.ts exports `run`. */
export type BenchModule = { run(opts: BenchOptions): Promise<BenchResult[]> };

/**
 * Runs `fn` (which performs `opsPerCall` operations) repeatedly and returns
 * operations per second: median over `rounds` rounds of `minMs` each.
 */
export function opsPerSecond(fn: () => void, opts: { opsPerCall?: number; rounds?: number; minMs?: number } = {}): number {
  const opsPerCall = opts.opsPerCall ?? 1;
  const rounds = opts.rounds ?? 7;
  const minMs = opts.minMs ?? 200;
  // Warm-up: let the JIT settle.
  const warmEnd = performance.now() + minMs;
  while (performance.now() < warmEnd) fn();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < minMs) {
      fn();
      calls++;
      now = performance.now();
    }
    rates.push((calls * opsPerCall * 1000) / (now - start));
  }
  return median(rates);
}

export { percentile };

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}


/** Builds a result with the ratio value / baselineValue. */
export function compared(
  name: string,
  value: number,
  unit: string,
  baseline: string,
  baselineValue: number,
  target?: string,
  met?: TargetCheck,
): BenchResult {
  const ratio = baselineValue === 0 ? 0 : value / baselineValue;
  return { name, value, unit, baseline, baselineValue, ratio, ...targeted(value, ratio, target, met) };
}

/** A result with no baseline (an absolute figure), with its target if it has one. */
export function absolute(name: string, value: number, unit: string, target?: string, met?: TargetCheck): BenchResult {
  return { name, value, unit, ...targeted(value, 0, target, met) };
}

function targeted(value: number, ratio: number, target: string | undefined, met: TargetCheck | undefined): Pick<BenchResult, 'target' | 'met'> {
  if (target === undefined) return {};
  if (met === undefined) throw new Error(`the target "${target}" has no check: say how it is met`);
  return { target, met: met(value, ratio) };
}
