/**
 * The forwarder's one state (ForwarderState), on fake timers: stopped →
 * offline (probing) → online → storage-backoff → online → offline → online,
 * and "host online" / "host offline" logged once per change, from one place.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, expect, it, vi } from 'vitest';
import { QueueError, type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { FakeHost } from '../queue/fakeHost.js';
import { EMPTY, earn, HAPPY, openQueue } from '../queue/queueTestKit.js';

let q: OperationQueue;
afterEach(() => {
  vi.useRealTimers();
  q.close();
});

it('walks its states and logs each online/offline change once', async () => {
  vi.useFakeTimers();
  const t0 = Date.now();
  q = openQueue(':memory:');
  const lines: { msg: string; online?: boolean }[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString()) as { msg: string }), done()) }));
  const host = new FakeHost();
  host.up = false;
  const fwd = new Forwarder({ queue: q, host, logger, probeIntervalMs: 1000, backoff: { baseMs: 500, jitter: 0 } });
  const changes: boolean[] = [];
  fwd.onOnlineChange((online) => changes.push(online));
  expect(fwd.state).toEqual({ kind: 'stopped', online: false });

  fwd.start();
  await vi.advanceTimersByTimeAsync(0); // the first probe fails
  expect(fwd.state).toEqual({ kind: 'offline', since: t0, nextProbeAt: t0 + 1000 });
  expect(fwd.online).toBe(false);

  host.up = true;
  await vi.advanceTimersByTimeAsync(1000); // the next probe answers
  expect(fwd.state).toEqual({ kind: 'online', since: t0 + 1000 });

  // The store fails: the pump backs off on it, still online.
  const real = q.settleAndClaim.bind(q);
  let broken = true;
  q.settleAndClaim = (items, opts) => {
    if (broken) throw new QueueError('QUEUE_ERR_IO', 'cannot write queue q.db (SQLITE_IOERR)');
    return real(items, opts);
  };
  q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'e-1' });
  await vi.advanceTimersByTimeAsync(0);
  expect(fwd.state).toEqual({ kind: 'storage-backoff', since: t0 + 1000, failures: 1, until: t0 + 1500 });
  expect(fwd.online).toBe(true);
  broken = false;
  await vi.advanceTimersByTimeAsync(500);
  expect(fwd.state).toEqual({ kind: 'online', since: t0 + 1000 });
  expect(host.line('e-1')).toMatchObject({ received: 1, applied: 1 });

  // The host goes away under a send: offline, probing again.
  host.up = false;
  q.enqueue({ kind: 'earn', card: EMPTY, payload: earn(), transactionId: 'e-2' });
  await vi.advanceTimersByTimeAsync(0);
  expect(fwd.state).toMatchObject({ kind: 'offline', since: t0 + 1500 });
  host.up = true;
  await vi.advanceTimersByTimeAsync(1000);
  expect(fwd.state.kind).toBe('online');
  await vi.advanceTimersByTimeAsync(0);
  expect(host.line('e-2')).toMatchObject({ received: 1, applied: 1 }); // the refused attempt never reached it

  await fwd.stop();
  expect(fwd.state).toEqual({ kind: 'stopped', online: true });
  expect(changes).toEqual([true, false, true]);
  expect(lines.filter((l) => l.msg === 'host online' || l.msg === 'host offline').map((l) => [l.msg, l.online])).toEqual([
    ['host online', true],
    ['host offline', false],
    ['host online', true],
  ]);
});
