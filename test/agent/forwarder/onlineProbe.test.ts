/**
 * The forwarder's online probe over real loopback: the host's port refuses
 * connections (nothing listens) → the forwarder stays offline and sends
 * nothing → the host emulator starts on that port → the forwarder is online
 * again within a probe interval or so and the queue drains.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { RestHostClient } from '../../../agent/host/restHostClient.js';
import { type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { startHost, type RunningHost } from '../../../emulator/host/index.js';
import { EMPTY, earn, HAPPY, OFFER, openQueue, tempDir } from '../queue/queueTestKit.js';

const PROBE_MS = 250;
const tmp = tempDir();
let q: OperationQueue | undefined;
let fwd: Forwarder | undefined;
let client: CountingClient | undefined;
let host: RunningHost | undefined;

afterEach(async () => {
  await fwd?.stop();
  await client?.close();
  q?.close();
  await host?.close();
  tmp.cleanup();
});

/** The real REST client, counting its probes (ping) and their failures. */
class CountingClient extends RestHostClient {
  pings = 0;
  failures = 0;
  override async ping(): Promise<void> {
    this.pings++;
    try {
      await super.ping();
    } catch (err) {
      this.failures++;
      throw err;
    }
  }
}

/** A loopback port nothing listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

/** Resolves when `cond()` holds, polling every 10 ms; rejects after `limitMs`. */
async function until(cond: () => boolean, limitMs: number, what: string): Promise<void> {
  for (let waited = 0; !cond(); waited += 10) {
    if (waited >= limitMs) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('host down → offline, nothing sent; host up on the same port → online within the probe interval and the queue drains', async () => {
  const port = await closedPort();
  q = openQueue(join(tmp.dir, 'q.db'));
  const ids = [HAPPY, EMPTY, OFFER, HAPPY, EMPTY, OFFER].map((card, i) => q!.enqueue({ kind: 'earn', card, payload: earn(1000 + i), transactionId: `probe-${i}` }).transactionId);
  client = new CountingClient({
    baseUrl: `http://127.0.0.1:${port}`, clientId: 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', clientSecret: 'secret',
    merchantId: 'IBP000000000162', terminalId: '20690111', connectTimeoutMs: 500,
  });
  // The host is really down: a probe is refused (no request can have been sent).
  await expect(client.ping()).rejects.toMatchObject({ outcome: 'not-sent' });
  const before = client.failures;

  fwd = new Forwarder({ queue: q, host: client, probeIntervalMs: PROBE_MS });
  const changes: boolean[] = [];
  fwd.onOnlineChange((online) => changes.push(online));
  fwd.start();
  // Three probes fail: still offline, nothing attempted, nothing moved.
  await until(() => client!.failures - before >= 3, 5000, 'three failed probes');
  expect(fwd.online).toBe(false);
  expect(changes).toEqual([]);
  expect(q.stats()).toMatchObject({ pending: 6, sending: 0, done: 0, dead: 0, counters: { retried: 0, sent: 0 } });

  host = await startHost({ port });
  // DESIGN rule 7: online again within 5 s of the host's return (the next probe, PROBE_MS later, succeeds).
  const probesWhenUp = client.pings;
  await until(() => fwd!.online, 5000, 'the forwarder to come back online');
  expect(client.pings - probesWhenUp).toBeLessThanOrEqual(2); // the probe in flight, then at most one more
  await until(() => q!.stats().done === 6, 10_000, 'the queue to drain');

  expect(changes).toEqual([true]);
  expect(q.stats()).toMatchObject({ pending: 0, sending: 0, done: 6, dead: 0, invariantHolds: true, counters: { sent: 6 } });
  const earned = host.history.entries().filter((e) => e.kind === 'earn').map((e) => e.transactionId).sort();
  expect(earned).toEqual([...ids].sort()); // each applied exactly once
});
