import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { generateQueueKey, type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { DEFAULT_FIXTURES } from '../../../emulator/host/fixtures.js';
import { FakeHost } from './fakeHost.js';
import { card, clock, earn, openQueue, tempDir } from './queueTestKit.js';

const tmp = tempDir();
let q: OperationQueue | undefined;
afterEach(() => {
  q?.close();
  tmp.cleanup();
});

it('no PAN (nor expiry-with-PAN) is found in the bytes of the database, its -wal or its -shm', async () => {
  const c = clock();
  const path = join(tmp.dir, 'q.db');
  const key = generateQueueKey();
  q = openQueue(path, { key, now: c.now, limits: { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 100, maxTotalPoints: 10_000, maxCount: 100, maxAgeS: 3600 } });
  for (const f of DEFAULT_FIXTURES.cards) {
    const cd = card(f.name);
    q.enqueue({ kind: 'earn', card: cd, payload: earn() });
    q.enqueue({ kind: 'offer-redeem', card: cd, payload: { cardOfferId: 'co', amount: 500 } });
    q.tryEnqueueOfflineBurn({ card: cd, payload: { points: 10 } });
    const b = q.beginDirect({ kind: 'burn', card: cd, payload: { rewardTrxId: 'rt', mandates: [], points: 5 } });
    q.unknownOutcome(b.id, 'timeout');
  }
  await new Forwarder({ queue: q, host: new FakeHost(), now: c.now }).flush();

  const files = [path, `${path}-wal`, `${path}-shm`].filter((f) => existsSync(f));
  expect(files).toContain(`${path}-wal`); // the writer still holds the WAL: scan it before any checkpoint
  const text = files.map((f) => readFileSync(f).toString('latin1')).join('\n');
  expect(text).toContain('628000******0016'); // sanity: the scan does see what the queue wrote (masked form)
  for (const f of DEFAULT_FIXTURES.cards) {
    expect(text.includes(f.pan), `PAN of card ${f.name}`).toBe(false);
    expect(text.includes(`${f.pan}=${f.expiry}`)).toBe(false);
    expect(text.includes(`${f.pan}|${f.expiry}`)).toBe(false);
    expect(text.includes(`${f.expiry}${f.pan}`)).toBe(false);
  }
  q.close();
  q = undefined;
  // And after the close (checkpointed into the main file).
  const after = readFileSync(path).toString('latin1');
  for (const f of DEFAULT_FIXTURES.cards) expect(after.includes(f.pan)).toBe(false);
});
