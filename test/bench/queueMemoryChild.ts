/**
 * Child of queue.bench.ts. Prints one JSON line with its RSS.
 *   fill DB KEYFILE N  enqueues N pending earnings (batches of 1000), runs stats(), prints its RSS
 *   hold DB KEYFILE    opens the queue as the agent does after a restart, runs stats() and a
 *                      forwarder claim cycle (one claim as the Forwarder makes it by default:
 *                      64 cards x 32 items; then release them), prints its RSS
 */
import { CONFIG_DEFAULTS } from '../../agent/config/agentConfig.js';
import { loadQueueKey, OperationQueue } from '../../agent/queue/index.js';
import { benchCards } from './queueBenchHost.js';

const [mode, path, keyFile, nText] = process.argv.slice(2);
if ((mode !== 'fill' && mode !== 'hold') || path === undefined || keyFile === undefined) {
  process.stderr.write('usage: queueMemoryChild.js fill|hold DB KEYFILE [N]\n');
  process.exit(2);
}
const queue = OperationQueue.open({ path, key: loadQueueKey(keyFile) });
let claimed = 0;
if (mode === 'fill') {
  const n = Number(nText);
  const cards = benchCards(64);
  for (let start = 0; start < n; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, n - start) }, (_, k) => ({
      kind: 'earn' as const,
      card: cards[(start + k) % cards.length]!,
      payload: { amount: 100 + ((start + k) % 900), timeStamp: '20300101120000' },
    }));
    queue.enqueueMany(batch);
  }
}
const stats = queue.stats();
if (mode === 'hold') {
  const chains = queue.claim({ maxCards: Math.max(64, 4 * CONFIG_DEFAULTS.queue.concurrency), chainLength: 32 });
  claimed = chains.flat().length;
  queue.settle(chains.flat().map((o) => ({ id: o.id, outcome: 'release' as const })));
}
const after = queue.stats();
process.stdout.write(
  JSON.stringify({ rss: process.memoryUsage().rss, pending: stats.pending, pendingAfter: after.pending, claimed, invariant: after.invariantHolds }) + '\n',
);
queue.close();
