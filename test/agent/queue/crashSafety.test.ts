import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RestHostClient } from '../../../agent/host/restHostClient.js';
import { loadQueueKey, OperationQueue, writeQueueKeyFile, type QueueStats } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { startHost, type RunningHost } from '../../../emulator/host/index.js';
import { tempDir } from './queueTestKit.js';

const CHILD = join(process.cwd(), 'dist/test/agent/queue/crashChild.js');
const ITERATIONS = 30;
const tmp = tempDir();
let host: RunningHost;
let child: ChildProcess | undefined;

beforeAll(async () => {
  host = await startHost();
});
afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
  await host.close();
  tmp.cleanup();
});

/** Deterministic kill moments (xorshift, fixed seed). */
function moments(seed: number, n: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return 150 + ((s >>> 0) % 700);
  });
}

/** Runs the child until `afterStatsMs` after it reported its stats, then SIGKILLs it. */
function runOnce(db: string, key: string, seed: number, killAfterMs: number): Promise<{ accepted: string[]; stats: QueueStats }> {
  return new Promise((resolve, reject) => {
    const accepted: string[] = [];
    let stats: QueueStats | undefined;
    let buf = '';
    let err = '';
    const c = spawn(process.execPath, [CHILD, db, key, host.url, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    const guard = setTimeout(() => c.kill('SIGKILL'), 15_000);
    c.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('accepted ')) accepted.push(line.slice(9));
        else if (line.startsWith('stats ')) {
          stats = JSON.parse(line.slice(6)) as QueueStats;
          setTimeout(() => c.kill('SIGKILL'), killAfterMs);
        }
      }
    });
    c.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    c.on('exit', (_code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL' || stats === undefined) reject(new Error(`child ended unexpectedly (${signal}): ${err}`));
      else resolve({ accepted, stats });
    });
  });
}

it(`every earning acknowledged before a SIGKILL is applied exactly once (${ITERATIONS} seeded kills)`, async () => {
  expect(existsSync(CHILD), 'run tsc first (npm test does)').toBe(true);
  const db = join(tmp.dir, 'q.db');
  const keyFile = join(tmp.dir, 'queue.key');
  writeQueueKeyFile(keyFile);
  const accepted: string[] = [];
  const kills = moments(0x5eed, ITERATIONS);
  let prevAccepted = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const r = await runOnce(db, keyFile, i + 1, kills[i]!);
    // After each restart (recovery done): nothing lost, nothing counted twice.
    expect(r.stats.invariantHolds).toBe(true);
    expect(r.stats.sending).toBe(0);
    expect(r.stats.counters.accepted).toBeGreaterThanOrEqual(prevAccepted);
    accepted.push(...r.accepted);
    prevAccepted = accepted.length;
  }
  expect(accepted.length).toBeGreaterThan(ITERATIONS);

  // Drain what is left against the host emulator.
  const queue = OperationQueue.open({ path: db, key: loadQueueKey(keyFile) });
  const client = new RestHostClient({ baseUrl: host.url, clientId: 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', clientSecret: 'secret', merchantId: 'IBP000000000162', terminalId: '20690111' });
  try {
    const fwd = new Forwarder({ queue, host: client, backoff: { baseMs: 1, maxMs: 1 } });
    for (let round = 0; round < 20 && queue.stats().pending > 0; round++) await fwd.flush();
    const st = queue.stats();
    expect(st).toMatchObject({ pending: 0, sending: 0, dead: 0, invariantHolds: true });
    expect(st.done).toBe(st.counters.accepted);

    const applied = new Map<string, number>();
    for (const e of host.history.entries()) if (e.kind === 'earn') applied.set(e.transactionId, (applied.get(e.transactionId) ?? 0) + 1);
    for (const id of accepted) expect(applied.get(id), `transaction ${id}`).toBe(1);
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    expect(applied.size).toBe(st.counters.accepted); // everything the queue ever took, and nothing else
  } finally {
    await client.close();
    queue.close();
  }
}, 120_000);
