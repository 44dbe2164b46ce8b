/**
 * The burn's durable record is written while its balance call is in flight
 * (issue 16): its fsync overlaps the host's work. What must stay true:
 * - the record is in the queue, with the transactionId the burn will carry,
 *   before the balance answers, and it is a direct burn in flight (a crash
 *   now leaves it for the restart to reverse);
 * - a burn that then never goes out (declined, too few points, the host
 *   away) is abandoned, and the POS hears what it heard before: a decline
 *   stays final, an offline approval carries its own transactionId;
 * - with the real undici client, the balance request is on the socket before
 *   the commit starts (else the commit's fsync would delay it, not overlap it).
 */
import diagnostics from 'node:diagnostics_channel';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckoutService } from '../../../agent/checkout/checkoutService.js';
import { HostError, type HostClient } from '../../../agent/host/hostClient.js';
import { RestHostClient } from '../../../agent/host/restHostClient.js';
import type { CardReader } from '../../../agent/cardSources/serial/cardReader.js';
import { OperationQueue, QueueError, generateQueueKey, type OfflineLimits } from '../../../agent/queue/index.js';
import { startHost, type RunningHost } from '../../../emulator/host/index.js';
import { fixtureCardRef } from '../../support/fixtureCardRef.js';
import { noAdjustments } from '../../support/noAdjustments.js';

const HAPPY = fixtureCardRef('happy');
const ACCOUNTS = [{ accountId: '12', accountName: 'Reward Points', accountType: '1', availableBalance: 500 }];
const LIMITS: OfflineLimits = { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 500, maxTotalPoints: 2000, maxCount: 10, maxAgeS: 3600 };

const reader: CardReader = {
  state: 'connected',
  readCard: async () => ({ ...HAPPY, kind: 'card' }),
  counters: () => ({ frames: 0, noiseBytes: 0, badLrc: 0, oversize: 0, truncated: 0, naksSent: 0, invalidCards: 0, reconnects: 0 }),
  close: async () => undefined,
};

/** A host whose balance waits for `release`; it records the burns it was sent. */
function gatedHost(balance: () => Promise<unknown>): HostClient & { burns: string[]; balances: number; release: () => void; asked: Promise<void> } {
  let release = () => undefined as void;
  let asked = () => undefined as void;
  const gate = new Promise<void>((r) => (release = r));
  const askedP = new Promise<void>((r) => (asked = r));
  const burns: string[] = [];
  const h = {
    burns,
    balances: 0,
    release,
    asked: askedP,
    balance: (async () => {
      h.balances++;
      asked();
      await gate;
      return balance();
    }) as HostClient['balance'],
    burn: (async (req: { transactionId: string }) => {
      burns.push(req.transactionId);
      return { rewardTrxId: 'R1', accounts: [{ accountId: '12', accountType: '1', debit: 100, balance: 400 }] };
    }) as HostClient['burn'],
    offers: async () => [],
    redeemOffer: async () => ({ redemptionId: 'red_1', type: 'discount' as const, benefit: 0 }),
    reverse: async () => ({ reversed: true }),
    earn: async () => ({ rewardTrxId: 'R2', accounts: ACCOUNTS }),
    ...noAdjustments,
    ping: async () => undefined,
    close: async () => undefined,
  };
  return h;
}

function service(host: HostClient, limits?: OfflineLimits, now: () => number = Date.now, flush: () => Promise<object> = async () => ({}), online = false) {
  const queue = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), ...(limits ? { limits } : {}), now });
  const checkout = new CheckoutService({
    reader,
    host,
    queue,
    forwarder: { online, flush, onOnlineChange: () => () => undefined },
    logger: pino({ level: 'silent' }),
    now,
  });
  return { checkout, queue };
}

/** Waits until `check` holds, a bounded number of event-loop turns. */
async function until(check: () => boolean): Promise<void> {
  for (let turn = 0; turn < 200 && !check(); turn++) await new Promise((r) => setTimeout(r, 1));
  expect(check()).toBe(true);
}

