/**
 * When the pump looks for work again. Each case is a wake-up that used to be
 * missing (work waited for an unrelated send to end) or a loop that used to
 * run without pause (claims, or the host's balance calls, about once a
 * millisecond on the cashier's event loop):
 * - an undo due behind its card's direct send in flight (a burn the checkout
 *   sends itself, whose end wakes no one);
 * - the same while another card's send is slow;
 * - the rest of a chain past a retried item, and the undo behind it;
 * - an offline burn whose send the store refuses to record, in the
 *   background pump and in a flush;
 * - a flush, whose cutoff must not fall before the due time it sets.
 */
import { afterEach, expect, it, vi } from 'vitest';
import type { EarnRequest, EarnResult } from '../../../agent/host/hostClient.js';
import { HostError } from '../../../agent/host/index.js';
import { QueueError, type OperationQueue } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { FakeHost } from '../queue/fakeHost.js';
import { earn, EMPTY, HAPPY, openQueue } from '../queue/queueTestKit.js';

let q: OperationQueue | undefined;
let fwd: Forwarder | undefined;
afterEach(async () => {
  await fwd?.stop();
  q?.close();
  fwd = undefined;
  q = undefined;
});

/** Resolves once `cond()` holds, polled every 10 ms (at most 500 times). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i >= 500) throw new Error('condition not reached in 5 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BURN = { kind: 'burn' as const, card: HAPPY, payload: { rewardTrxId: 'rt', mandates: [], points: 100 }, transactionId: 'burn-1' };
const serverError = () => new HostError('HOST_ERR_SERVER', 'HTTP 500', { outcome: 'failed', status: 500 });

/** A FakeHost whose earn of `held` is received (`holding`) but answered only when `release()` is called. */
class HoldingHost extends FakeHost {
  holding = false;
  #release: (() => void) | undefined;
  readonly #held: Promise<void> = new Promise((r) => (this.#release = r));
  constructor(readonly held: string) {
    super();
  }
  release(): void {
    this.#release?.();
  }
  override async earn(req: EarnRequest): Promise<EarnResult> {
    if (req.transactionId === this.held) {
      this.holding = true;
      await this.#held;
    }
    return super.earn(req);
  }
}

it('waits quietly behind a direct send in flight, then delivers the card\'s undo once it is over', async () => {
  q = openQueue(':memory:');
  const burn = q.beginDirect(BURN);
  // A refund of that burn (a return): an undo waits for its card's older work (rule 5).
  q.enqueue({ kind: 'refund', card: HAPPY, payload: { originalTransactionId: 'burn-1', points: 10 }, transactionId: 'behind-burn' });
  q.enqueue({ kind: 'earn', card: EMPTY, payload: earn(), transactionId: 'other-card' });
  const claims = vi.spyOn(q, 'settleAndClaim');
  const host = new FakeHost();
  fwd = new Forwarder({ queue: q, host, concurrency: 2, claimCards: 4, chainLength: 3 });
  fwd.start();

  await until(() => host.line('other-card').applied === 1);
  const before = claims.mock.calls.length;
  await sleep(300);
  // A pause of 250 ms between looks: one or two claims in 300 ms, where the old pump made about 250.
  expect(claims.mock.calls.length - before).toBeLessThanOrEqual(3);
  expect(host.line('behind-burn')).toMatchObject({ received: 0, applied: 0 });

  q.completeDirect(burn.id, { rewardTrxId: 'approved' });
  await until(() => host.line('behind-burn').applied === 1);
  expect(host.line('behind-burn')).toMatchObject({ received: 1, applied: 1 });
  expect(host.line('burn-1')).toMatchObject({ received: 0 }); // the checkout's own send: never the forwarder's
  expect(q.stats()).toMatchObject({ pending: 0, sending: 0, invariantHolds: true });
});

it('delivers the undo behind a finished direct send while another card\'s send is still waiting for the host', async () => {
  q = openQueue(':memory:');
  const burn = q.beginDirect(BURN);
  q.enqueue({ kind: 'refund', card: HAPPY, payload: { originalTransactionId: 'burn-1', points: 10 }, transactionId: 'behind-burn' });
  q.enqueue({ kind: 'earn', card: EMPTY, payload: earn(), transactionId: 'slow' });
  const host = new HoldingHost('slow');
  fwd = new Forwarder({ queue: q, host, concurrency: 8 });
  fwd.start();
  try {
    await until(() => host.holding);
    q.completeDirect(burn.id, { rewardTrxId: 'approved' });
    // The old pump set no timer while any chain ran: this item waited for 'slow' to be answered.
    await until(() => host.line('behind-burn').applied === 1);
    expect(host.line('slow')).toMatchObject({ applied: 0 });
  } finally {
    host.release(); // stop() waits for the chain in flight
  }
  await until(() => host.line('slow').applied === 1);
  expect(q.stats()).toMatchObject({ pending: 0, sending: 0, invariantHolds: true });
});

