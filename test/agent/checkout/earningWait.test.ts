/**
 * An earning's answer waits (at most 1.5 s, within the POS deadline) for the
 * queue's `whenSettled` signal while the forwarder is online: `queued: false`
 * once the host confirmed it, `queued: true` when the forwarder goes offline
 * (at once, not at the end of the wait) or the wait runs out. Real queue and
 * forwarder, a fake host, fake timers.
 */
import { pino } from 'pino';
import { afterEach, expect, it, vi } from 'vitest';
import { CheckoutService } from '../../../agent/checkout/checkoutService.js';
import { HostError, type EarnRequest, type EarnResult } from '../../../agent/host/hostClient.js';
import type { CardReader } from '../../../agent/cardSources/serial/cardReader.js';
import { OperationQueue, generateQueueKey } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { FakeHost } from '../queue/fakeHost.js';
import { HAPPY } from '../queue/queueTestKit.js';

const reader: CardReader = {
  state: 'connected',
  readCard: async () => ({ ...HAPPY, kind: 'card' }),
  counters: () => ({ frames: 0, noiseBytes: 0, badLrc: 0, oversize: 0, truncated: 0, naksSent: 0, invalidCards: 0, reconnects: 0 }),
  close: async () => undefined,
};

/** A FakeHost whose earn answers wait until `answer()` is called. */
class HeldHost extends FakeHost {
  #release: (() => void) | undefined;
  answer(): void {
    this.#release?.();
  }
  override async earn(req: EarnRequest): Promise<EarnResult> {
    await new Promise<void>((r) => (this.#release = r));
    return super.earn(req);
  }
}

let queue: OperationQueue;
let fwd: Forwarder;
afterEach(async () => {
  await fwd.stop();
  queue.close();
  vi.useRealTimers();
});

async function counter(host: FakeHost): Promise<CheckoutService> {
  vi.useFakeTimers();
  queue = OperationQueue.open({ path: ':memory:', key: generateQueueKey() });
  fwd = new Forwarder({ queue, host });
  fwd.start();
  await vi.advanceTimersByTimeAsync(0); // the probe answers
  expect(fwd.online).toBe(true);
  return new CheckoutService({ reader, host, queue, forwarder: fwd, logger: pino({ level: 'silent' }), now: () => Date.now() });
}

function track<T>(p: Promise<T>): { value: T | undefined } {
  const out: { value: T | undefined } = { value: undefined };
  void p.then((v) => (out.value = v));
  return out;
}

it('answers queued: false as soon as the forwarder\'s send is committed', async () => {
  const host = new HeldHost();
  const checkout = await counter(host);
  const r = track(checkout.earn({ reference: 'e-1', amount: 500 }));
  await vi.advanceTimersByTimeAsync(200);
  expect(r.value).toBeUndefined(); // the host has not answered yet
  host.answer();
  await vi.advanceTimersByTimeAsync(0);
  expect(r.value).toMatchObject({ status: 'accepted', queued: false });
  const op = queue.list({ state: 'done' })[0];
  expect(op).toMatchObject({ kind: 'earn' });
  expect(host.line(op!.transactionId)).toMatchObject({ received: 1, applied: 1 });
});

it('answers queued: true at once when the forwarder goes offline during the wait', async () => {
  const host = new FakeHost();
  const checkout = await counter(host);
  host.fail = () => new HostError('HOST_ERR_CONNECT', 'connection refused', { outcome: 'not-sent' });
  const r = track(checkout.earn({ reference: 'e-2', amount: 500 }));
  await vi.advanceTimersByTimeAsync(0);
  expect(fwd.online).toBe(false);
  expect(r.value).toMatchObject({ status: 'accepted', queued: true });
});

it('answers queued: true when the host has not confirmed within 1.5 s', async () => {
  const host = new HeldHost();
  const checkout = await counter(host);
  const r = track(checkout.earn({ reference: 'e-3', amount: 500 }));
  await vi.advanceTimersByTimeAsync(1499);
  expect(r.value).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1);
  expect(r.value).toMatchObject({ status: 'accepted', queued: true });
  host.answer(); // let the held send finish before the forwarder stops
});
