import { describe, expect, it } from 'vitest';
import { NonceCache } from '../../../../emulator/host/auth/index.js';
import { testClock } from '../hostFixture.js';

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

describe('NonceCache eviction by expiry', () => {
  it('at the cap forgets an expired nonce before a live one, whatever the insertion order', () => {
    const clock = testClock(0);
    const cache = new NonceCache(clock.now, 60_000, 3);
    cache.add('live-old', 10_000);
    cache.add('short', 100);
    cache.add('live-new', 10_000);
    clock.advance(200); // 'short' has expired; no sweep is due yet (every 60 s)
    expect(cache.size).toBe(3);
    cache.add('d', 10_000);
    expect(cache.size).toBe(3);
    // Insertion order would have dropped 'live-old' and reopened its replay.
    expect(cache.has('live-old')).toBe(true);
    expect(cache.has('live-new')).toBe(true);
    expect(cache.has('d')).toBe(true);
    expect(cache.has('short')).toBe(false);
  });

  it('with every nonce live, forgets the least recently added one', () => {
    const clock = testClock(1_700_000_000_000);
    const cache = new NonceCache(clock.now, 60_000, 2);
    cache.add('a', 1_700_000_010_000);
    cache.add('b', 1_700_000_010_000);
    expect(cache.has('a')).toBe(true); // a replay check does not make 'a' recent
    cache.add('c', 1_700_000_010_000);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([false, true, true]);
  });

  it('does not record a window that is already over', () => {
    const clock = testClock(5000);
    const cache = new NonceCache(clock.now, 1000);
    cache.add('late', 5000);
    expect(cache.has('late')).toBe(false);
    expect(cache.size).toBe(0);
  });
});