it('sends the rest of a chain at once past an item in backoff, holds the undo behind it, and does not poll meanwhile', async () => {
  q = openQueue(':memory:');
  for (const t of ['e1', 'e2', 'e3']) q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: t });
  q.enqueue({ kind: 'earn-reversal', card: HAPPY, payload: { originalTransactionId: 'e1' }, transactionId: 'undo-e1' });
  const host = new FakeHost();
  let failed = false;
  host.fail = (c) => (c.transactionId === 'e1' && !failed ? ((failed = true), serverError()) : undefined);
  const claims = vi.spyOn(q, 'settleAndClaim');
  fwd = new Forwarder({ queue: q, host, chainLength: 4, backoff: { baseMs: 600, maxMs: 600, jitter: 0 } });
  fwd.start();
  // e2 and e3 do not depend on e1 (rule 5): sent at once, while e1 waits out its backoff.
  await until(() => host.line('e3').applied === 1);
  expect(host.line('e1')).toMatchObject({ received: 1, applied: 0 });
  expect(host.line('undo-e1')).toMatchObject({ received: 0 });
  const before = claims.mock.calls.length;
  await sleep(300);
  // The undo waits for e1's due time: a look every 250 ms, not a claim loop.
  expect(claims.mock.calls.length - before).toBeLessThanOrEqual(3);

  await until(() => host.line('undo-e1').applied === 1);
  expect([...host.applied.keys()]).toEqual(['e2', 'e3', 'e1', 'undo-e1']);
  for (const t of ['e1', 'e2', 'e3', 'undo-e1']) expect(host.line(t).applied, t).toBe(1);
});

it('backs off when the store refuses to record an offline burn\'s send, and sends it once the store is back', async () => {
  q = openQueue(':memory:', { limits: { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 100_000, maxTotalPoints: 1_000_000, maxCount: 100, maxAgeS: 86_400 } });
  const accepted = q.tryEnqueueOfflineBurn({ card: HAPPY, payload: { points: 100 }, transactionId: 'offline-1' });
  expect(accepted.ok).toBe(true);
  let storeFull = true;
  const markSent = q.markSent.bind(q);
  vi.spyOn(q, 'markSent').mockImplementation((id, burn) => {
    if (storeFull) throw new QueueError('QUEUE_ERR_FULL', 'the disk is full (SQLITE_FULL)');
    markSent(id, burn);
  });
  const host = new FakeHost();
  fwd = new Forwarder({ queue: q, host, backoff: { baseMs: 400, maxMs: 400, jitter: 0 } });
  fwd.start();
  await until(() => host.calls.some((c) => c.op === 'balance'));
  await sleep(300);

  // Before, each refused write released the burn, which was claimed again at once and cost another balance call.
  expect(host.calls.filter((c) => c.op === 'balance').length).toBeLessThanOrEqual(2);
  expect(fwd.state.kind).toBe('storage-backoff');
  expect(host.line('offline-1')).toMatchObject({ received: 0, applied: 0 });

  storeFull = false;
  await until(() => host.line('offline-1').applied === 1);
  expect(host.line('offline-1')).toMatchObject({ received: 1, applied: 1 });
});

it('ends a flush whose store refuses to record an offline burn\'s send, instead of claiming it again at once', async () => {
  q = openQueue(':memory:', { limits: { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 100_000, maxTotalPoints: 1_000_000, maxCount: 100, maxAgeS: 86_400 } });
  expect(q.tryEnqueueOfflineBurn({ card: HAPPY, payload: { points: 100 }, transactionId: 'offline-2' }).ok).toBe(true);
  vi.spyOn(q, 'markSent').mockImplementation(() => {
    throw new QueueError('QUEUE_ERR_FULL', 'the disk is full (SQLITE_FULL)');
  });
  const host = new FakeHost();
  fwd = new Forwarder({ queue: q, host });
  // Before, the flush claimed the released burn again and again (a balance call each time), starving the event loop.
  expect(await fwd.flush()).toMatchObject({ sent: 0, failed: 1 });
  expect(host.calls.filter((c) => c.op === 'balance').length).toBe(1);
  expect(q.getByTransactionId('offline-2')).toMatchObject({ state: 'pending' });
});

it('flush sends an item in backoff even when the clock moves between its cutoff and the expedite', async () => {
  let t = Date.UTC(2030, 0, 1);
  const ticking = () => t++; // every reading a millisecond later
  q = openQueue(':memory:', { now: ticking });
  const host = new FakeHost();
  let failed = false;
  host.fail = (c) => (c.transactionId === 'e1' && !failed ? ((failed = true), serverError()) : undefined);
  fwd = new Forwarder({ queue: q, host, now: ticking, backoff: { baseMs: 60_000, maxMs: 60_000, jitter: 0 } });
  q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'e1' });
  expect(await fwd.flush()).toMatchObject({ sent: 0, failed: 1 }); // in backoff for a minute

  // "Forwards all pending work now": the old cutoff was read before the expedite, a millisecond too early.
  expect(await fwd.flush()).toMatchObject({ sent: 1 });
  expect(host.line('e1')).toMatchObject({ received: 2, applied: 1 });
});

it('a reversal watching for its late original holds up no other item of its card: the earning behind it goes in the same flush', async () => {
  const c = { t: Date.UTC(2030, 0, 1) };
  q = openQueue(':memory:', { now: () => c.t });
  const lost = q.beginDirect({ ...BURN, transactionId: 'lost-burn' });
  const rev = q.unknownOutcome(lost.id, 'response timeout'); // its reversal, pending, ahead of anything newer for the card
  q.enqueue({ kind: 'earn', card: HAPPY, payload: earn(), transactionId: 'behind-rev' });
  const host = new FakeHost(); // has never seen lost-burn: the reversal is answered "original not found"
  fwd = new Forwarder({ queue: q, host, now: () => c.t, lateOriginalMs: 60_000 });
  expect(await fwd.flush()).toEqual({ sent: 1, failed: 1, dead: 0 });
  expect(host.line('behind-rev')).toMatchObject({ received: 1, applied: 1 });
  // The watch goes on in the background: the reversal is retried until the original could no longer land.
  expect(q.get(rev.id)).toMatchObject({ state: 'pending', attempts: 1 });
});
