/**
 * Queue file size under retention: N operations (1 000 000; 50 000 with --short) go through the queue in
 * batches of 1000 (enqueue, claim, settle done) on a simulated clock that advances one hour a batch, and
 * retention (queue.retainDoneS = 20 hours: about 20 batches stay) prunes after each batch, as the agent's
 * timer would. The baseline is the same run with retention off (retainDoneS 0). Both file sizes are taken
 * after a WAL checkpoint (TRUNCATE); the ratio is retained / baseline. The run fails if the file with
 * retention grows by more than 25% over the second half of the run.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generateQueueKey, OperationQueue } from '../../agent/queue/index.js';
import { compared, type BenchOptions, type BenchResult } from './harness.js';
import { benchCards } from './queueBenchHost.js';

const BATCH = 1000;
const HOUR_MS = 3_600_000;
const RETAIN_S = 20 * 3600;
const EARN = { amount: 1234, timeStamp: '20300101120000' };
const MIB = 1024 * 1024;

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const total = opts.short ? 50_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'pos-retention-bench-'));
  try {
    const kept = cycle(join(dir, 'retained.db'), total, RETAIN_S);
    const forever = cycle(join(dir, 'forever.db'), total, 0);
    if (kept.final > kept.half * 1.25) {
      throw new Error(`with retention the file grew from ${kept.half} to ${kept.final} bytes over the second half: not bounded`);
    }
    return [
      compared(
        `queue file size after ${total} operations, retention 20 h at 1000 operations/h (${(kept.final / MIB).toFixed(1)} MiB; ${(kept.half / MIB).toFixed(1)} MiB at half-way; ${kept.pruned} pruned)`,
        kept.final / MIB, 'MiB', `same run, retention off (${(forever.final / MIB).toFixed(1)} MiB)`, forever.final / MIB,
        'bounded: second half grows < 25%; below the baseline',
        (_v, ratio) => ratio < 1,
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `total` operations through a queue at `path`; returns its size (bytes) at half-way and at the end. */
function cycle(path: string, total: number, retainDoneS: number): { half: number; final: number; pruned: number } {
  const cards = benchCards(1000);
  let t = Date.UTC(2030, 0, 1);
  const q = OperationQueue.open({ path, key: generateQueueKey(), now: () => t, retainDoneS, pruneEveryMs: 3_600_000, checkpointMs: 3_600_000 });
  const side = new Database(path);
  const size = (): number => {
    side.pragma('wal_checkpoint(TRUNCATE)');
    return statSync(path).size;
  };
  let half = 0;
  try {
    for (let done = 0; done < total; done += BATCH) {
      q.enqueueMany(Array.from({ length: BATCH }, (_, i) => ({ kind: 'earn' as const, card: cards[i % cards.length]!, payload: EARN })));
      for (;;) {
        const chains = q.claim({ maxCards: 1000, chainLength: 4 });
        if (chains.length === 0) break;
        q.settle(chains.flat().map((o) => ({ id: o.id, outcome: 'done' as const })));
      }
      t += HOUR_MS;
      q.pruneDone({ maxBatches: 8 });
      if (done + BATCH === total / 2) half = size();
    }
    const s = q.stats();
    if (!s.invariantHolds || s.counters.accepted !== total || s.pending + s.sending !== 0) throw new Error(`queue accounting broke: ${JSON.stringify(s)}`);
    return { half, final: size(), pruned: s.counters.pruned };
  } finally {
    side.close();
    q.close();
  }
}
