/** Child of queue.bench.ts: fills a queue with N pending earnings, runs stats() and one claim cycle, prints its RSS. */
import { generateQueueKey, OperationQueue } from '../../agent/queue/index.js';
import { parsePan, parseYymm } from '../../protocol/pan.js';

const [path, nText] = process.argv.slice(2);
const n = Number(nText);
const queue = OperationQueue.open({ path: path as string, key: generateQueueKey() });
const cards = ['6280000000000016', '6280000000000024', '6280000000000057'].map((p) => ({ pan: parsePan(p), expiry: parseYymm('3012') }));
for (let start = 0; start < n; start += 1000) {
  const batch = Array.from({ length: Math.min(1000, n - start) }, (_, k) => ({
    kind: 'earn' as const,
    card: cards[(start + k) % cards.length]!,
    payload: { amount: 100 + ((start + k) % 900), timeStamp: '20300101120000' },
  }));
  queue.enqueueMany(batch);
}
const stats = queue.stats();
const chains = queue.claim({ maxCards: 4, chainLength: 32 });
queue.settle(chains.flat().map((o) => ({ id: o.id, outcome: 'release' as const })));
global.gc?.();
process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss, pending: stats.pending, claimed: chains.flat().length }) + '\n');
queue.close();
