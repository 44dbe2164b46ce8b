import { describe, expect, it } from 'vitest';
import { RestTokenCache, type FetchedToken } from '../../../agent/host/restTokenCache.js';

describe('RestTokenCache', () => {
  it('shares one fetch between concurrent callers', async () => {
    let fetches = 0;
    let release: ((t: FetchedToken) => void) | undefined;
    const cache = new RestTokenCache(() => (fetches++, new Promise<FetchedToken>((r) => (release = r))), () => 0);
    const a = cache.get();
    const b = cache.get();
    release?.({ accessToken: 'T', expiresInS: 100 });
    expect(await Promise.all([a, b])).toEqual(['T', 'T']);
    expect(fetches).toBe(1);
  });

  it('refreshes at 90% of the lifetime, measured from when the fetch started', async () => {
    let now = 1000;
    let n = 0;
    const cache = new RestTokenCache(async () => ({ accessToken: `T${++n}`, expiresInS: 10 }), () => now);
    expect(await cache.get()).toBe('T1');
    now = 1000 + 8_999;
    expect(await cache.get()).toBe('T1');
    now = 1000 + 9_000;
    expect(await cache.get()).toBe('T2');
  });

  it('invalidate drops only the token it names; a failed fetch is not cached', async () => {
    let n = 0;
    let fail = false;
    const cache = new RestTokenCache(async () => {
      if (fail) throw new Error('down');
      return { accessToken: `T${++n}`, expiresInS: 100 };
    }, () => 0);
    expect(await cache.get()).toBe('T1');
    cache.invalidate('other');
    expect(await cache.get()).toBe('T1');
    cache.invalidate('T1');
    fail = true;
    await expect(cache.get()).rejects.toThrow('down');
    fail = false;
    expect(await cache.get()).toBe('T2');
  });
});
