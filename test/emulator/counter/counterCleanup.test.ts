/**
 * startCounter leaves nothing behind: after stop, and when the start fails halfway (host, link and reader
 * already up), no port of this process is left listening, no socat is left running, the temporary folder is
 * gone and the process-exit safety net is removed.
 */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCounter, type CounterOptions } from '../../../emulator/index.js';
import { skipWithoutSocat } from '../../support/e2eStack.js';

/** TCP ports this process listens on (sockets among its fds in LISTEN state in /proc/net/tcp{,6}). */
function listeningPorts(): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // the fd closed while listing
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [local, state, inode] = [cols[1], cols[3], cols[9]];
      if (state === '0A' && inode !== undefined && inodes.has(inode) && local) ports.push(parseInt(local.split(':')[1] ?? '0', 16));
    }
  }
  return ports.sort((a, b) => a - b);
}

/** Pids of socat processes whose parent is this process. */
function socatChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'socat' && ppid === process.pid) pids.push(Number(entry));
    } catch {
      // the process ended while listing
    }
  }
  return pids;
}

const parent = mkdtempSync(join(tmpdir(), 'pos-counter-cleanup-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const readers = skipWithoutSocat ? (['mock'] as const) : (['mock', 'pty'] as const);

describe.each(readers)('startCounter cleanup, %s reader', (reader) => {
  const baseline = () => ({ ports: listeningPorts(), socat: socatChildren(), exitListeners: process.listenerCount('exit'), folders: readdirSync(parent) });

  it.each(['rest', 'iso8583'] as const)('stop (%s) closes every port, ends socat and removes the folder', async (transport) => {
    const before = baseline();
    const c = await startCounter({ reader, transport, tmpDir: parent });
    const running = baseline();
    expect(running.ports.length).toBeGreaterThanOrEqual(before.ports.length + 3); // host, link, agent API (and ISO)
    expect(running.folders).toEqual([c.dir.slice(parent.length + 1)]);
    expect(running.socat.length).toBe(reader === 'pty' ? 1 : 0);
    await c.stop();
    await c.stop(); // idempotent
    expect(baseline()).toEqual(before);
    await expect(fetch(`${c.agentUrl}/v1/health`)).rejects.toThrow();
    await expect(fetch(`${c.host.url}/_emulator/fixtures`)).rejects.toThrow();
  });

  it.each<[string, CounterOptions, RegExp]>([
    ['the agent config is refused (host, link and reader started)', { hostTimeoutMs: -1 }, /host\.timeoutMs/],
    ...(reader === 'pty' ? [['socat cannot start (host and link started)', { socatPath: join(parent, 'no-such-socat') }, /socat/] as [string, CounterOptions, RegExp]] : []),
  ])('a start that fails when %s leaves nothing behind', async (_when, opts, message) => {
    const before = baseline();
    await expect(startCounter({ reader, tmpDir: parent, ...opts })).rejects.toThrow(message);
    expect(baseline()).toEqual(before);
  });
});
