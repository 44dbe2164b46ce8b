/**
 * Queue benchmarks (file DB in a temp dir): durable enqueue vs a raw
 * better-sqlite3 insert of a same-size row with the same pragmas; draining
 * queued earnings against the host emulator; the RSS of a process holding
 * 100,000 pending items.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { RestHostClient } from '../../agent/host/restHostClient.js';
import { Forwarder, generateQueueKey, OperationQueue } from '../../agent/queue/index.js';
import { applyWriterPragmas } from '../../agent/queue/schema.js';
import { startHost } from '../../emulator/host/index.js';
import { parsePan, parseYymm } from '../../protocol/pan.js';
import { compared, opsPerSecond, type BenchOptions, type BenchResult } from './harness.js';

const CARDS = ['6280000000000016', '6280000000000024', '6280000000000057'].map((p) => ({ pan: parsePan(p), expiry: parseYymm('3012') }));
const here = dirname(fileURLToPath(import.meta.url));

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-queue-bench-'));
  try {
    return [enqueueRate(dir, opts), await drain(dir, opts), memory(dir, opts)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function enqueueRate(dir: string, opts: BenchOptions): BenchResult {
  const queue = OperationQueue.open({ path: join(dir, 'enqueue.db'), key: generateQueueKey() });
  let i = 0;
  const op = queue.enqueue({ kind: 'earn', card: CARDS[0]!, payload: { amount: 1234, timeStamp: '20300101120000' } });
  if (queue.get(op.id)?.state !== 'pending' || !queue.stats().invariantHolds) throw new Error('enqueue check failed');
  const rounds = { rounds: opts.short ? 3 : 7, minMs: opts.short ? 150 : 300 };
  const qRate = opsPerSecond(() => {
    queue.enqueue({ kind: 'earn', card: CARDS[i++ % 3]!, payload: { amount: 1234, timeStamp: '20300101120000' } });
  }, rounds);
  queue.close();

  // Baseline: one raw INSERT per commit of a row of the same size, same pragmas.
  const raw = new Database(join(dir, 'raw.db'));
  applyWriterPragmas(raw, 5000);
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, txn TEXT, kind TEXT, state TEXT, fp TEXT, masked TEXT, blob BLOB, payload TEXT, created INTEGER, due INTEGER)');
  raw.exec('CREATE INDEX t_state_due ON t (state, due)');
  const ins = raw.prepare('INSERT INTO t (txn, kind, state, fp, masked, blob, payload, created, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const blob = Buffer.alloc(50, 1);
  const fp = 'f'.repeat(64);
  const rawRate = opsPerSecond(() => {
    const now = Date.now();
    ins.run(`t${i++}`.padEnd(32, '0'), 'earn', 'pending', fp, '628000******0016', blob, '{"amount":1234,"timeStamp":"20300101120000"}', now, now);
  }, rounds);
  raw.close();
  return compared('queue durable enqueue (WAL, synchronous=FULL)', qRate, 'ops/s', 'raw better-sqlite3 insert, same pragmas', rawRate, '>= 0.7x raw insert');
}

async function drain(dir: string, opts: BenchOptions): Promise<BenchResult> {
  const n = opts.short ? 2000 : 10_000;
  const host = await startHost(); // in-memory ledger: measure the queue and forwarder, not the host's disk
  const queue = OperationQueue.open({ path: join(dir, 'drain.db'), key: generateQueueKey() });
  const client = new RestHostClient({ baseUrl: host.url, clientId: 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', clientSecret: 'secret', merchantId: 'IBP000000000162', terminalId: '20690111' });
  try {
    queue.enqueueMany(Array.from({ length: n }, (_, i) => ({ kind: 'earn' as const, card: CARDS[i % 3]!, payload: { amount: 100 + (i % 900), timeStamp: '20300101120000' } })));
    const fwd = new Forwarder({ queue, host: client, concurrency: 4, chainLength: 64 });
    const start = performance.now();
    const r = await fwd.flush();
    const ms = performance.now() - start;
    const s = queue.stats();
    if (r.sent !== n || s.done !== n || s.pending !== 0 || !s.invariantHolds) throw new Error(`drain incomplete: ${JSON.stringify({ r, s })}`);
    const earned = host.history.entries().filter((e) => e.kind === 'earn').length;
    if (earned !== n) throw new Error(`host applied ${earned} of ${n}`);
    // Baseline: the same client sending earnings straight to the same host, one loop per card (the queue's effective concurrency).
    const m = Math.min(n, 1500);
    const t0 = performance.now();
    await Promise.all(CARDS.map(async (card, k) => {
      for (let i = k; i < m; i += CARDS.length) await client.earn({ card, transactionId: `base-${i}`, amount: 100, timeStamp: '20300101120000' });
    }));
    const baseRate = (m * 1000) / (performance.now() - t0);
    return compared(
      `queue drain ${n} earnings vs host emulator${opts.short ? ' (short: 2000 items)' : ''} (${(ms / 1000).toFixed(1)} s)`,
      (n * 1000) / ms, 'items/s', 'bare RestHostClient.earn loops, same host', baseRate, '>= 1000/s',
    );
  } finally {
    await client.close();
    queue.close();
    await host.close();
  }
}

function memory(dir: string, opts: BenchOptions): BenchResult {
  const n = opts.short ? 30_000 : 100_000;
  const outText = execFileSync(process.execPath, [join(here, 'queueMemoryChild.js'), join(dir, 'mem.db'), String(n)], { encoding: 'utf8', timeout: 300_000 });
  const out = JSON.parse(outText) as { rss: number; pending: number; claimed: number };
  if (out.pending !== n || out.claimed === 0) throw new Error(`memory child: ${outText}`);
  return { name: `queue RSS holding ${n} pending items${opts.short ? ' (short)' : ''}`, value: out.rss / 2 ** 20, unit: 'MB', target: '<= 120 MB' };
}
