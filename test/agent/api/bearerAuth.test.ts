/**
 * The POS API's bearer token (issue 18; DESIGN.md, "Agent local POS API"):
 * with `api.tokenFile` set, every route needs `Authorization: Bearer <token>`
 * (401 with the error body and a stable code otherwise, before anything is
 * done), /v1/health and /metrics stay open unless `api.openRoutes` closes
 * them, and the token appears in no log line and no answer. Real HTTP on
 * 127.0.0.1, through node:http.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateApiToken } from '../../../agent/config/index.js';
import { secretLeaks } from '../../support/secretLeaks.js';
import { authApi, registeredRoutes, ROUTES, type RouteCase } from './authKit.js';
import { httpCall, type HttpAnswer } from './httpCall.js';

const TOKEN = generateApiToken();
const WRONG = generateApiToken();

let running: Awaited<ReturnType<typeof authApi>> | undefined;
afterEach(async () => {
  await running?.app.close();
  running = undefined;
});

async function started(opts: Parameters<typeof authApi>[0]) {
  running = await authApi(opts);
  return running;
}

const call = (url: string, r: RouteCase, authorization?: string): Promise<HttpAnswer> =>
  httpCall(url, { method: r.method, path: r.path, ...(r.body === undefined ? {} : { body: r.body }), headers: authorization === undefined ? {} : { authorization } });

const errorCode = (a: HttpAnswer): unknown => (a.body as { error?: { code?: unknown } } | undefined)?.error?.code;

const CLOSED = ROUTES.filter((r) => r.open !== true);

describe('POS API bearer token', () => {
  it('the table below covers every route the API registers', async () => {
    expect(await registeredRoutes()).toEqual(ROUTES.map((r) => `${r.method} ${r.route}`).sort());
  });

  describe.each(CLOSED)('$method $route', (r) => {
    it('no token: 401 token-required in the error-body shape, with WWW-Authenticate, and nothing is done', async () => {
      const api = await started({ token: TOKEN });
      const a = await call(api.url, r);
      expect(a.status).toBe(401);
      expect(a.headers['www-authenticate']).toBe('Bearer realm="pos-agent"');
      expect(a.body).toEqual({
        errors: [{ code: 'token-required', message: expect.stringContaining('Authorization: Bearer <token>') }],
        error: { code: 'token-required', message: expect.stringContaining('Authorization: Bearer <token>') },
      });
      expect(api.reached()).toEqual([]);
    });

    it('a wrong token, a token one byte short, one byte long, another scheme: 401, and nothing is done', async () => {
      const api = await started({ token: TOKEN });
      const answers = {
        wrong: await call(api.url, r, `Bearer ${WRONG}`),
        short: await call(api.url, r, `Bearer ${TOKEN.slice(0, -1)}`),
        long: await call(api.url, r, `Bearer ${TOKEN}x`),
        empty: await call(api.url, r, 'Bearer '),
        basic: await call(api.url, r, `Basic ${TOKEN}`),
        bare: await call(api.url, r, TOKEN),
      };
      expect(Object.fromEntries(Object.entries(answers).map(([k, a]) => [k, [a.status, errorCode(a)]]))).toEqual({
        wrong: [401, 'token-invalid'],
        short: [401, 'token-invalid'],
        long: [401, 'token-invalid'],
        empty: [401, 'token-required'],
        basic: [401, 'token-required'],
        bare: [401, 'token-required'],
      });
      expect(answers.wrong.headers['www-authenticate']).toBe('Bearer realm="pos-agent", error="invalid_token"');
      expect(api.reached()).toEqual([]);
    });

    it('the good token: the route answers as it would without authentication', async () => {
      const api = await started({ token: TOKEN });
      const a = await call(api.url, r, `Bearer ${TOKEN}`);
      expect(a.status).toBe(r.ok);
      expect(String(errorCode(a))).not.toMatch(/^token-/);
      // The scheme is case-insensitive (RFC 7235).
      expect((await call(api.url, r, `bearer ${TOKEN}`)).status).toBe(r.ok);
    });
  });

  it('refuses before the body is read: malformed JSON without the token is 401, not 400', async () => {
    const api = await started({ token: TOKEN });
    const a = await httpCall(api.url, { method: 'POST', path: '/v1/redemptions', body: '{"reference": ' });
    expect([a.status, errorCode(a)]).toEqual([401, 'token-required']);
    const good = await httpCall(api.url, { method: 'POST', path: '/v1/redemptions', body: '{"reference": ', headers: { authorization: `Bearer ${TOKEN}` } });
    expect([good.status, errorCode(good)]).toEqual([400, 'E32']);
  });

  it('an unknown path without the token is 401 too (routes cannot be probed); with it, 404', async () => {
    const api = await started({ token: TOKEN });
    expect(errorCode(await httpCall(api.url, { method: 'GET', path: '/v1/nothing' }))).toBe('token-required');
    expect(errorCode(await httpCall(api.url, { method: 'GET', path: '/v1/nothing', headers: { authorization: `Bearer ${TOKEN}` } }))).toBe('not-found');
  });

  it('/v1/health and /metrics are open by default, with no token or a wrong one', async () => {
    const api = await started({ token: TOKEN });
    for (const r of ROUTES.filter((x) => x.open === true)) {
      expect((await call(api.url, r)).status, r.route).toBe(r.ok);
      expect((await call(api.url, r, `Bearer ${WRONG}`)).status, r.route).toBe(r.ok);
    }
    expect((await httpCall(api.url, { method: 'GET', path: '/metrics' })).text).toContain('pos_agent_build_info');
  });

  it('api.openRoutes [] closes them too', async () => {
    const api = await started({ token: TOKEN, openRoutes: [] });
    for (const r of ROUTES.filter((x) => x.open === true)) {
      expect([(await call(api.url, r)).status, r.route]).toEqual([401, r.route]);
      expect([(await call(api.url, r, `Bearer ${TOKEN.slice(0, -1)}`)).status, r.route]).toEqual([401, r.route]);
      expect([(await call(api.url, r, `Bearer ${TOKEN}`)).status, r.route]).toEqual([r.ok, r.route]);
    }
  });

  it('api.openRoutes can leave /metrics open and close /v1/health', async () => {
    const api = await started({ token: TOKEN, openRoutes: ['/metrics'] });
    expect((await httpCall(api.url, { method: 'GET', path: '/metrics' })).status).toBe(200);
    expect((await httpCall(api.url, { method: 'GET', path: '/v1/health' })).status).toBe(401);
  });

  it('without a token every route is open (the config check warns about it)', async () => {
    const api = await started({});
    for (const r of ROUTES) expect([(await call(api.url, r)).status, r.route]).toEqual([r.ok, r.route]);
  });

  it('the token, and every token tried, appears in no log line (trace level) and no answer', async () => {
    const api = await started({ token: TOKEN });
    const answers: HttpAnswer[] = [];
    for (const r of ROUTES) {
      for (const auth of [undefined, `Bearer ${TOKEN}`, `Bearer ${WRONG}`, `Bearer ${TOKEN.slice(0, -1)}`]) answers.push(await call(api.url, r, auth));
    }
    await api.app.close(); // every response has finished, so every line is written
    const texts = answers.map((a) => `${JSON.stringify(a.headers)} ${a.text}`);
    const sources = [['log', api.logs.join('').split('\n')], ['answers', texts]] as const;
    expect(api.logs.join('')).toContain('"statusCode":401'); // the scan has lines to read
    expect(secretLeaks(TOKEN, sources)).toEqual([]);
    expect(secretLeaks(WRONG, sources)).toEqual([]);
    // The refusals are logged, by code, at warn.
    const refused = api.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'POS API request refused');
    expect(new Set(refused.map((l) => `${String(l.level)} ${String(l.code)}`))).toEqual(new Set(['40 token-required', '40 token-invalid']));
  });
});
