/**
 * `pos-agent queue flush` over ISO 8583, as a user runs it: the built CLI in a
 * child process, a real queue file, and the host emulator's ISO 8583 server.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQueueKey, OperationQueue, QueueInspector, writeQueueKeyFile } from '../../../agent/queue/index.js';
import { startHost, type RunningHost } from '../../../emulator/host/index.js';
import { earn, HAPPY, OFFER, tempDir } from '../queue/queueTestKit.js';

const CLI = resolve('dist/agent/cli.js');
const tmp = tempDir();
const keyFile = join(tmp.dir, 'queue.key');
const db = join(tmp.dir, 'queue.db');
let host: RunningHost;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with npx tsc -p tsconfig.json`);
  writeQueueKeyFile(keyFile);
  host = await startHost({ isoPort: 0 });
  const q = OperationQueue.open({ path: db, key: loadQueueKey(keyFile) });
  try {
    q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(1000) });
    q.enqueue({ kind: 'earn', card: OFFER, payload: earn(3000) });
  } finally {
    q.close();
  }
});
afterAll(async () => {
  await host.close();
  tmp.cleanup();
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, 'queue', ...args], { cwd: tmp.dir, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1;
      done({ code, stdout, stderr });
    });
  });
}

async function balanceOf(name: string): Promise<number | undefined> {
  const body = (await (await fetch(`${host.url}/_emulator/ledger`)).json()) as { cards: { name: string; accounts: { balance: number }[] }[] };
  return body.cards.find((c) => c.name === name)?.accounts[0]?.balance;
}

describe('pos-agent queue flush over ISO 8583 (built CLI)', () => {
  it('forwards the pending earnings through the ISO link (no REST URL in the config)', async () => {
    const config = join(tmp.dir, 'agent.yaml');
    writeFileSync(
      config,
      [
        'terminal:', '  merchantId: "IBP000000000162"', '  terminalId: "20690111"',
        'reader:', '  path: /tmp/pos-reader-unused',
        'host:', '  transport: iso8583', `  isoAddress: 127.0.0.1:${host.isoPort}`,
        'queue:', `  path: ${db}`, `  keyFile: ${keyFile}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    const before = await balanceOf('happy');
    const r = await cli(['flush', '--config', config]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('flushed: 2 sent, 0 failed (will retry), 0 dead\n');
    expect(r.stdout).toContain('accepted        2 = 0 pending + 0 sending + 2 done + 0 dead + 0 abandoned + 0 pruned OK\n');
    // The emulator earns 1 point per 10 minor units: 1000 → 100 points, credited once.
    expect(before).toBe(2450);
    expect(await balanceOf('happy')).toBe(2550);
    const insp = QueueInspector.open(db);
    try {
      expect(insp.stats()).toMatchObject({ pending: 0, done: 2 });
    } finally {
      insp.close();
    }
  });
});
