/**
 * The forwarder backs off on storage errors as on host errors (issue: a
 * damaged page made it loop about 3,500 times in 5 s). A queue whose claims
 * fail with QUEUE_ERR_CORRUPT, on fake timers: the attempts follow the
 * backoff (500 ms doubling), and sending resumes once the store recovers.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { type OperationQueue, QueueError } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { FakeHost } from '../queue/fakeHost.js';
import { earn, HAPPY, openQueue } from '../queue/queueTestKit.js';

let q: OperationQueue;
afterEach(() => {
  vi.useRealTimers();
  q.close();
});

it('claims at most once per backoff step while the store fails, then drains when it recovers', async () => {
  vi.useFakeTimers();
  q = openQueue(':memory:');
  q.enqueue({ kind: 'earn', card: HAPPY, payload: earn() });
  let broken = true;
  let claims = 0;
  const real = q.settleAndClaim.bind(q);
  q.settleAndClaim = (items, opts) => {
    claims++;
    if (broken) throw new QueueError('QUEUE_ERR_CORRUPT', 'queue q.db is damaged (SQLITE_CORRUPT)');
    return real(items, opts);
  };
  const host = new FakeHost();
  const fwd = new Forwarder({ queue: q, host, backoff: { baseMs: 500, maxMs: 30_000, jitter: 0 }, probeIntervalMs: 1000 });
  fwd.start();
  await vi.advanceTimersByTimeAsync(7_000);
  // Online at once (the ping), then tries at 0, 0.5, 1.5, 3.5 s (and the next at 7.5 s): a handful, not thousands.
  expect(claims).toBeGreaterThanOrEqual(3);
  expect(claims).toBeLessThanOrEqual(6);
  broken = false;
  await vi.advanceTimersByTimeAsync(10_000);
  expect(host.applied.size).toBe(1);
  await fwd.stop();
});
