/**
 * Queue benchmarks (file DBs in a temp dir):
 * - durable enqueue vs a raw better-sqlite3 insert of a same-size row with the
 *   same pragmas, in interleaved rounds (A/B, B/A, ...), median of the rounds;
 *   and, for reference, vs the same insert into a table with the queue's indexes;
 * - draining queued earnings against the host emulator in a child process over
 *   the real RestHostClient, vs bare client loops of the same concurrency to the
 *   same host, measured before and after the drain;
 * - the RSS of a fresh process holding N pending items after stats() and a
 *   claim cycle (and, for the record, of the process that filled the queue).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CONFIG_DEFAULTS } from '../../agent/config/agentConfig.js';
import type { CardRef } from '../../protocol/cardRef.js';
import { RestHostClient } from '../../agent/host/restHostClient.js';
import { generateQueueKey, OperationQueue, writeQueueKeyFile } from '../../agent/queue/index.js';
import { Forwarder } from '../../agent/forwarder/index.js';
import { applyWriterPragmas } from '../../agent/queue/schema.js';
import { absolute, compared, median, type BenchOptions, type BenchResult } from './harness.js';
import { bareQueueInsert } from './bareQueueInsert.js';
import { benchCards, startBenchHost } from './queueBenchHost.js';
import { queueSizedTable } from './queueSizedRow.js';

const here = dirname(fileURLToPath(import.meta.url));
const EARN = { amount: 1234, timeStamp: '20300101120000' };

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-queue-bench-'));
  try {
    return [...enqueueRate(dir, opts), await drain(dir, opts), ...memory(dir, opts)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The durable enqueue against its baselines (exported so it can run alone: it is the quick part). */
export function enqueueRate(dir: string, opts: BenchOptions): BenchResult[] {
  const cards = benchCards(3);
  const key = generateQueueKey();
  const queue = OperationQueue.open({ path: join(dir, 'enqueue.db'), key });
  const first = queue.enqueue({ kind: 'earn', card: cards[0]!, payload: EARN });
  const stored = queue.get(first.id);
  if (stored?.state !== 'pending' || stored.transactionId !== first.transactionId || stored.maskedPan !== `628000******${cards[0]!.pan.slice(-4)}` || !queue.stats().invariantHolds) {
    throw new Error('enqueue check failed');
  }
  let i = 0;
  const enqueueOne = (): void => {
    queue.enqueue({ kind: 'earn', card: cards[i++ % cards.length]!, payload: EARN });
  };

  // Baseline: one raw INSERT per commit of a row of the same size, same pragmas (applyWriterPragmas).
  const raw = queueSizedTable(join(dir, 'raw.db'), { kind: 'earn', state: 'pending', payload: EARN });
  const rawOne = raw.insert;
  const blob = Buffer.alloc(50, 1); // version + nonce + tag + "PAN|YYMM" sealed, as in queueSizedTable

  // For reference: the same raw insert into a table with what every enqueue also writes, the queue's own
  // indexes (transactionId unique, random 32-hex ids; due order; the card's open items) in the queue's file
  // format (auto_vacuum=INCREMENTAL). The floor a SQLite queue with these guarantees can reach.
  const indexed = new Database(join(dir, 'raw-indexed.db'));
  indexed.pragma('auto_vacuum = INCREMENTAL');
  applyWriterPragmas(indexed, 5000);
  indexed.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, txn TEXT NOT NULL UNIQUE, kind TEXT, state TEXT, fp TEXT, masked TEXT, blob BLOB, payload TEXT, seq INTEGER, created INTEGER, due INTEGER)');
  indexed.exec('CREATE INDEX t_state_due ON t (state, due)');
  indexed.exec(`CREATE INDEX t_card_open ON t (fp, seq) WHERE state IN ('pending', 'sending')`);
  const insIndexed = indexed.prepare('INSERT INTO t (txn, kind, state, fp, masked, blob, payload, seq, created, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const cardFps = cards.map((_c, k) => String(k).repeat(64));
  const indexedOne = (): void => {
    const now = Date.now();
    insIndexed.run(randomBytes(16).toString('hex'), 'earn', 'pending', cardFps[i % cardFps.length], '628000******0016', blob, JSON.stringify(EARN), i++, now, now);
  };

  // The floor (bareQueueInsert): the queue's own file format and card protection, as bare statements.
  const bare = bareQueueInsert(join(dir, 'bare-queue.db'), key, cards, EARN);
  const bareOne = bare.insert;
  // The same floor with the card's sealing and fingerprint made once up front: what that protection costs.
  const clear = bareQueueInsert(join(dir, 'bare-queue-clear.db'), key, cards, EARN, { protectCard: false });
  const clearOne = clear.insert;

  // fsync latency drifts over seconds: interleave rounds (A/B, B/A, ...) so both see the same disk, take medians.
  const rounds = opts.short ? 9 : 21;
  const opsPerRound = opts.short ? 300 : 1000;
  const timed = (fn: () => void): number => {
    const t0 = performance.now();
    for (let k = 0; k < opsPerRound; k++) fn();
    return (opsPerRound * 1000) / (performance.now() - t0);
  };
  timed(enqueueOne); // warm-up
  timed(rawOne);
  timed(indexedOne);
  timed(bareOne);
  timed(clearOne);
  const q: number[] = [];
  const r: number[] = [];
  const x: number[] = [];
  const f: number[] = [];
  const c: number[] = [];
  // Each round runs the five in another order (rotated, and every other round reversed), so none always follows another.
  const series = [
    () => q.push(timed(enqueueOne)), () => r.push(timed(rawOne)), () => x.push(timed(indexedOne)), () => f.push(timed(bareOne)), () => c.push(timed(clearOne)),
  ];
  for (let round = 0; round < rounds; round++) {
    const order = [...series.slice(round % series.length), ...series.slice(0, round % series.length)];
    for (const run of round % 2 === 0 ? order : order.reverse()) run();
  }
  if (!queue.stats().invariantHolds) throw new Error('enqueue bench broke the accounting invariant');
  queue.close();
  raw.close();
  indexed.close();
  bare.close();
  clear.close();
  const name = `queue durable enqueue (WAL, synchronous=FULL; median of ${rounds} interleaved rounds of ${opsPerRound})`;
  return [
    // The target (issue 31): at least 0.95x its floor, the queue's own schema with the card sealed and fingerprinted per row.
    compared(`${name}, against its floor`, median(q), 'ops/s', "bare statements into the queue's own schema, card sealed and fingerprinted (bareQueueInsert)", median(f), '>= 0.95x its floor', (_v, ratio) => ratio >= 0.95),
    // Issue 16's ratio to a raw insert, kept for the record (its target, 0.7x, lay above the floor's own ratio).
    compared(name, median(q), 'ops/s', 'raw better-sqlite3 insert, same pragmas', median(r)),
    compared(`${name}, for reference`, median(q), 'ops/s', "raw insert, same pragmas, with the queue's indexes", median(x)),
    compared(`${name}: the floor itself`, median(f), 'ops/s', 'raw better-sqlite3 insert, same pragmas', median(r)),
    compared(`${name}: the floor without the card's sealing and fingerprint`, median(c), 'ops/s', 'raw better-sqlite3 insert, same pragmas', median(r)),
  ];
}

