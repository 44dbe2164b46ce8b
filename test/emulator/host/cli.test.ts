import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const CLI = resolve('dist/emulator/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'host-cli-'));
let child: ChildProcess | undefined;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p tsconfig.json)`);
});
afterEach(() => {
  if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  child = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Spawns the CLI and resolves with its first stdout line. */
function firstLine(args: string[]): Promise<string> {
  child = spawn(process.execPath, [CLI, 'host', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = child;
  return new Promise((resolveLine, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.once('line', (line) => resolveLine(line));
    proc.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
}

const exitOf = (proc: ChildProcess): Promise<number | null> => new Promise((r) => proc.once('exit', (code) => r(code)));

describe('pos-emulator host (CLI)', () => {
  it('prints the listening line first, serves, and exits 0 on SIGTERM', async () => {
    const line = await firstLine(['--port', '0']);
    expect(line).toMatch(/^\{"msg":"listening","url":"http:\/\/127\.0\.0\.1:[0-9]+","isoPort":null\}$/);
    const { url } = JSON.parse(line) as { url: string };
    const res = await request(`${url}/_emulator/faults`);
    expect(res.statusCode).toBe(200);
    await res.body.text();
    const proc = child!;
    const exited = exitOf(proc);
    process.kill(proc.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
  });

  it('--iso-port 0 reports the ISO port in the listening line', async () => {
    const line = await firstLine(['--port', '0', '--iso-port', '0']);
    expect(line).toMatch(/^\{"msg":"listening","url":"http:\/\/127\.0\.0\.1:[0-9]+","isoPort":[0-9]+\}$/);
  });

  it('--clients FILE adds OAuth clients', async () => {
    const file = join(dir, 'clients.json');
    writeFileSync(file, JSON.stringify([{ clientId: 'IKIAEXTRA', clientSecret: 'extra-secret' }]));
    const { url } = JSON.parse(await firstLine(['--port', '0', '--clients', file])) as { url: string };
    const token = (id: string, secret: string) =>
      request(`${url}/passport/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
    const ok = await token('IKIAEXTRA', 'extra-secret');
    expect(ok.statusCode).toBe(200);
    await ok.body.text();
    const seed = await token('IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', 'secret');
    expect(seed.statusCode).toBe(200);
    await seed.body.text();
    const bad = await token('IKIAEXTRA', 'wrong');
    expect(bad.statusCode).toBe(401);
    await bad.body.text();
  });

  it('--tls serves HTTPS and writes the certificate to --tls-ca-out', async () => {
    const caOut = join(dir, 'ca.pem');
    const line = await firstLine(['--port', '0', '--tls', '--tls-ca-out', caOut]);
    const { url } = JSON.parse(line) as { url: string };
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:[0-9]+$/);
    const ca = readFileSync(caOut, 'utf8');
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const dispatcher = new Agent({ connect: { ca } });
    const res = await request(`${url}/_emulator/faults`, { dispatcher });
    expect(res.statusCode).toBe(200);
    await res.body.text();
    await dispatcher.close();
  });

  it.each([
    [['--port', 'abc'], '--port'],
    [['--tls-ca-out', 'x.pem'], '--tls'],
    [['--webhook-url', 'https://x'], '--webhook-secret'],
    [['--bogus'], 'bogus'],
  ])('refuses %j with exit 2 naming the flag', async (args, word) => {
    child = spawn(process.execPath, [CLI, 'host', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await exitOf(child);
    expect(code).not.toBe(0);
    expect(err).toContain(word);
  });

  it('--fixtures with a bad file exits non-zero naming the bad key', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ earnRate: 0.1, slowDelayS: 1, merchantAliases: {}, offers: [], cards: [{ name: 'x', pan: '1234', expiry: '3012', holder: 'A', enrolled: true, accounts: [], behaviour: 'normal', linkedOffers: [] }] }));
    child = spawn(process.execPath, [CLI, 'host', '--fixtures', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    expect(await exitOf(child)).not.toBe(0);
    expect(err).toContain('cards[0].pan');
  });

  it('--iso-idle-s closes an idle ISO connection; a bad value exits non-zero naming the flag', async () => {
    const line = JSON.parse(await firstLine(['--iso-port', '0', '--iso-idle-s', '1'])) as { isoPort: number };
    const { createConnection } = await import('node:net');
    const socket = createConnection({ host: '127.0.0.1', port: line.isoPort });
    const closed = await new Promise<number>((r) => {
      const t0 = Date.now();
      socket.on('close', () => r(Date.now() - t0));
      socket.on('error', () => undefined);
    });
    expect(closed).toBeGreaterThanOrEqual(900);
    process.kill(child!.pid!, 'SIGTERM');
    child = spawn(process.execPath, [CLI, 'host', '--iso-port', '0', '--iso-idle-s', 'soon'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    expect(await exitOf(child)).not.toBe(0);
    expect(err).toContain('--iso-idle-s must be a whole number');
  });
});
