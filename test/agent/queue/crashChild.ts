/**
 * Child process of crashSafety.test.ts, run from dist/ with node:
 *   node crashChild.js DB KEYFILE HOST_URL SEED
 * Opens the queue (recovering a previous crash), prints `stats <json>`,
 * forwards to the host in the background and accepts earnings in a loop,
 * printing `accepted <transactionId>` only after enqueue returned (committed).
 * The parent kills it with SIGKILL at a random moment.
 */
import { RestHostClient } from '../../../agent/host/restHostClient.js';
import { loadQueueKey, OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { DEFAULT_FIXTURES } from '../../../emulator/host/fixtures.js';
import { parsePan, parseYymm } from '../../../protocol/pan.js';

const [db, keyFile, hostUrl, seedText] = process.argv.slice(2);
if (!db || !keyFile || !hostUrl) {
  process.stderr.write('usage: crashChild DB KEYFILE HOST_URL SEED\n');
  process.exit(2);
}
let seed = Number(seedText ?? 1) >>> 0 || 1;
const rand = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const cards = ['happy', 'empty', 'offer'].map((n) => {
  const f = DEFAULT_FIXTURES.cards.find((c) => c.name === n)!;
  return { pan: parsePan(f.pan), expiry: parseYymm(f.expiry) };
});

const queue = OperationQueue.open({ path: db, key: loadQueueKey(keyFile) });
process.stdout.write(`stats ${JSON.stringify(queue.stats())}\n`);
const host = new RestHostClient({
  baseUrl: hostUrl,
  clientId: 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088',
  clientSecret: 'secret',
  merchantId: 'IBP000000000162',
  terminalId: '20690111',
  timeoutMs: 2000,
});
const fwd = new Forwarder({ queue, host, concurrency: 3, chainLength: 4, backoff: { baseMs: 20, maxMs: 200 }, probeIntervalMs: 50 });
fwd.start();

for (let i = 0; ; i++) {
  const op = queue.enqueue({ kind: 'earn', card: cards[Math.floor(rand() * cards.length)]!, payload: { amount: 100 + i, timeStamp: '20300101120000' } });
  process.stdout.write(`accepted ${op.transactionId}\n`);
  await new Promise((r) => setTimeout(r, Math.floor(rand() * 8)));
}