describe('the burn written during its balance call', () => {
  it('is durable, in flight and carrying the transactionId the burn is sent with, before the balance answers', async () => {
    const h = gatedHost(async () => ({ rewardTrxId: 'R1', accounts: ACCOUNTS }));
    const { checkout, queue } = service(h);
    const answer = checkout.redeem({ reference: 'r1', points: 100 });
    await h.asked;
    await until(() => queue.reference('r1') !== undefined);
    const [id] = queue.reference('r1')!.opIds;
    const written = queue.get(id!)!;
    // What a reversal needs, written before the host said anything: a crash now leaves it to be reversed.
    expect(written).toMatchObject({ kind: 'burn', state: 'sending', offline: false, payload: { points: 100 } });
    expect(written.sentAt).not.toBeNull();
    expect(h.burns).toEqual([]);
    h.release();
    const r = await answer;
    expect(r).toMatchObject({ status: 'approved', debited: 100, transactionId: written.transactionId });
    expect(h.burns).toEqual([written.transactionId]);
    expect(queue.get(id!)?.state).toBe('done');
    expect(queue.stats().invariantHolds).toBe(true);
  });

  it('is abandoned when the host declines the balance, and the decline stays final: a retry asks nothing', async () => {
    const h = gatedHost(async () => {
      throw new HostError('HOST_ERR_REJECTED', 'unknown card', { outcome: 'rejected', status: 404, hostCode: 'L14' });
    });
    const { checkout, queue } = service(h);
    const answer = checkout.redeem({ reference: 'r2', points: 100 });
    await h.asked;
    await until(() => queue.reference('r2') !== undefined); // the burn is written
    h.release();
    const r = await answer;
    expect(r).toMatchObject({ status: 'declined', reason: 'unknown-card' });
    const rec = queue.reference('r2')!;
    expect(rec.answer).toEqual(r);
    expect(rec.opIds.map((id) => queue.get(id)?.state)).toEqual(['abandoned']);
    const again = await checkout.redeem({ reference: 'r2', points: 100 });
    expect(again).toEqual(r);
    expect(h.balances).toBe(1);
    expect(h.burns).toEqual([]);
    expect(queue.stats().invariantHolds).toBe(true);
  });

  it('leaves the decline the POS hears as it was when the store refuses the abandon', async () => {
    const h = gatedHost(async () => {
      throw new HostError('HOST_ERR_REJECTED', 'unknown card', { outcome: 'rejected', status: 404, hostCode: 'L14' });
    });
    const { checkout, queue } = service(h);
    queue.abandonDirect = () => {
      throw new QueueError('QUEUE_ERR_FULL', 'the disk holding the queue is full');
    };
    const answer = checkout.redeem({ reference: 'r5', points: 100 });
    await h.asked;
    await until(() => queue.reference('r5') !== undefined); // the burn is written
    h.release();
    expect(await answer).toMatchObject({ status: 'declined', reason: 'unknown-card' });
    expect(h.burns).toEqual([]);
  });

  it('is abandoned when the card has too few points; nothing is sent', async () => {
    const h = gatedHost(async () => ({ rewardTrxId: 'R1', accounts: ACCOUNTS }));
    const { checkout, queue } = service(h);
    const answer = checkout.redeem({ reference: 'r3', points: 501 });
    await h.asked;
    await until(() => queue.reference('r3') !== undefined); // the burn is written
    h.release();
    expect(await answer).toMatchObject({ status: 'declined', reason: 'insufficient-points', balanceAfter: 500 });
    expect(queue.reference('r3')!.opIds.map((id) => queue.get(id)?.state)).toEqual(['abandoned']);
    expect(h.burns).toEqual([]);
  });

  it('is abandoned when the host turns out to be away; the offline burn approved in its place has its own transactionId', async () => {
    const h = gatedHost(async () => {
      throw new HostError('HOST_ERR_CONNECT', 'refused', { outcome: 'not-sent' });
    });
    const { checkout, queue } = service(h, LIMITS);
    const answer = checkout.redeem({ reference: 'r4', points: 100 });
    await h.asked;
    await until(() => queue.reference('r4') !== undefined); // the burn is written
    h.release();
    const r = await answer;
    expect(r).toMatchObject({ status: 'approved', queued: true, debited: 100 });
    const ops = queue.reference('r4')!.opIds.map((id) => queue.get(id)!);
    expect(ops.map((o) => [o.state, o.offline])).toEqual([['abandoned', false], ['pending', true]]);
    expect(ops[1]!.transactionId).toBe(r.transactionId);
    expect(ops[0]!.transactionId).not.toBe(r.transactionId);
    expect(queue.stats().invariantHolds).toBe(true);
  });
  /** A direct write that blocks the event loop for `ms` of real time (the fsync of a slow disk), then does `then`. */
  function slowWrites(queue: OperationQueue, ms: number, then: 'land' | 'refuse', after: () => void): void {
    const beginDirect = queue.beginDirect.bind(queue);
    queue.beginDirect = (input) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        /* blocked in the commit */
      }
      after();
      if (then === 'refuse') throw new QueueError('QUEUE_ERR_IO', 'disk I/O error');
      return beginDirect(input);
    };
  }

  it('approves no offline burn when its own write during the balance call outlasted the deadline (the terminal was slow, not the host)', async () => {
    const h = gatedHost(async () => ({ rewardTrxId: 'R1', accounts: ACCOUNTS }));
    const { checkout, queue } = service(h, LIMITS);
    // A commit that blocks 700 ms, past the POS's 500 ms; the host's answer comes in after the expired deadline timer.
    slowWrites(queue, 700, 'land', () => setTimeout(() => h.release(), 0));
    const r = await checkout.redeem({ reference: 'f5', points: 100, timeoutMs: 500 });
    expect(r).toMatchObject({ status: 'timeout', debited: 0, reason: 'deadline-passed' });
    expect(r.queued).toBeUndefined();
    // The host heard no burn, and the queue holds no offline burn: only the record, abandoned for the deadline.
    expect(h.burns).toEqual([]);
    expect(queue.list().map((o) => [o.kind, o.state, o.offline, o.deadReason])).toEqual([['burn', 'abandoned', false, 'deadline-passed']]);
    expect(queue.offlineExposure()).toMatchObject({ count: 0 });
  });

  it('approves no offline burn either when that slow write is then refused (a failing disk)', async () => {
    const h = gatedHost(async () => ({ rewardTrxId: 'R1', accounts: ACCOUNTS }));
    const { checkout, queue } = service(h, LIMITS);
    slowWrites(queue, 700, 'refuse', () => setTimeout(() => h.release(), 0));
    const r = await checkout.redeem({ reference: 'f6', points: 100, timeoutMs: 500 });
    expect(r).toMatchObject({ status: 'timeout', debited: 0, reason: 'deadline-passed' });
    expect(h.burns).toEqual([]);
    expect(queue.list()).toEqual([]);
  });

  it('still approves an offline burn within the limits when the host is what is slow (the write was quick)', async () => {
    const h = gatedHost(async () => ({ rewardTrxId: 'R1', accounts: ACCOUNTS })); // never released: no answer
    const { checkout, queue } = service(h, LIMITS);
    const r = await checkout.redeem({ reference: 'f7', points: 100, timeoutMs: 200 });
    expect(r).toMatchObject({ status: 'approved', debited: 100, queued: true });
    expect(h.burns).toEqual([]);
    expect(queue.list().map((o) => [o.kind, o.state, o.offline])).toEqual(
      expect.arrayContaining([['burn', 'abandoned', false], ['burn', 'pending', true]]),
    );
  });

  it("approves no offline burn when waiting for the card's due credits to land took the whole deadline", async () => {
    const h = gatedHost(async () => ({ rewardTrxId: 'R1', accounts: ACCOUNTS }));
    // The host is reachable and the card's earning is due (nobody sends it here): the burn lets it land first,
    // for at most what is left of a deadline shorter than that wait.
    const { checkout, queue } = service(h, LIMITS, Date.now, async () => ({}), true);
    queue.enqueue({ kind: 'earn', card: HAPPY, payload: { amount: 1000, timeStamp: '20300101120000' } });
    const r = await checkout.redeem({ reference: 'f8', points: 100, timeoutMs: 150 });
    expect(r).toMatchObject({ status: 'timeout', debited: 0, reason: 'deadline-passed' });
    expect(h.balances).toBe(0); // the host was asked nothing
    expect(queue.offlineExposure()).toMatchObject({ count: 0 });
    expect(queue.list().map((o) => o.kind)).toEqual(['earn']);
  });
});

