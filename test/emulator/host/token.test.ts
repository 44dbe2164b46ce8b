import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../emulator/host/index.js';
import { fetchToken, signedFetcher } from '../../support/signedFetch.js';
import { card, cardHeaders, testClock } from './hostFixture.js';

let host: RunningHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

const tokenCall = (url: string, auth: string, body = 'grant_type=client_credentials') =>
  request(`${url}/passport/oauth/token`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

describe('POST /passport/oauth/token', () => {
  it("answers the seed's sample request verbatim with the seed's success shape", async () => {
    host = await startHost();
    // Header copied from the seed's sample request.
    const res = await tokenCall(host.url, 'Basic SUtJQTFCNzU5M0M0NDAyQkM1RTAwQzQ2QUM4QjFDMUNDMEI4NUVFQkIwODg6c2VjcmV0');
    expect(res.statusCode).toBe(200);
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ['access_token', 'client_name', 'expires_in', 'jti', 'merchant_code', 'payable_id', 'requestor_id', 'scope', 'token_type'].sort(),
    );
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 43199, scope: 'profile' });
    expect(typeof body.access_token).toBe('string');
  });

  it("answers bad credentials with 401 and the seed's failure body", async () => {
    host = await startHost();
    const wrong = Buffer.from('IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088:nope').toString('base64');
    for (const auth of [`Basic ${wrong}`, 'Basic', 'Bearer x', 'Basic !!!']) {
      const res = await tokenCall(host.url, auth);
      expect(res.statusCode).toBe(401);
      expect(await res.body.json()).toEqual({ code: 'Unauthorized', description: 'Bad credentials', errors: null });
    }
  });

  it('refuses a grant_type other than client_credentials with 400', async () => {
    host = await startHost();
    const res = await tokenCall(host.url, 'Basic SUtJQTFCNzU5M0M0NDAyQkM1RTAwQzQ2QUM4QjFDMUNDMEI4NUVFQkIwODg6c2VjcmV0', 'grant_type=password');
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({ code: 'BadRequest', errors: null });
  });

  it('accepts extra clients from the clients option', async () => {
    host = await startHost({ clients: [{ clientId: 'IKIATESTCLIENT', clientSecret: 's3cret' }] });
    const token = await fetchToken(host.url, { clientId: 'IKIATESTCLIENT', clientSecret: 's3cret' });
    const api = signedFetcher({ baseUrl: host.url, token, clientId: 'IKIATESTCLIENT', clientSecret: 's3cret' });
    const r = await api({ path: '/api/v1/loyalty/rewards', headers: cardHeaders(card('happy')) });
    expect(r.status).toBe(200);
    // Signed with another client's secret: E26.
    const bad = signedFetcher({ baseUrl: host.url, token, clientId: 'IKIATESTCLIENT', clientSecret: 'secret' });
    expect((await bad({ path: '/api/v1/loyalty/rewards', headers: cardHeaders(card('happy')) })).status).toBe(401);
  });

  it('an expired token answers 401 E22 (host clock moved past expires_in)', async () => {
    const clock = testClock(Date.UTC(2026, 0, 1));
    host = await startHost({ clock: clock.now });
    const token = await fetchToken(host.url);
    const api = signedFetcher({ baseUrl: host.url, token, now: clock.now });
    expect((await api({ path: '/api/v1/loyalty/rewards', headers: cardHeaders(card('happy')) })).status).toBe(200);
    clock.advance(43198 * 1000);
    expect((await api({ path: '/api/v1/loyalty/rewards', headers: cardHeaders(card('happy')) })).status).toBe(200);
    clock.advance(2000);
    const r = await api({ path: '/api/v1/loyalty/rewards', headers: cardHeaders(card('happy')) });
    expect(r.status).toBe(401);
    expect((r.body as { error: { code: string } }).error.code).toBe('E22');
  });
});
