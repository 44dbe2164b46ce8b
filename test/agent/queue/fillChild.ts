/**
 * Child process of damagedQueue.test.ts, run from dist/ with node:
 *   node fillChild.js DB KEYFILE N
 * Opens the queue, accepts N earnings (each committed before it is counted),
 * waits until the high-water mark has followed (its 1 s tick), prints
 * `marked N`, and waits to be SIGKILLed: the queue's recent state is then in
 * its -wal only, as after a power cut.
 */
import { readFileSync } from 'node:fs';
import { loadQueueKey, OperationQueue } from '../../../agent/queue/index.js';
import { parsePan, parseYymm } from '../../../protocol/pan.js';

const [db, keyFile, nText] = process.argv.slice(2);
if (!db || !keyFile || !nText) {
  process.stderr.write('usage: fillChild DB KEYFILE N\n');
  process.exit(2);
}
const card = { pan: parsePan('6280000000000016'), expiry: parseYymm('3012') };
const queue = OperationQueue.open({ path: db, key: loadQueueKey(keyFile) });
const n = Number(nText);
for (let i = 0; i < n; i++) queue.enqueue({ kind: 'earn', card, payload: { amount: 100 + i, timeStamp: '20300101120000' } });
const accepted = queue.stats().counters.accepted;
for (let tries = 0; tries < 50; tries++) {
  await new Promise((r) => setTimeout(r, 100));
  let mark = 0;
  try {
    mark = (JSON.parse(readFileSync(`${db}.accepted`, 'utf8')) as { accepted: number }).accepted;
  } catch {
    /* not written yet */
  }
  if (mark >= accepted) break;
}
process.stdout.write(`marked ${accepted}\n`);
setInterval(() => undefined, 1000);
