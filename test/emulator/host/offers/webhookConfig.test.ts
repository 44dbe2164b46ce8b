import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES } from '../../../../emulator/host/fixtures.js';
import { registerOffers, retryDelayMs, DEFAULT_RETRY_POLICY } from '../../../../emulator/host/offers/index.js';
import { HOST_KEY, testAuth } from './offersTestApp.js';

function register(webhook: { url: string; secret: string }): unknown {
  const app = Fastify();
  const db = new Database(':memory:');
  try {
    registerOffers(app, { db, authenticate: testAuth, fixtures: DEFAULT_FIXTURES, hostKey: HOST_KEY, now: () => new Date(), webhook });
    return undefined;
  } catch (e) {
    return e;
  } finally {
    db.close();
    void app.close();
  }
}

const SECRET = 'whsec_cG9zLWFnZW50LW9mZmVycy10ZXN0LWtleS0zMmJ5dGU=';

describe('webhook configuration', () => {
  it.each([
    { name: 'a relative url', url: '/hooks', secret: SECRET, code: 'WEBHOOK_ERR_URL' },
    { name: 'an ftp url', url: 'ftp://127.0.0.1/hooks', secret: SECRET, code: 'WEBHOOK_ERR_URL' },
    { name: 'a secret without whsec_', url: 'https://127.0.0.1/hooks', secret: 'secret', code: 'WEBHOOK_ERR_SECRET' },
  ])('refuses $name at registration with a typed error', ({ url, secret, code }) => {
    expect(register({ url, secret })).toMatchObject({ code });
  });

  it('accepts a good target', () => {
    expect(register({ url: 'https://127.0.0.1:9/hooks', secret: SECRET })).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('doubles from 200 ms and caps at 10 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, DEFAULT_RETRY_POLICY));
    expect(delays).toEqual([200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
  });
});
