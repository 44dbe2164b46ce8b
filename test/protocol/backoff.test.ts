import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../protocol/backoff.js';
import { percentile } from '../../protocol/percentile.js';

describe('backoffDelay', () => {
  it('doubles from baseMs at the first retry up to maxMs (the reader: 100 ms to 5 s)', () => {
    const reader = { baseMs: 100, maxMs: 5000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((r) => backoffDelay(r, reader))).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });

  it('the webhook schedule with its defaults: 200, 400, 800, 1600, 3200 ms', () => {
    expect([1, 2, 3, 4, 5].map((r) => backoffDelay(r, { baseMs: 200, maxMs: 10_000, jitter: 0 }))).toEqual([200, 400, 800, 1600, 3200]);
  });

  it('takes off at most `jitter` of the delay, and never goes below 1 ms', () => {
    expect(backoffDelay(1, { baseMs: 1000, jitter: 0.2 }, 0.5)).toBe(900);
    expect(backoffDelay(1, { baseMs: 1000, jitter: 0.2 }, 0.999999)).toBe(800);
    expect(backoffDelay(1, { baseMs: 1, jitter: 1 }, 0.999)).toBe(1);
    // Defaults: 500 ms, 30 s, 20 % jitter.
    expect(backoffDelay(1, {})).toBe(500);
    expect(backoffDelay(40, {})).toBe(30_000);
  });
});

describe('percentile', () => {
  it('is the nearest rank of the sorted sample', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 90)).toBe(9);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(() => percentile([], 50)).toThrow(RangeError);
  });
});