describe('a store that refuses the write during the balance call (a full disk)', () => {
  /** Makes the queue's next `times` direct writes fail as a full disk does; counts the writes tried. */
  function refuseWrites(queue: OperationQueue, times: number): { tried: number } {
    const beginDirect = queue.beginDirect.bind(queue);
    const count = { tried: 0 };
    queue.beginDirect = (input) => {
      if (count.tried++ < times) throw new QueueError('QUEUE_ERR_FULL', 'the disk holding the queue is full');
      return beginDirect(input);
    };
    return count;
  }

  it('still tells the POS the host\'s decline, not a storage error', async () => {
    const h = gatedHost(async () => {
      throw new HostError('HOST_ERR_REJECTED', 'unknown card', { outcome: 'rejected', status: 404, hostCode: 'L14' });
    });
    const { checkout, queue } = service(h);
    const writes = refuseWrites(queue, Infinity);
    const answer = checkout.redeem({ reference: 'f1', points: 100 });
    await h.asked;
    await until(() => writes.tried === 1); // refused while the balance call is in flight
    h.release();
    expect(await answer).toMatchObject({ status: 'declined', reason: 'unknown-card' });
    expect(h.burns).toEqual([]);
  });

  it('writes the burn again before its send once the balance is in, and sends it with that record\'s transactionId', async () => {
    const h = gatedHost(async () => ({ rewardTrxId: 'R1', accounts: ACCOUNTS }));
    const { checkout, queue } = service(h);
    const writes = refuseWrites(queue, 1);
    const answer = checkout.redeem({ reference: 'f2', points: 100 });
    await h.asked;
    await until(() => writes.tried === 1);
    h.release();
    const r = await answer;
    expect(r).toMatchObject({ status: 'approved', debited: 100 });
    const ops = queue.reference('f2')!.opIds.map((id) => queue.get(id)!);
    expect(ops.map((o) => [o.kind, o.state])).toEqual([['burn', 'done']]);
    expect(writes.tried).toBe(2);
    expect(h.burns).toEqual([ops[0]!.transactionId]);
    expect(r.transactionId).toBe(ops[0]!.transactionId);
  });

  it('sends nothing when the write that lands after the balance outlasted the POS deadline (a slow disk): the POS no longer waits for its answer', async () => {
    const h = gatedHost(async () => ({ rewardTrxId: 'R1', accounts: ACCOUNTS }));
    let clock = Date.now();
    const { checkout, queue } = service(h, LIMITS, () => clock);
    const writes = refuseWrites(queue, 1);
    const beginDirect = queue.beginDirect.bind(queue);
    queue.beginDirect = (input) => {
      const op = beginDirect(input);
      if (writes.tried === 2) clock += 60_000; // the second try took a minute; the POS's 5 s are long gone
      return op;
    };
    const answer = checkout.redeem({ reference: 'f4', points: 100, timeoutMs: 5000 });
    await h.asked;
    await until(() => writes.tried === 1);
    h.release();
    const r = await answer;
    expect(r).toMatchObject({ status: 'timeout', debited: 0, reason: 'deadline-passed' });
    // What the host received: no burn at all. What the queue holds: the record, abandoned, and no offline burn in
    // its place (the host is there; the terminal was slow). The reference stays free for the POS to try again.
    expect(h.burns).toEqual([]);
    const ops = queue.list();
    expect(ops.map((o) => [o.kind, o.state, o.offline])).toEqual([['burn', 'abandoned', false]]);
    expect(r.transactionId).toBe(ops[0]!.transactionId);
    expect(queue.reference('f4')).toBeUndefined();
    expect(queue.stats().invariantHolds).toBe(true);
  });

  it('sends nothing, and answers the storage error, when the store still refuses it after the balance', async () => {
    const h = gatedHost(async () => ({ rewardTrxId: 'R1', accounts: ACCOUNTS }));
    const { checkout, queue } = service(h);
    const writes = refuseWrites(queue, Infinity);
    const answer = checkout.redeem({ reference: 'f3', points: 100 });
    await h.asked;
    await until(() => writes.tried === 1);
    h.release();
    await expect(answer).rejects.toMatchObject({ code: 'QUEUE_ERR_FULL' });
    expect(writes.tried).toBe(2);
    expect(h.burns).toEqual([]);
  });
});

