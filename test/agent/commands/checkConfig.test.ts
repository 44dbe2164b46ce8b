import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { checkConfig, formatCheckLines, readerPermissionFix } from '../../../agent/commands/checkConfig.js';
import { probeReader } from '../../../agent/cardSources/serial/index.js';
import type { SerialBinding } from '../../../agent/cardSources/serial/serialTypes.js';
import { writeApiTokenFile } from '../../../agent/config/index.js';
import { writeQueueKeyFile } from '../../../agent/queue/queueKey.js';
import { startHost, type RunningHost } from '../../../emulator/host/index.js';
import { startTestHost, type TestHost } from '../host/restTestServer.js';

const dir = mkdtempSync(join(tmpdir(), 'cfg-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyFile = join(dir, 'queue.key');
writeQueueKeyFile(keyFile);
const tokenFile = join(dir, 'api-token');
writeApiTokenFile(tokenFile);

let host: RunningHost | undefined;
let stand: TestHost | undefined;
let mute: { server: Server; sockets: Set<Socket> } | undefined;
afterEach(async () => {
  await host?.close();
  await stand?.close();
  if (mute) {
    for (const s of mute.sockets) s.destroy();
    const server = mute.server;
    await new Promise<void>((r) => server.close(() => r()));
  }
  host = undefined;
  stand = undefined;
  mute = undefined;
});

/**
 * A config file for the test's terminal with this `host:` section (and this `api:` section: by default the
 * POS API token on); 0600, as one holding a secret should be.
 */
function writeConfig(name: string, hostLines: string[], apiLines = ['tokenFile: ./api-token']): string {
  const path = join(dir, name);
  const text = [
    'terminal:',
    '  merchantId: "IBP000000000162"',
    '  terminalId: "20690111"',
    'reader:',
    '  path: /tmp/pos-reader-check',
    'host:',
    ...hostLines.map((l) => `  ${l}`),
    'queue:',
    '  path: ./q.db',
    '  keyFile: ./queue.key',
    ...(apiLines.length === 0 ? [] : ['api:', ...apiLines.map((l) => `  ${l}`)]),
    '',
  ].join('\n');
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

function configFor(baseUrl: string, name: string, apiLines?: string[]): string {
  return writeConfig(name, [`baseUrl: ${baseUrl}`, 'clientId: IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', 'clientSecret: secret', 'timeoutMs: 2000'], apiLines);
}

function isoConfigFor(isoAddress: string, name: string): string {
  return writeConfig(name, ['transport: iso8583', `isoAddress: ${isoAddress}`, 'timeoutMs: 1000', 'connectTimeoutMs: 1000']);
}

const readerOk = async (): Promise<string> => 'framed reader answered the keep-alive';

describe('checkConfig', () => {
  it('all checks pass against the host emulator', async () => {
    host = await startHost();
    const lines = await checkConfig(configFor(host.url, 'ok.yaml'), { probeReader: readerOk });
    expect(lines.map((l) => [l.status, l.label])).toEqual([
      ['ok', 'config'],
      ['ok', 'queue.keyFile'],
      ['ok', 'api.tokenFile'],
      ['ok', 'reader'],
      ['ok', 'host'],
      ['ok', 'clock'],
    ]);
    expect(lines[2]?.detail).toBe(`the POS API requires the bearer token in ${tokenFile} on every route but /v1/health and /metrics`);
  });

  it('warns when the POS API has no token, naming the keygen command', async () => {
    host = await startHost();
    const lines = await checkConfig(configFor(host.url, 'no-token.yaml', []), { probeReader: readerOk });
    expect(lines.filter((l) => l.status !== 'ok').map((l) => [l.status, l.label])).toEqual([['warn', 'api.tokenFile (line 1)']]);
    expect(lines.find((l) => l.status === 'warn')?.detail).toContain('the POS API has no token (api.tokenFile is not set)');
    expect(lines.find((l) => l.status === 'warn')?.detail).toContain('pos-agent keygen --api-token --out');
    expect(formatCheckLines(lines)).toContain('! api.tokenFile (line 1): the POS API has no token');
  });

  it('warns when the token file is readable by group or others, and never prints the token', async () => {
    host = await startHost();
    const shared = join(dir, 'shared-token');
    writeApiTokenFile(shared);
    chmodSync(shared, 0o644);
    const lines = await checkConfig(configFor(host.url, 'shared-token.yaml', ['openRoutes: []', `tokenFile: ${shared}`]), { probeReader: readerOk });
    const warn = lines.filter((l) => l.status === 'warn');
    expect(warn.map((l) => l.label)).toEqual(['api.tokenFile (line 16)']);
    expect(warn[0]?.detail).toBe(`the POS API token file ${shared} is readable by group or others (mode 0644); run: chmod 600 ${shared}`);
    expect(lines.find((l) => l.label === 'api.tokenFile')?.detail).toContain('on every route');
    expect(formatCheckLines(lines)).not.toContain(readFileSync(shared, 'utf8').trim());
  });

  it('a bad api.tokenFile fails the config check, naming the key and the fix', async () => {
    writeFileSync(join(dir, 'short-token'), 'too-short\n', { mode: 0o600 });
    const lines = await checkConfig(configFor('http://127.0.0.1:9', 'short-token.yaml', ['tokenFile: ./short-token']), { probeReader: readerOk });
    expect(lines).toEqual([
      {
        status: 'fail',
        label: 'api.tokenFile (line 15, column 14)',
        detail: `"api.tokenFile" holds a token of 9 characters; at least 32 are needed (got ${JSON.stringify(join(dir, 'short-token'))})`,
        fix: `expected a file written by: pos-agent keygen --api-token --out ${join(dir, 'short-token')}`,
      },
    ]);
    expect(formatCheckLines(lines)).not.toContain('too-short');
  });

  it('reports every config problem with key, line and what is expected, and probes nothing', async () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'terminal:\n  merchantId: "m"\n  terminalID: "t"\nhost:\n  baseUrl: http://127.0.0.1:1\n  clientId: c\n  clientSecret: s\n  timeoutMs: -1\nqueue:\n  path: ./q.db\n  keyFile: ./queue.key\n');
    let probed = false;
    const lines = await checkConfig(path, { probeReader: async () => ((probed = true), 'x') });
    expect(probed).toBe(false);
    expect(lines.every((l) => l.status === 'fail')).toBe(true);
    const text = formatCheckLines(lines);
    expect(text).toContain('✗ terminal.terminalID (line 3, column 3): unknown key "terminal.terminalID": did you mean "terminal.terminalId"?');
    expect(text).toContain('✗ host.timeoutMs (line 8, column 14)');
    expect(text).toContain('"reader.path" is required');
    expect(text).toMatch(/fix: expected a whole number from 1 to 600000/);
  });

  it('host down and reader failing: ✗ with a fix for each', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const lines = await checkConfig(configFor(`http://127.0.0.1:${port}`, 'down.yaml'), {
      probeReader: async () => {
        throw new Error('no answer to keep-alive');
      },
    });
    const reader = lines.find((l) => l.label === 'reader');
    const hostLine = lines.find((l) => l.label === 'host');
    expect(reader).toMatchObject({ status: 'fail', detail: expect.stringContaining('no answer to keep-alive') });
    expect(hostLine).toMatchObject({ status: 'fail', fix: expect.stringContaining('is the host running') });
    expect(hostLine?.detail).toContain('ECONNREFUSED');
  });

  it('a reader this user may not open: the device, its owner and mode, the user, and how to let the user in', async () => {
    host = await startHost();
    // The real probe on reader.path, with the serial binding's answer to an open(2) refused.
    const device = join(dir, 'ttyUSB7');
    writeFileSync(device, '', { mode: 0o600 });
    const denied: SerialBinding = {
      list: () => Promise.resolve([]),
      open: (o) => Promise.reject(new Error(`Permission denied, cannot open ${o.path}`)),
    };
    const file = configFor(host.url, 'denied.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('path: /tmp/pos-reader-check', `path: ${device}`));
    const lines = await checkConfig(file, {
      probeReader: async (cfg) => {
        await probeReader({ path: cfg.path, binding: denied });
        return 'opened';
      },
    });
    const reader = lines.find((l) => l.label === 'reader');
    const me = userInfo().username;
    const real = realpathSync(device);
    expect(reader?.status).toBe('fail');
    expect(reader?.detail).toContain(`cannot open reader port ${device}: permission denied for user ${me} (${real}: owner ${me}, group `);
    expect(reader?.detail).not.toContain('Error:');
    // Not the cable and the baud rate: who may open the device and how to change it.
    expect(reader?.fix).not.toContain('check the cable');
    expect(reader?.fix).toContain(`${me} may not read and write ${real} (owner ${me}, group `);
    expect(reader?.fix).toContain('MODE="0660"');
  });

  it('the permission fix: the device group for a serial port, the emulator run as the user or chgrp for a PTY', () => {
    const serial = readerPermissionFix('/dev/ttyUSB0', { path: '/dev/ttyUSB0', device: '/dev/ttyUSB0', owner: 'root', group: 'dialout', mode: '0660', user: 'pos-agent', pty: false });
    expect(serial).toBe(
      'pos-agent may not read and write /dev/ttyUSB0 (owner root, group dialout, mode 0660): add pos-agent to the group dialout ' +
      "(usermod -aG dialout pos-agent; the service gets dialout from the unit's SupplementaryGroups=dialout), or give the device to dialout " +
      'with mode 0660 by a udev rule (/etc/udev/rules.d/99-pos-reader.rules: SUBSYSTEM=="tty", KERNEL=="ttyUSB[0-9]*", GROUP="dialout", MODE="0660"; then udevadm trigger)',
    );
    const pty = readerPermissionFix('/tmp/pos-reader', { path: '/tmp/pos-reader', device: '/dev/pts/3', owner: 'root', group: 'root', mode: '0600', user: 'pos-agent', pty: true });
    expect(pty).toContain('pos-agent may not read and write /dev/pts/3 (owner root, group root, mode 0600)');
    expect(pty).toContain('runuser -u pos-agent -- pos-emulator reader --link /tmp/pos-reader ');
    expect(pty).toMatch(/: chgrp dialout \/dev\/pts\/3 && chmod g\+rw \/dev\/pts\/3 && usermod -aG dialout pos-agent$/);
  });

  it('a clock 45 minutes off the host fails with E24 in the explanation', async () => {
    stand = await startTestHost((app) => {
      app.addHook('onSend', async (_req, reply) => {
        reply.header('date', new Date(Date.now() - 45 * 60_000).toUTCString());
      });
    });
    const lines = await checkConfig(configFor(stand.url, 'skew.yaml'), { probeReader: readerOk });
    const clock = lines.find((l) => l.label === 'clock');
    expect(clock).toMatchObject({ status: 'fail', detail: expect.stringMatching(/ahead of the host: every request would fail with E24/) });
  });

  it('ISO 8583: the host emulator answers the 0800 echo with its 0810', async () => {
    host = await startHost({ isoPort: 0 });
    const lines = await checkConfig(isoConfigFor(`127.0.0.1:${host.isoPort}`, 'iso-ok.yaml'), { probeReader: readerOk });
    expect(lines.map((l) => [l.status, l.label])).toEqual([
      ['ok', 'config'],
      ['ok', 'queue.keyFile'],
      ['ok', 'api.tokenFile'],
      ['ok', 'reader'],
      ['ok', 'host'],
    ]);
    expect(lines[4]?.detail).toContain('answered the echo (0800 → 0810');
  });

  it('ISO 8583: a port that accepts the connection but never answers the echo fails', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    mute = { server, sockets };
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const lines = await checkConfig(isoConfigFor(`127.0.0.1:${port}`, 'iso-mute.yaml'), { probeReader: readerOk });
    const hostLine = lines.find((l) => l.label === 'host');
    expect(hostLine).toMatchObject({ status: 'fail', detail: 'ping: request sent, no answer in 1000 ms; the outcome is unknown', fix: expect.stringContaining('raise host.timeoutMs') });
  });

  it('ISO 8583: nothing listening is a connect failure naming host.isoAddress', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const lines = await checkConfig(isoConfigFor(`127.0.0.1:${port}`, 'iso-down.yaml'), { probeReader: readerOk });
    const hostLine = lines.find((l) => l.label === 'host');
    expect(hostLine).toMatchObject({ status: 'fail', fix: expect.stringContaining(`reachable at 127.0.0.1:${port}? check host.isoAddress`) });
    expect(hostLine?.detail).toContain('ECONNREFUSED');
  });
});
