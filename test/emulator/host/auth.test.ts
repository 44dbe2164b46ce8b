import { describe, expect, it } from 'vitest';
import { authHeaders, fetchToken, newNonce, signedFetcher, type SignedFetch } from '../../support/signedFetch.js';
import { card, cardHeaders, codeOf, hostForFile, testClock } from './hostFixture.js';

const clock = testClock(Date.UTC(2026, 5, 1, 12, 0, 0));
const emu = hostForFile({ clock: clock.now });
const { api } = emu;
const PATH = '/api/v1/loyalty/rewards?timeStamp=20260601120000&transactionId=77';
const headers = cardHeaders(card('happy'));

const nowS = (): number => Math.floor(clock.now() / 1000);

describe('request authentication', () => {
  it('accepts a correctly signed request', async () => {
    const r = await api({ path: PATH, headers });
    expect(r.status).toBe(200);
  });

  it.each([
    ['no Authorization', { omit: ['Authorization'] }, 'E22'],
    ['an unknown token', { override: { Authorization: 'Bearer not-a-token' } }, 'E22'],
    ['Basic instead of Bearer', { override: { Authorization: 'Basic abc' } }, 'E22'],
    ['no Nonce', { omit: ['Nonce'] }, 'E23'],
    ['a Nonce that is not 32 hex', { override: { Nonce: 'xyz' } }, 'E23'],
    ['no Timestamp', { omit: ['Timestamp'] }, 'E29'],
    ['a Timestamp that is not seconds', { override: { Timestamp: '2026-06-01' } }, 'E29'],
    ['an all-digit Timestamp of 23 digits (a time far off)', { override: { Timestamp: '12345678901234567890123' } }, 'E24'],
    ['a Timestamp 31 minutes old', { timestamp: nowS() - 31 * 60 }, 'E24'],
    ['a Timestamp 31 minutes ahead', { timestamp: nowS() + 31 * 60 }, 'E24'],
    ['a wrong Signature', { override: { Signature: 'AAAA' } }, 'E26'],
    ['no Signature', { omit: ['Signature'] }, 'E26'],
    ['SignatureMethod SHA256', { override: { SignatureMethod: 'SHA256' } }, 'E26'],
  ] as const)('%s answers 401 %s', async (_name, req, code) => {
    const r = await api({ path: PATH, headers, ...req } as Parameters<SignedFetch>[0]);
    expect(r.status).toBe(401);
    expect(codeOf(r.body)).toBe(code);
    expect(r.body).toEqual({ errors: [(r.body as { error: unknown }).error], error: (r.body as { error: unknown }).error });
  });

  it('accepts a Timestamp 29 minutes off', async () => {
    expect((await api({ path: PATH, headers, timestamp: nowS() - 29 * 60 })).status).toBe(200);
    expect((await api({ path: PATH, headers, timestamp: nowS() + 29 * 60 })).status).toBe(200);
  });

  it('a replayed nonce gets E25; a forged request does not burn the nonce', async () => {
    const nonce = newNonce();
    const forged = await api({ path: PATH, headers, nonce, override: { Signature: 'forged' } });
    expect(codeOf(forged.body)).toBe('E26');
    expect((await api({ path: PATH, headers, nonce })).status).toBe(200);
    const again = await api({ path: PATH, headers, nonce });
    expect(again.status).toBe(401);
    expect(codeOf(again.body)).toBe('E25');
  });

  it('signs the full URL: a signature made for another query fails with E26', async () => {
    const token = await fetchToken(emu.host.url);
    const nonce = newNonce();
    const forOtherQuery = authHeaders({ baseUrl: emu.host.url, token, now: clock.now }, { path: PATH + '&x=1', nonce });
    const direct = signedFetcher({ baseUrl: emu.host.url, token, now: clock.now });
    const res = await direct({ path: PATH, headers, nonce, override: { Signature: forOtherQuery.Signature ?? '' } });
    expect(codeOf(res.body)).toBe('E26');
    // The same nonce is still usable: the forged request did not consume it.
    expect((await direct({ path: PATH, headers, nonce })).status).toBe(200);
  });

  it('checks in the documented order: E22 before E23 before E29 before E24 before E25 before E26', async () => {
    const none = await api({ path: PATH, headers, omit: ['Authorization', 'Nonce', 'Timestamp', 'Signature'] });
    expect(codeOf(none.body)).toBe('E22');
    const noNonceNoTs = await api({ path: PATH, headers, omit: ['Nonce', 'Timestamp'] });
    expect(codeOf(noNonceNoTs.body)).toBe('E23');
    const noTsBadSig = await api({ path: PATH, headers, omit: ['Timestamp'], override: { Signature: 'x' } });
    expect(codeOf(noTsBadSig.body)).toBe('E29');
    const nonce = newNonce();
    expect((await api({ path: PATH, headers, nonce })).status).toBe(200);
    const skewAndReplay = await api({ path: PATH, headers, nonce, timestamp: nowS() - 3600 });
    expect(codeOf(skewAndReplay.body)).toBe('E24');
    const replayBadSig = await api({ path: PATH, headers, nonce, override: { Signature: 'x' } });
    expect(codeOf(replayBadSig.body)).toBe('E25');
  });

  it('the emulator endpoints need no authentication', async () => {
    const res = await fetch(`${emu.host.url}/_emulator/faults`);
    expect(res.status).toBe(200);
  });
});