async function drain(dir: string, opts: BenchOptions): Promise<BenchResult> {
  const n = opts.short ? 3000 : 10_000;
  const concurrency = CONFIG_DEFAULTS.queue.concurrency;
  const cards = benchCards(64);
  const host = await startBenchHost(dir, cards);
  const queue = OperationQueue.open({ path: join(dir, 'drain.db'), key: generateQueueKey() });
  const client = new RestHostClient({ baseUrl: host.url, clientId: 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', clientSecret: 'secret', merchantId: 'IBP000000000162', terminalId: '20690111' });
  try {
    await client.ping();
    // Baseline: the same client, `concurrency` loops of earn calls over the same cards, same host (before and after the drain).
    const m = Math.ceil(n / 5);
    const bare = async (tag: string): Promise<number> => {
      let next = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: concurrency }, async () => {
        for (let k = next++; k < m; k = next++) await client.earn({ card: cards[k % cards.length] as CardRef, transactionId: `${tag}-${k}`, amount: 100, timeStamp: '20300101120000' });
      }));
      return performance.now() - t0;
    };
    await bare('warm');
    const before = await bare('base1');

    queue.enqueueMany(Array.from({ length: n }, (_, k) => ({ kind: 'earn' as const, card: cards[k % cards.length]!, payload: { amount: 100 + (k % 900), timeStamp: '20300101120000' } })));
    const fwd = new Forwarder({ queue, host: client }); // default concurrency and chain length
    const start = performance.now();
    const r = await fwd.flush();
    const ms = performance.now() - start;

    const after = await bare('base2');
    const s = queue.stats();
    if (r.sent !== n || s.done !== n || s.pending + s.sending !== 0 || !s.invariantHolds) throw new Error(`drain incomplete: ${JSON.stringify({ r, s })}`);
    return compared(
      `queue drain of ${n} earnings, 64 cards, concurrency ${concurrency}, host emulator child process (${(ms / 1000).toFixed(1)} s)`,
      (n * 1000) / ms, 'items/s', `bare RestHostClient.earn, ${concurrency} loops, same host`, (2 * m * 1000) / (before + after), '>= 1000/s', (v) => v >= 1000,
    );
  } finally {
    await client.close();
    queue.close();
    await host.close();
  }
}

function memory(dir: string, opts: BenchOptions): BenchResult[] {
  const n = opts.short ? 30_000 : 100_000;
  const db = join(dir, 'mem.db');
  const keyFile = join(dir, 'mem.key');
  writeQueueKeyFile(keyFile);
  const child = (...args: string[]): { rss: number; pending: number; pendingAfter: number; claimed: number; invariant: boolean } => {
    const text = execFileSync(process.execPath, [join(here, 'queueMemoryChild.js'), ...args], { encoding: 'utf8', timeout: 300_000 });
    return JSON.parse(text) as { rss: number; pending: number; pendingAfter: number; claimed: number; invariant: boolean };
  };
  const fill = child('fill', db, keyFile, String(n));
  const hold = child('hold', db, keyFile);
  if (fill.pending !== n || hold.pending !== n || hold.pendingAfter !== n || hold.claimed === 0 || !hold.invariant) {
    throw new Error(`memory children: ${JSON.stringify({ fill, hold })}`);
  }
  const label = `${n}${opts.short ? ' (short mode)' : ''}`;
  return [
    absolute(`queue RSS: process holding ${label} pending items, after stats() and a claim cycle`, hold.rss / 2 ** 20, 'MB', '<= 120 MB', (v) => v <= 120),
    { name: `queue RSS: the process that enqueued those ${label} items (for reference)`, value: fill.rss / 2 ** 20, unit: 'MB' },
  ];
}
