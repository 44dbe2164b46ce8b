/**
 * `pos-agent queue status|list|dead|retry|flush` as a user runs it: the built
 * CLI in a child process against a real queue file made here.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadQueueKey, OperationQueue, QueueInspector, writeQueueKeyFile } from '../../../agent/queue/index.js';
import { startHost, type RunningHost } from '../../../emulator/host/index.js';
import { earn, EMPTY, HAPPY, OFFER, tempDir } from './queueTestKit.js';

const CLI = resolve('dist/agent/cli.js');
const tmp = tempDir();
const keyFile = join(tmp.dir, 'queue.key');
let db: string;
let n = 0;
let host: RunningHost;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with npx tsc -p tsconfig.json`);
  writeQueueKeyFile(keyFile);
  host = await startHost();
});
afterAll(async () => {
  await host.close();
  tmp.cleanup();
});

/** A fresh queue file: HAPPY and OFFER pending, EMPTY dead (id 2) with a host refusal as reason. */
beforeEach(() => {
  db = join(tmp.dir, `q${++n}.db`);
  const q = OperationQueue.open({ path: db, key: loadQueueKey(keyFile) });
  try {
    q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(1000) });
    const dead = q.enqueue({ kind: 'earn', card: EMPTY, payload: earn(2000) });
    q.enqueue({ kind: 'earn', card: OFFER, payload: earn(3000) });
    const chains = q.claim({ maxCards: 8, chainLength: 8 });
    q.settle(chains.flat().map((o) => (o.id === dead.id ? { id: o.id, outcome: 'dead' as const, reason: 'HOST_ERR_REJECTED status 400: bad amount' } : { id: o.id, outcome: 'release' as const })));
  } finally {
    q.close();
  }
});

let holder: OperationQueue | undefined;
afterEach(() => {
  holder?.close();
  holder = undefined;
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, 'queue', ...args], { cwd: tmp.dir, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1;
      done({ code, stdout, stderr });
    });
  });
}

