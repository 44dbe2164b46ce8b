/**
 * The background pump: many cards claimed per transaction, at most
 * `concurrency` sent at once, FIFO per card, and on stop() nothing claimed is
 * left in 'sending'.
 */
import { afterEach, expect, it } from 'vitest';
import type { EarnRequest, EarnResult } from '../../../agent/host/hostClient.js';
import type { CardRef } from '../../../protocol/cardRef.js';
import { type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { FakeHost } from '../queue/fakeHost.js';
import { card, clock, earn, openQueue } from '../queue/queueTestKit.js';

/** FakeHost whose earn answers wait for `open()`; it tracks how many are in flight. */
class GatedHost extends FakeHost {
  inFlight = 0;
  maxInFlight = 0;
  #gate: Promise<void> | undefined;
  #openGate: (() => void) | undefined;
  #waiters: { cond: () => boolean; resolve: () => void }[] = [];

  closeGate(): void {
    this.#gate = new Promise((r) => (this.#openGate = r));
  }

  open(): void {
    this.#openGate?.();
    this.#gate = undefined;
  }

  /** Resolves once `cond()` holds after some call started or finished. */
  when(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ cond, resolve }));
  }

  override async earn(req: EarnRequest): Promise<EarnResult> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.#notify();
    try {
      if (this.#gate) await this.#gate;
      return await super.earn(req);
    } finally {
      this.inFlight--;
      this.#notify();
    }
  }

  #notify(): void {
    this.#waiters = this.#waiters.filter((w) => (w.cond() ? (w.resolve(), false) : true));
  }
}

const CARDS: CardRef[] = ['happy', 'empty', 'offer', 'slow', 'host-error'].map(card);
let q: OperationQueue | undefined;
let fwd: Forwarder | undefined;
afterEach(async () => {
  await fwd?.stop();
  q?.close();
});

function fill(queue: OperationQueue, perCard: number): string[] {
  const ids: string[] = [];
  for (let k = 0; k < perCard; k++) {
    for (const [c, cardRef] of CARDS.entries()) ids.push(queue.enqueue({ kind: 'earn', card: cardRef, payload: earn(100 + k), transactionId: `c${c}-${k}` }).transactionId);
  }
  return ids;
}

it('drains in the background: at most `concurrency` sends at once, each card in order, every item applied once', async () => {
  q = openQueue(':memory:');
  const ids = fill(q, 6);
  const host = new GatedHost();
  fwd = new Forwarder({ queue: q, host, concurrency: 2, claimCards: 4, chainLength: 3 });
  fwd.start();
  await host.when(() => host.applied.size === ids.length);
  await fwd.stop();

  expect(host.maxInFlight).toBe(2);
  for (let c = 0; c < CARDS.length; c++) {
    const order = host.calls.filter((x) => x.transactionId.startsWith(`c${c}-`)).map((x) => x.transactionId);
    expect(order).toEqual([0, 1, 2, 3, 4, 5].map((k) => `c${c}-${k}`));
  }
  for (const id of ids) expect(host.line(id), id).toMatchObject({ received: 1, applied: 1 });
  expect(q.stats()).toMatchObject({ pending: 0, sending: 0, done: 30, dead: 0, counters: { sent: 30 }, invariantHolds: true });
});

it('stop() records what was sent and puts everything claimed but unsent back to pending', async () => {
  q = openQueue(':memory:');
  fill(q, 6);
  const host = new GatedHost();
  host.closeGate();
  fwd = new Forwarder({ queue: q, host, concurrency: 2, claimCards: 5, chainLength: 6 });
  fwd.start();
  await host.when(() => host.inFlight === 2);
  // Five cards' chains are claimed (the whole queue), two are on the wire.
  expect(q.stats()).toMatchObject({ pending: 0, sending: 30 });
  const stopped = fwd.stop();
  host.open();
  await stopped;

  expect(host.applied.size).toBe(2); // the two sends in flight finished; nothing new started
  expect(q.stats()).toMatchObject({ pending: 28, sending: 0, done: 2, counters: { sent: 2 }, invariantHolds: true });
  expect(q.list({ state: 'done' }).map((o) => o.transactionId).sort()).toEqual([...host.applied.keys()].sort());
});

it('outcomes wait for the next claim or idle, but never more than a second', async () => {
  const c = clock();
  q = openQueue(':memory:', { now: c.now });
  for (const cardRef of CARDS.slice(0, 3)) q.enqueue({ kind: 'earn', card: cardRef, payload: earn() });
  const host = new GatedHost();
  host.closeGate();
  fwd = new Forwarder({ queue: q, host, concurrency: 1, claimCards: 3, chainLength: 1 });
  fwd.start();
  await host.when(() => host.inFlight === 1);
  host.open();
  host.closeGate();
  await host.when(() => host.applied.size === 1 && host.inFlight === 1);
  // The first answer is in; its outcome waits in memory (the row stays 'sending' and would be resent after a crash).
  expect(q.stats()).toMatchObject({ sending: 3, done: 0 });

  c.advance(1000);
  host.open();
  host.closeGate();
  await host.when(() => host.applied.size === 2 && host.inFlight === 1);
  // A second after the first outcome, the next one to finish commits both.
  expect(q.stats()).toMatchObject({ sending: 1, done: 2, counters: { sent: 2 } });

  host.open();
  await host.when(() => host.applied.size === 3 && host.inFlight === 0);
  await fwd.stop();
  expect(q.stats()).toMatchObject({ pending: 0, sending: 0, done: 3, invariantHolds: true });
});
