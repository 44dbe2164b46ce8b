/**
 * The console server's own API with a stand-in counter (the EmulatedCounter
 * seam): reader commands are checked before they reach the reader, the
 * host switch drives the counter, a foreign Host header is refused, and the
 * live state is pushed as Server-Sent Events. The page in a browser is
 * test/e2e/console.test.ts.
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
  beforeAll(async () => {
    server = await startConsoleServer({ counter: fake.counter, port: 0, refreshMs: 50 });
  });
  afterAll(() => server.app.close());

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

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
    const res = await fetch(`${server.url}/api/events`, { signal: ac.signal });
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
