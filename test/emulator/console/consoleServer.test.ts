/**
 * The console server's own API with a stand-in counter (the EmulatedCounter
 * seam): reader commands are checked before they reach the reader, the
 * host switch drives the counter, a foreign Host header is refused, the API
 * needs the token the served page carries and refuses another site's Origin,
 * and the live state is pushed as Server-Sent Events. The page in a browser
 * is test/e2e/console.test.ts.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleServer } from '../../../emulator/console/consoleServer.js';
import type { EmulatedCounter } from '../../../emulator/console/emulatedCounter.js';

function fakeCounter() {
  const commands: string[] = [];
  let online = true;
  const counter: EmulatedCounter = {
    agentUrl: 'http://127.0.0.1:9', // nothing listens: the views read as empty
    agentHeaders: {},
    hostUrl: () => 'http://127.0.0.1:9',
    hostOnline: () => online,
    reader: async (c) => {
      commands.push(c);
      return { msg: 'ok', cmd: c.split(' ')[0] };
    },
    readerState: async () => ({ plugged: true, status: 'idle' }),
    stopHost: async () => {
      online = false;
    },
    startHost: async () => {
      online = true;
    },
    agentLog: () => [],
    stop: async () => undefined,
  };
  return { counter, commands };
}

describe('the console server', () => {
  const fake = fakeCounter();
  let server: Awaited<ReturnType<typeof startConsoleServer>>;
  /** The token as the served page carries it. */
  let token = '';
  beforeAll(async () => {
    server = await startConsoleServer({ counter: fake.counter, port: 0, refreshMs: 50 });
    const html = await (await fetch(server.url)).text();
    token = /<meta name="pos-console-token" content="([A-Za-z0-9_-]+)"/.exec(html)?.[1] ?? '';
  });
  afterAll(() => server.app.close());

  const post = async (path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('needs the token of the page it serves on every /api route, and refuses another site\'s Origin', async () => {
    const swipe = { command: 'swipe-card happy' };
    expect(await post('/api/pos', { op: 'balance' }, {})).toMatchObject({ status: 401, body: { code: 'console-token-required', error: expect.stringContaining('Authorization: Bearer') } });
    expect(token).toHaveLength(43); // 32 random bytes, base64url
    expect((await post('/api/reader', swipe, { authorization: `Bearer ${token.slice(1)}x` })).body.code).toBe('console-token-invalid');
    for (const path of ['/api/host', '/api/faults', '/api/nothing-here']) expect((await post(path, {}, {})).status, path).toBe(401);
    expect((await fetch(`${server.url}/api/events`)).status).toBe(401);
    // However the path is spelled: the router decodes percent-escapes, the check may not be the one that does not.
    for (const path of ['/%61pi/pos', '/ap%69/pos', '/api/../api/pos', '/API/pos']) expect((await post(path, { op: 'balance' }, {})).status, path).toBe(401);
    expect((await fetch(`${server.url}/%61pi/events`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/events`, { method: 'HEAD' })).status).toBe(401);
    expect(await post('/api/reader', swipe, { authorization: `Bearer ${token}`, origin: 'http://evil.example' })).toMatchObject({ status: 403, body: { code: 'console-origin-refused' } });
    expect((await post('/api/reader', swipe, { authorization: `Bearer ${token}`, origin: server.url })).status).toBe(200);
    expect((await post('/api/reader', swipe, { authorization: `Bearer ${token}`, origin: server.url.replace('127.0.0.1', 'localhost') })).status).toBe(200);
    expect(fake.commands.splice(0)).toEqual(['swipe-card happy', 'swipe-card happy']); // only the call with the token and no foreign Origin
    // The page and the icon stay open, and the page is never cached (a new start, a new token).
    const page = await fetch(server.url);
    expect([page.status, page.headers.get('cache-control'), (await fetch(`${server.url}/favicon.ico`)).status]).toEqual([200, 'no-store', 204]);
  });

  it('passes the reader commands it knows, and refuses anything else', async () => {
    for (const c of ['swipe-card happy', 'swipe 6280000000000016 3012', 'noise 16', 'bad-lrc', 'truncate', 'unplug', 'replug']) {
      expect((await post('/api/reader', { command: c })).status).toBe(200);
    }
    for (const c of ['status; rm -rf /', 'swipe-card ../../x', 'noise 999999', 'swipe 62800000 12', '']) {
      expect((await post('/api/reader', { command: c })).status, c).toBe(400);
    }
    expect(fake.commands).toEqual(['swipe-card happy', 'swipe 6280000000000016 3012', 'noise 16', 'bad-lrc', 'truncate', 'unplug', 'replug']);
  });

  it('cuts and restores the host', async () => {
    expect((await post('/api/host', { online: false })).body).toEqual({ online: false });
    expect((await post('/api/faults', { endpoint: 'rewards/redeem', commitThenDrop: true })).status).toBe(409);
    expect((await post('/api/host', { online: true })).body).toEqual({ online: true });
  });

  it('refuses a fault on an endpoint the host does not have, before it reaches the host', async () => {
    expect(await post('/api/faults', { endpoint: 'rewards/eran', status: 503 })).toEqual({ status: 400, body: { error: 'bad fault' } });
  });

  it('refuses a POS call it does not know', async () => {
    expect((await post('/api/pos', { op: 'redeem', points: -1 })).status).toBe(400);
    expect((await post('/api/pos', { op: 'format-disk' })).status).toBe(400);
  });

  it('refuses a Host header other than its loopback names (DNS rebinding)', async () => {
    const port = new URL(server.url).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('pushes the live state as Server-Sent Events', async () => {
    const ac = new AbortController();
    const res = await fetch(`${server.url}/api/events`, { signal: ac.signal, headers: { authorization: `Bearer ${token}` } });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    for (let i = 0; i < 50 && !text.includes('\n\n'); i++) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    expect(text).toMatch(/^event: state\ndata: /);
    const state = JSON.parse(text.split('\n')[1]!.slice('data: '.length)) as { cards: { name: string }[]; host: { online: boolean }; reader: unknown; refusals: unknown };
    expect(state.cards.map((c) => c.name)).toContain('commit-then-drop');
    expect(state.host.online).toBe(true);
    expect(state.reader).toEqual({ plugged: true, status: 'idle' });
    expect(state.refusals).toEqual({ heardNo: [], yesThenRefused: { total: 0, byReason: [] } });
  });
});