describe('the overlap with the real undici client', () => {
  let host: RunningHost | undefined;
  let client: RestHostClient | undefined;
  afterEach(async () => {
    await client?.close();
    await host?.close();
  });

  it('puts the balance request on the socket before the burn\'s commit starts, and commits before the answer is in', async () => {
    host = await startHost();
    client = new RestHostClient({ baseUrl: host.url, clientId: 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', clientSecret: 'secret', merchantId: 'IBP000000000162', terminalId: '20690111' });
    await client.ping(); // a kept-alive socket, as on a counter that has been up a while
    const { checkout, queue } = service(client);
    const events: string[] = [];
    const onHeaders = (m: unknown) => {
      const path = String((m as { request?: { path?: string } }).request?.path ?? '');
      events.push(path.startsWith('/api/v1/loyalty/rewards?') ? 'balance sent' : path.includes('/redeem') ? 'burn sent' : 'other sent');
    };
    const onAnswer = (m: unknown) => {
      if (String((m as { request?: { path?: string } }).request?.path ?? '').startsWith('/api/v1/loyalty/rewards?')) events.push('balance answered');
    };
    diagnostics.subscribe('undici:client:sendHeaders', onHeaders);
    diagnostics.subscribe('undici:request:headers', onAnswer);
    const beginDirect = queue.beginDirect.bind(queue);
    queue.beginDirect = (input) => {
      events.push('burn commit');
      return beginDirect(input);
    };
    try {
      for (let i = 0; i < 3; i++) {
        events.length = 0;
        expect(await checkout.redeem({ reference: `o${i}`, points: 10 })).toMatchObject({ status: 'approved' });
        // The host (in this process) can answer only once the loop turns: the commit runs while it works.
        expect(events).toEqual(['balance sent', 'burn commit', 'balance answered', 'burn sent']);
      }
    } finally {
      diagnostics.unsubscribe('undici:client:sendHeaders', onHeaders);
      diagnostics.unsubscribe('undici:request:headers', onAnswer);
    }
  });
});
