/**
 * DNS-rebinding defence (issue 18; DESIGN.md, "Agent local POS API"): a
 * request whose Host header is not the listen address as bound, `localhost`
 * or `localhost:<port>` is refused with 421 `host-not-allowed`, token or not,
 * on every route, the open ones included. Real HTTP on 127.0.0.1.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateApiToken } from '../../../agent/config/index.js';
import { allowedHostHeaders } from '../../../agent/api/hostCheck.js';
import { authApi, ROUTES } from './authKit.js';
import { httpCall, type HttpAnswer } from './httpCall.js';

const TOKEN = generateApiToken();

let running: Awaited<ReturnType<typeof authApi>> | undefined;
afterEach(async () => {
  await running?.app.close();
  running = undefined;
});

const errorCode = (a: HttpAnswer): unknown => (a.body as { error?: { code?: unknown } } | undefined)?.error?.code;

/** Sends `head` (request line and headers, CRLF-separated, no body) as written on a raw loopback socket; resolves with the status code. */
function rawStatus(port: number, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\nconnection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('POS API Host check', () => {
  it('allows the listen address, localhost:<port> and localhost, and nothing else', () => {
    expect([...allowedHostHeaders('127.0.0.1', 7401)]).toEqual(['127.0.0.1:7401', 'localhost:7401', 'localhost']);
    expect([...allowedHostHeaders('::1', 7401)]).toEqual(['[::1]:7401', 'localhost:7401', 'localhost']);
  });

  describe.each([
    ['with a token', { token: TOKEN }],
    ['without a token', {}],
  ])('%s', (_name, opts) => {
    it.each(ROUTES.map((r) => [`${r.method} ${r.route}`, r] as const))('refuses a foreign Host on %s, even with the good token', async (_n, r) => {
      running = await authApi(opts);
      const port = running.port;
      for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `127.0.0.1:${port + 1}`, `localhost:${port + 1}`, `10.0.0.7:${port}`, `[::1]:${port}`]) {
        const a = await httpCall(running.url, { method: r.method, path: r.path, ...(r.body === undefined ? {} : { body: r.body }), headers: { host, authorization: `Bearer ${TOKEN}` } });
        expect([host, a.status, errorCode(a)]).toEqual([host, 421, 'host-not-allowed']);
        expect(a.text).not.toContain('evil.example');
      }
      expect(running.reached()).toEqual([]);
    });
  });

  it('says which names it answers to, without echoing the one sent', async () => {
    running = await authApi({ token: TOKEN });
    const a = await httpCall(running.url, { method: 'GET', path: '/v1/health', headers: { host: 'rebound.example' } });
    expect(a.body).toEqual({
      errors: [{ code: 'host-not-allowed', message: `the Host header must name this agent (127.0.0.1:${running.port} or localhost:${running.port}); a request for any other name is refused` }],
      error: { code: 'host-not-allowed', message: `the Host header must name this agent (127.0.0.1:${running.port} or localhost:${running.port}); a request for any other name is refused` },
    });
  });

  it('a request with no Host header at all never reaches a route (Node refuses HTTP/1.1 without Host: 400)', async () => {
    running = await authApi({});
    const a = await httpCall(running.url, { method: 'POST', path: '/v1/queue/flush', noHost: true });
    expect(a.status).toBe(400);
    expect(running.reached()).toEqual([]);
  });

  it('accepts 127.0.0.1:<port> (the listen address as bound), localhost:<port>, localhost, in any case', async () => {
    running = await authApi({ token: TOKEN });
    const port = running.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `LocalHost:${port}`]) {
      for (const path of ['/v1/health', '/v1/queue']) {
        const a = await httpCall(running.url, { method: 'GET', path, headers: { host, authorization: `Bearer ${TOKEN}` } });
        expect([host, path, a.status]).toEqual([host, path, 200]);
      }
    }
  });

  it('refuses a request with two Host headers with 400, whichever comes first', async () => {
    running = await authApi({});
    const port = running.port;
    expect(await rawStatus(port, `GET /v1/health HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nhost: evil.example`)).toBe(400);
    expect(await rawStatus(port, `GET /v1/health HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nhost: 127.0.0.1:${port}`)).toBe(400);
    expect(running.reached()).toEqual([]);
    expect(await rawStatus(port, `GET /v1/health HTTP/1.1\r\nhost: 127.0.0.1:${port}`)).toBe(200);
  });

  it('checks an absolute-form request target like the Host header', async () => {
    running = await authApi({ token: TOKEN });
    const port = running.port;
    const auth = `\r\nauthorization: Bearer ${TOKEN}`;
    expect(await rawStatus(port, `GET http://evil.example/v1/queue HTTP/1.1\r\nhost: 127.0.0.1:${port}${auth}`)).toBe(421);
    expect(await rawStatus(port, `GET http://127.0.0.1:${port + 1}/v1/queue HTTP/1.1\r\nhost: 127.0.0.1:${port}${auth}`)).toBe(421);
    expect(await rawStatus(port, `GET http://127.0.0.1:${port}/v1/health HTTP/1.1\r\nhost: 127.0.0.1:${port}`)).toBe(200);
  });

  it('listening on localhost, answers the loopback address an app was told to use', async () => {
    running = await authApi({ token: TOKEN, listenHost: 'localhost' });
    const port = running.port;
    expect([...allowedHostHeaders('localhost', 7401)]).toEqual(['localhost:7401', 'localhost', '127.0.0.1:7401', '[::1]:7401']);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const a = await httpCall(running.url, { method: 'GET', path: '/v1/health', headers: { host } });
      expect([host, a.status]).toEqual([host, 200]);
    }
    const foreign = await httpCall(running.url, { method: 'GET', path: '/v1/health', headers: { host: 'evil.example' } });
    expect(foreign.status).toBe(421);
  });

  it('checks the Host before the token: a foreign Host without a token is 421, not 401', async () => {
    running = await authApi({ token: TOKEN });
    const a = await httpCall(running.url, { method: 'POST', path: '/v1/redemptions', body: '{}', headers: { host: 'rebound.example' } });
    expect([a.status, errorCode(a)]).toEqual([421, 'host-not-allowed']);
  });

  it('logs a refusal at warn with its code, and not the Host sent', async () => {
    running = await authApi({});
    await httpCall(running.url, { method: 'GET', path: '/v1/health', headers: { host: 'rebound.example' } });
    await running.app.close();
    const lines = running.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.msg === 'POS API request refused').map((l) => [l.level, l.code])).toEqual([[40, 'host-not-allowed']]);
    expect(running.logs.join('')).not.toContain('rebound.example');
  });
});