function configFile(): string {
  const path = join(tmp.dir, `agent${n}.yaml`);
  writeFileSync(
    path,
    [
      'terminal:', '  merchantId: "IBP000000000162"', '  terminalId: "20690111"',
      'reader:', '  path: /tmp/pos-reader-unused',
      'host:', `  baseUrl: ${host.url}`, '  clientId: IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', '  clientSecret: secret',
      'queue:', `  path: ${db}`, `  keyFile: ${keyFile}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return path;
}

describe('pos-agent queue (built CLI, real queue file)', () => {
  it('status prints the table with the accounting line', async () => {
    const r = await cli(['status', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`queue           ${db}\n`);
    expect(r.stdout).toContain('pending         2\n');
    expect(r.stdout).toContain('dead            1\n');
    expect(r.stdout).toContain('accepted        3 = 2 pending + 0 sending + 0 done + 1 dead + 0 abandoned + 0 pruned OK\n');
  });

  it('status finds the queue through --config as well', async () => {
    const r = await cli(['status', '--config', configFile()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`queue           ${db}\n`);
    expect(r.stdout).toContain('accepted        3 = 2 pending + 0 sending + 0 done + 1 dead + 0 abandoned + 0 pruned OK\n');
  });

  it('status --json is valid JSON with the counts and the invariant', async () => {
    const r = await cli(['status', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { pending: number; dead: number; counters: { accepted: number }; invariantHolds: boolean };
    expect(s).toMatchObject({ pending: 2, sending: 0, done: 0, dead: 1, invariantHolds: true });
    expect(s.counters.accepted).toBe(3);
  });

  it('list shows masked PANs only', async () => {
    const r = await cli(['list', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('628000******0016');
    expect(r.stdout).toContain('628000******0024');
    expect(r.stdout).toContain('628000******0057');
    for (const pan of ['6280000000000016', '6280000000000024', '6280000000000057']) expect(r.stdout).not.toContain(pan);
    expect(r.stdout.trim().split('\n')).toHaveLength(4); // header + 3 items
  });

  it('list --state pending --json is a JSON array of the pending items, masked', async () => {
    const r = await cli(['list', '--db', db, '--state', 'pending', '--json']);
    expect(r.code).toBe(0);
    const items = JSON.parse(r.stdout) as { id: number; state: string; maskedPan: string }[];
    expect(items.map((i) => [i.id, i.state, i.maskedPan])).toEqual([
      [1, 'pending', '628000******0016'],
      [3, 'pending', '628000******0057'],
    ]);
    expect(r.stdout).not.toContain('6280000000000016');
  });

  it('dead lists the dead item with its reason, masked', async () => {
    const r = await cli(['dead', '--db', db]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^2\s+dead\s+earn\s+628000\*{6}0024\s+[0-9a-f]{32}\s+0\s+\d+s\s+HOST_ERR_REJECTED status 400: bad amount$/);
    expect(r.stdout).not.toContain('6280000000000024');
  });

  it('retry moves a dead item back to pending', async () => {
    const r = await cli(['retry', '2', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('item 2 (earn, 628000******0024) moved back to pending\n');
    const insp = QueueInspector.open(db);
    try {
      expect(insp.get(2)?.state).toBe('pending');
      expect(insp.stats()).toMatchObject({ pending: 3, dead: 0 });
    } finally {
      insp.close();
    }
  });

  it('retry of an item that is not dead fails with the queue error code (exit 1)', async () => {
    const r = await cli(['retry', '1', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('queue record 1 is pending, only dead items can be retried [QUEUE_ERR_STATE]');
  });

  it.each([
    { name: 'no sub-command', args: [], message: 'missing queue command' },
    { name: 'unknown sub-command', args: ['frobnicate', '--db', 'x.db'], message: 'unknown queue command "frobnicate"' },
    { name: 'no queue given', args: ['status'], message: 'give --config FILE (or --db FILE)' },
    { name: 'bad --limit', args: ['list', '--db', 'x.db', '--limit', 'lots'], message: '--limit and --offset must be whole numbers' },
    { name: 'bad --state', args: ['list', '--db', 'x.db', '--state', 'lost'], message: '--state must be one of pending, sending, done, dead, abandoned' },
    { name: 'retry without an id', args: ['retry', '--db', 'x.db'], message: 'retry needs the item id (see "queue dead")' },
    { name: 'retry with a bad id', args: ['retry', '0', '--db', 'x.db'], message: 'retry needs the item id (see "queue dead")' },
    { name: 'unknown option', args: ['status', '--db', 'x.db', '--frob'], message: "Unknown option '--frob'" },
  ])('bad arguments ($name) exit 2 with a clear message', async ({ args, message }) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage: pos-agent queue');
  });

  it('a missing queue file is reported, not created (exit 1)', async () => {
    const missing = join(tmp.dir, 'nope.db');
    const r = await cli(['status', '--db', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[QUEUE_ERR_NOT_FOUND]');
    expect(existsSync(missing)).toBe(false);
  });

  it('flush refuses while another process holds the writer lock', async () => {
    const config = configFile();
    holder = OperationQueue.open({ path: db, key: loadQueueKey(keyFile) }); // this test process is the "agent"
    const r = await cli(['flush', '--config', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the agent (pid ${process.pid}) owns ${db}`);
    expect(r.stderr).toContain('POST /v1/queue/flush');
    expect(holder.stats()).toMatchObject({ pending: 2, sending: 0, done: 0 });
  });

  it('flush forwards the pending items to the host when no agent runs', async () => {
    const r = await cli(['flush', '--config', configFile()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('flushed: 2 sent, 0 failed (will retry), 0 dead\n');
    expect(r.stdout).toContain('accepted        3 = 0 pending + 0 sending + 2 done + 1 dead + 0 abandoned + 0 pruned OK\n');
  });
});
