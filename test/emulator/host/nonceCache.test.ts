import { describe, expect, it } from 'vitest';
import { NonceCache } from '../../../emulator/host/nonceCache.js';
import { testClock } from './hostFixture.js';

describe('NonceCache', () => {
  it('remembers a nonce until its window ends, then forgets it', () => {
    const clock = testClock(1_000_000);
    const cache = new NonceCache(clock.now, 1000);
    cache.add('a'.repeat(32), 1_000_000 + 5000);
    expect(cache.has('a'.repeat(32))).toBe(true);
    clock.advance(4999);
    expect(cache.has('a'.repeat(32))).toBe(true);
    clock.advance(1);
    expect(cache.has('a'.repeat(32))).toBe(false);
  });

  it('sweeps expired nonces so memory stays bounded', () => {
    const clock = testClock(0);
    const cache = new NonceCache(clock.now, 1000);
    for (let i = 0; i < 500; i++) cache.add(`n${i}`, 1000);
    expect(cache.size).toBe(500);
    clock.advance(1500);
    cache.add('fresh', 10_000);
    expect(cache.size).toBe(1);
  });
});

describe('NonceCache cap', () => {
  it('never holds more than maxEntries, forgetting the oldest first', () => {
    const clock = testClock(0);
    const cache = new NonceCache(clock.now, 60_000, 3);
    for (const n of ['a', 'b', 'c', 'd']) cache.add(n, 10_000);
    expect(cache.size).toBe(3);
    expect(cache.has('a')).toBe(false);
    expect(cache.has('d')).toBe(true);
  });
});
