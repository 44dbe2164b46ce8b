/**
 * The checkout flows as one unit: a scripted host and card reader (stand-ins
 * for the collaborators only), the real durable queue in memory. Each case
 * checks what the POS is told and what the queue holds afterwards, so the
 * store-and-forward rules are visible at this level too.
 */
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { CheckoutService } from '../../../agent/checkout/checkoutService.js';
import { HostError, type HostClient } from '../../../agent/host/hostClient.js';
import type { CardReader } from '../../../agent/cardSources/serial/cardReader.js';
import { ReaderError } from '../../../agent/cardSources/index.js';
import { OperationQueue, QueueError, generateQueueKey, type OfflineLimits } from '../../../agent/queue/index.js';
import { parsePan, parseYymm } from '../../../protocol/pan.js';
import { noAdjustments } from '../../support/noAdjustments.js';

const CARD = { pan: parsePan('6280000000000016'), expiry: parseYymm('3012') };
const ACCOUNTS = [{ accountId: '12', accountName: 'Reward Points', accountType: '1', availableBalance: 500 }];

const reader = (fail?: ReaderError): CardReader => ({
  state: 'connected',
  readCard: async () => {
    if (fail) throw fail;
    return { ...CARD, kind: 'card' };
  },
  counters: () => ({ frames: 0, noiseBytes: 0, badLrc: 0, oversize: 0, truncated: 0, naksSent: 0, invalidCards: 0, reconnects: 0 }),
  close: async () => undefined,
});

/** The card's one live offer here: 10 % off, worth 100 on this sale. */
const offers = async () => [{ cardOfferId: 'cof_1', offerId: 'ofr_1', displayText: 'x', type: 'discount' as const, value: 10, valueType: 'percent' as const, benefit: 100 }];
const LIMITS: OfflineLimits = { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 500, maxTotalPoints: 2000, maxCount: 10, maxAgeS: 3600 };
/** Makes each direct write of `queue` move the injected clock on (`advance`), as a slow disk would. */
function slowDirectWrites(queue: OperationQueue, advance: () => void): void {
  const beginDirect = queue.beginDirect.bind(queue);
  queue.beginDirect = (input) => {
    const op = beginDirect(input);
    advance();
    return op;
  };
}
const unknown = () => new HostError('HOST_ERR_TIMEOUT', 'sent, no answer', { outcome: 'unknown' });
const notSent = () => new HostError('HOST_ERR_CONNECT', 'refused', { outcome: 'not-sent' });
const declined = (hostCode: string) => new HostError('HOST_ERR_REJECTED', 'refused', { outcome: 'rejected', status: 422, hostCode });

/** A host whose answers each test scripts; it records what it was asked. */
function host(script: Partial<Record<'balance' | 'burn' | 'offers' | 'redeemOffer', () => Promise<unknown>>>): HostClient & { calls: string[] } {
  const calls: string[] = [];
  const answer = (name: keyof typeof script, fallback: () => Promise<unknown>) => () => {
    calls.push(name);
    return (script[name] ?? fallback)();
  };
  return {
    calls,
    balance: answer('balance', async () => ({ rewardTrxId: 'R1', accounts: ACCOUNTS })) as HostClient['balance'],
    burn: answer('burn', async () => ({ rewardTrxId: 'R1', accounts: [{ accountId: '12', accountType: '1', debit: 100, balance: 400 }] })) as HostClient['burn'],
    offers: answer('offers', async () => []) as HostClient['offers'],
    redeemOffer: answer('redeemOffer', async () => ({ redemptionId: 'red_1', type: 'discount', benefit: 200 })) as HostClient['redeemOffer'],
    reverse: async () => ({ reversed: true }),
    earn: async () => ({ rewardTrxId: 'R2', accounts: ACCOUNTS }),
    ...noAdjustments,
    ping: async () => undefined,
    close: async () => undefined,
  };
}

const SALE_TIME = new Date(2026, 10, 22, 12, 0, 0).getTime();

function service(h: HostClient, opts: { reader?: CardReader; limits?: OfflineLimits; online?: boolean; now?: () => number } = {}) {
  const queue = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), ...(opts.limits ? { limits: opts.limits } : {}) });
  const checkout = new CheckoutService({
    reader: opts.reader ?? reader(),
    host: h,
    queue,
    forwarder: { online: opts.online ?? false, flush: async () => ({}), onOnlineChange: () => () => undefined },
    logger: pino({ level: 'silent' }),
    now: opts.now ?? (() => SALE_TIME),
  });
  return { checkout, queue };
}

describe('CheckoutService', () => {
  it('approves a burn and records it done, with its transactionId fixed before the send', async () => {
    const h = host({});
    const { checkout, queue } = service(h);
    const r = await checkout.redeem({ reference: 'r', points: 100 });
    expect(r).toMatchObject({ status: 'approved', debited: 100, balanceAfter: 400, card: { pan: '628000******0016' } });
    expect(queue.getByTransactionId(r.transactionId)).toMatchObject({ kind: 'burn', state: 'done' });
    expect(h.calls).toEqual(['balance', 'burn']);
  });

  it('turns a burn with no answer into a durable reversal and tells the POS it did not go through', async () => {
    const { checkout, queue } = service(host({ burn: () => Promise.reject(unknown()) }));
    const r = await checkout.redeem({ reference: 'r', points: 100 });
    expect(r).toMatchObject({ status: 'unavailable', reason: 'no-answer-reversed', debited: 0 });
    expect(queue.getByTransactionId(r.transactionId)).toMatchObject({ state: 'dead' });
    expect(queue.getByTransactionId(`${r.transactionId}-rev`)).toMatchObject({ kind: 'reversal', state: 'pending', payload: { originalTransactionId: r.transactionId } });
    expect(queue.stats().invariantHolds).toBe(true);
  });

  it('records a burn that never left as abandoned (not dead-letter), with nothing to reverse, and frees the reference', async () => {
    const { checkout, queue } = service(host({ burn: () => Promise.reject(notSent()) }));
    const r = await checkout.redeem({ reference: 'r', points: 100 });
    expect(r).toMatchObject({ status: 'unavailable', reason: 'host-unreachable' });
    expect(queue.getByTransactionId(r.transactionId)).toMatchObject({ state: 'abandoned', deadReason: 'not-sent' });
    expect(queue.stats()).toMatchObject({ pending: 0, dead: 0, abandoned: 1, invariantHolds: true });
    expect(queue.reference('r')).toBeUndefined();
  });

  it('declines when the host refuses the burn (the balance moved meanwhile)', async () => {
    const { checkout, queue } = service(host({ burn: () => Promise.reject(declined('L51')) }));
    const r = await checkout.redeem({ reference: 'r', points: 100 });
    expect(r).toMatchObject({ status: 'declined', reason: 'insufficient-points', debited: 0 });
    expect(queue.getByTransactionId(r.transactionId)).toMatchObject({ state: 'dead', deadReason: 'insufficient-points' });
  });

  it('declines before any burn when the accounts cannot cover the points', async () => {
    const h = host({});
    const { checkout, queue } = service(h);
    expect(await checkout.redeem({ reference: 'r', points: 501 })).toMatchObject({ status: 'declined', reason: 'insufficient-points', balanceAfter: 500 });
    expect(h.calls).toEqual(['balance']);
    expect(queue.stats().counters.accepted).toBe(0);
  });

  it('approves offline only within the limits when the host is unreachable', async () => {
    const limits = { enabled: true, unknownCards: 'allow' as const, maxPointsPerTxn: 150, maxTotalPoints: 200, maxCount: 5, maxAgeS: 3600 };
    const { checkout, queue } = service(host({ balance: () => Promise.reject(notSent()) }), { limits });
    const a = await checkout.redeem({ reference: 'a', points: 150 });
    expect(a).toMatchObject({ status: 'approved', queued: true, debited: 150, balanceAfter: null });
    expect(queue.getByTransactionId(a.transactionId)).toMatchObject({ kind: 'burn', offline: true, state: 'pending' });
    // 150 outstanding + 100 is over maxTotalPoints (200).
    expect(await checkout.redeem({ reference: 'b', points: 100 })).toMatchObject({ status: 'unavailable', debited: 0 });
    expect(queue.stats().offline).toEqual({ count: 1, points: 150 });
  });

  it('says unavailable (not approved) when offline burns are off', async () => {
    const { checkout } = service(host({ balance: () => Promise.reject(notSent()) }));
    expect(await checkout.redeem({ reference: 'r', points: 10 })).toMatchObject({ status: 'unavailable', reason: 'host-unreachable' });
  });

  it('answers timeout when no card comes, and runs one card operation at a time', async () => {
    const { checkout } = service(host({}), { reader: reader(new ReaderError('READER_ERR_TIMEOUT', 'no card')) });
    expect(await checkout.earn({ reference: 'e', amount: 100 })).toEqual({ status: 'timeout', reason: 'no-card' });
    const invalid = service(host({}), { reader: reader(new ReaderError('READER_ERR_CARD_INVALID', 'bad', { reason: 'luhn' })) }).checkout;
    expect(await invalid.redeem({ reference: 'r', points: 1 })).toMatchObject({ status: 'declined', reason: 'card-invalid:luhn' });
    const slow: CardReader = { ...reader(), readCard: () => new Promise(() => undefined) };
    const busy = service(host({}), { reader: slow }).checkout;
    void busy.redeem({ reference: 'first', points: 1 });
    await expect(busy.redeem({ reference: 'second', points: 1 })).rejects.toMatchObject({ code: 'CHECKOUT_ERR_BUSY' });
  });

  it('writes an earning durably before answering, queued while the host is away', async () => {
    const { checkout, queue } = service(host({}));
    const r = await checkout.earn({ reference: 'e', amount: 1234 });
    expect(r).toMatchObject({ status: 'accepted', queued: true });
    expect(queue.getByTransactionId((r as { transactionId: string }).transactionId)).toMatchObject({ kind: 'earn', state: 'pending', payload: { amount: 1234, timeStamp: '20261122120000' } });
  });

  it('checks out: applies the best offer, burns what is left to pay, earns on the rest', async () => {
    const offers = async () => [
      { cardOfferId: 'cof_1', offerId: 'ofr_1', displayText: 'small', type: 'discount' as const, value: 5, valueType: 'percent' as const, benefit: 100 },
      { cardOfferId: 'cof_2', offerId: 'ofr_2', displayText: 'big', type: 'discount' as const, value: 10, valueType: 'percent' as const, benefit: 200 },
    ];
    const { checkout, queue } = service(host({ offers }));
    const r = await checkout.checkout({ reference: 'c', amount: 2000, redeemPoints: 100, acceptOffer: true });
    expect(r).toMatchObject({ offer: { status: 'applied', cardOfferId: 'cof_2', benefit: 200 }, redemption: { status: 'approved', debited: 100 }, amountDue: 1700 });
    const earning = (r as { earning: { transactionId: string } }).earning;
    expect(queue.getByTransactionId(earning.transactionId)).toMatchObject({ payload: { amount: 1700 } });
  });

  it('answers a checkout whose earning the store refused after its burn went through: the burn approved, the earning not recorded', async () => {
    const { checkout, queue } = service(host({}));
    const enqueue = queue.enqueue.bind(queue);
    vi.spyOn(queue, 'enqueue').mockImplementation((input) => {
      if (input.kind === 'earn') throw new QueueError('QUEUE_ERR_FULL', 'the disk is full (SQLITE_FULL)');
      return enqueue(input);
    });
    // Before, the POS heard a 503 storage error ("nothing was accepted") for a burn the host had applied.
    const r = await checkout.checkout({ reference: 'c', amount: 2000, redeemPoints: 100 });
    expect(r).toMatchObject({ redemption: { status: 'approved', debited: 100 }, earning: { status: 'unavailable', reason: 'not-recorded' }, amountDue: 1900 });
    const burn = (r as { redemption: { transactionId: string } }).redemption;
    expect(queue.getByTransactionId(burn.transactionId)).toMatchObject({ kind: 'burn', state: 'done' });
    expect(queue.list({}).filter((o) => o.kind === 'earn' || o.kind === 'reversal')).toEqual([]);
  });

  it('answers the same to a retry of that checkout when its answer could not be recorded either (a full disk)', async () => {
    const { checkout, queue } = service(host({}));
    const enqueue = queue.enqueue.bind(queue);
    const full = () => new QueueError('QUEUE_ERR_FULL', 'the disk is full (SQLITE_FULL)');
    vi.spyOn(queue, 'enqueue').mockImplementation((input) => {
      if (input.kind === 'earn') throw full();
      return enqueue(input);
    });
    vi.spyOn(queue, 'recordAnswer').mockImplementation(() => {
      throw full();
    });
    const first = await checkout.checkout({ reference: 'c-full', amount: 2000, redeemPoints: 100 });
    const again = await checkout.checkout({ reference: 'c-full', amount: 2000, redeemPoints: 100 });
    // The retry's answer is rebuilt from the queue: it said `earning: null` ("nothing was due") before.
    expect(again).toMatchObject({ recovered: true, redemption: { status: 'approved', debited: 100 }, earning: { status: 'unavailable', reason: 'not-recorded' }, amountDue: 1900 });
    expect(first).toMatchObject({ earning: { status: 'unavailable', reason: 'not-recorded' }, amountDue: 1900 });
  });

  it('answers the checkout, not a storage error, when its offer redemption is queued for a resend and the earning is refused', async () => {
    const { checkout, queue } = service(host({ offers, redeemOffer: () => Promise.reject(unknown()) }));
    const enqueue = queue.enqueue.bind(queue);
    vi.spyOn(queue, 'enqueue').mockImplementation((input) => {
      if (input.kind === 'earn') throw new QueueError('QUEUE_ERR_FULL', 'the disk is full (SQLITE_FULL)');
      return enqueue(input);
    });
    // The offer redemption will be resent and applied: a 503 ("nothing was accepted") was wrong.
    const r = await checkout.checkout({ reference: 'c-offer', amount: 1000, acceptOffer: true });
    expect(r).toMatchObject({ offer: { status: 'unavailable', reason: 'no-answer-queued' }, earning: { status: 'unavailable', reason: 'not-recorded' } });
    const id = (r as { offer: { transactionId: string } }).offer.transactionId;
    expect(queue.getByTransactionId(id)).toMatchObject({ kind: 'offer-redeem', state: 'pending' });
  });

  it('still answers a storage error when nothing of the checkout went through before its earning was refused', async () => {
    const { checkout, queue } = service(host({ burn: () => Promise.reject(declined('L04')) }));
    vi.spyOn(queue, 'enqueue').mockImplementation(() => {
      throw new QueueError('QUEUE_ERR_FULL', 'the disk is full (SQLITE_FULL)');
    });
    await expect(checkout.checkout({ reference: 'c', amount: 2000, redeemPoints: 100 })).rejects.toMatchObject({ code: 'QUEUE_ERR_FULL' });
  });

  // The deadlines run on the injected clock: a test clock that jumps past the deadline ends the wait at once
  // (on the wall clock these host calls would wait out the whole timeoutMs, over this test's 2 s limit).
  it('times a host call out on the injected clock: a card read that took most of the budget leaves the balance no time', async () => {
    let now = Date.now(); // from the wall clock's present, so that only the test clock's jumps can pass the deadline
    const slowRead: CardReader = { ...reader(), readCard: async () => ((now += 9_000), { ...CARD, kind: 'card' }) };
    const h = host({ balance: () => ((now += 5_000), new Promise(() => undefined)) });
    const { checkout, queue } = service(h, { reader: slowRead, now: () => now });
    expect(await checkout.redeem({ reference: 'r', points: 100, timeoutMs: 10_000 })).toMatchObject({ status: 'timeout', reason: 'host-timeout', debited: 0 });
    expect(h.calls).toEqual(['balance']);
    expect(queue.stats().counters.accepted).toBe(0);
  }, 2000);

  it('asks the host nothing when the card read used up the whole budget (the swipe came at the deadline)', async () => {
    let now = Date.now();
    const slowRead: CardReader = { ...reader(), readCard: async () => ((now += 10_000), { ...CARD, kind: 'card' }) };
    const h = host({ balance: () => new Promise(() => undefined) });
    const { checkout, queue } = service(h, { reader: slowRead, now: () => now, limits: LIMITS });
    expect(await checkout.redeem({ reference: 'r', points: 100, timeoutMs: 10_000 })).toMatchObject({ status: 'timeout', reason: 'deadline-passed', debited: 0 });
    expect(h.calls).toEqual([]);
    expect(queue.stats().counters.accepted).toBe(0); // no record, and no offline burn in its place
  }, 2000);

  it('reverses a direct burn whose answer the injected clock says came too late', async () => {
    let now = Date.now();
    const h = host({
      balance: async () => ((now += 5_000), { rewardTrxId: 'R1', accounts: ACCOUNTS }),
      burn: () => ((now += 5_000), new Promise(() => undefined)),
    });
    const { checkout, queue } = service(h, { now: () => now });
    const r = await checkout.redeem({ reference: 'r', points: 100, timeoutMs: 10_000 });
    expect(r).toMatchObject({ status: 'timeout', reason: 'no-answer-reversed', debited: 0 });
    expect(h.calls).toEqual(['balance', 'burn']);
    expect(queue.getByTransactionId(r.transactionId)).toMatchObject({ kind: 'burn', state: 'dead' });
    expect(queue.getByTransactionId(`${r.transactionId}-rev`)).toMatchObject({ kind: 'reversal', state: 'pending' });
  }, 2000);

  it('sends no offer redemption whose durable write outlasted the POS deadline (a slow disk), and gives no discount', async () => {
    let now = Date.now();
    const h = host({ offers, redeemOffer: async () => ({ redemptionId: 'red_1', type: 'discount', benefit: 100 }) });
    const { checkout, queue } = service(h, { now: () => now });
    slowDirectWrites(queue, () => (now += 60_000)); // the commit takes a minute
    const r = await checkout.checkout({ reference: 'c-slow', amount: 1000, acceptOffer: true, timeoutMs: 5000 });
    expect(r).toMatchObject({ offer: { status: 'unavailable', reason: 'deadline-passed', benefit: 0 }, amountDue: 1000 });
    expect(h.calls).toEqual(['offers']); // the host never heard of the redemption
    const id = (r as { offer: { transactionId: string } }).offer.transactionId;
    expect(queue.getByTransactionId(id)).toMatchObject({ kind: 'offer-redeem', state: 'abandoned' });
  });

  it('burns nothing, online or offline, in a checkout whose offer step already used up the deadline', async () => {
    let now = Date.now();
    const h = host({ offers, redeemOffer: async () => ({ redemptionId: 'red_1', type: 'discount', benefit: 100 }), balance: async () => ({ rewardTrxId: 'R1', accounts: ACCOUNTS }) });
    const { checkout, queue } = service(h, { now: () => now, limits: LIMITS });
    slowDirectWrites(queue, () => (now += 60_000)); // the commit takes a minute
    const r = await checkout.checkout({ reference: 'c-late', amount: 1000, acceptOffer: true, redeemPoints: 200, timeoutMs: 5000 });
    expect(r).toMatchObject({ offer: { reason: 'deadline-passed' }, redemption: { status: 'timeout', debited: 0, reason: 'deadline-passed' }, amountDue: 1000 });
    expect(h.calls).toEqual(['offers']); // no redemption, no balance, no burn reached the host
    expect(queue.offlineExposure()).toMatchObject({ count: 0 });
    expect(queue.list({ state: 'pending' }).map((o) => o.kind)).toEqual(['earn']); // the earning on the whole amount
  });

  it('leaves an offer redemption with no answer queued for a resend, and gives no discount now', async () => {
    const { checkout, queue } = service(host({ offers, redeemOffer: () => Promise.reject(unknown()) }));
    const r = await checkout.checkout({ reference: 'c', amount: 1000, acceptOffer: true });
    expect(r).toMatchObject({ offer: { status: 'unavailable', reason: 'no-answer-queued', benefit: 0 }, amountDue: 1000 });
    const id = (r as { offer: { transactionId: string } }).offer.transactionId;
    expect(queue.getByTransactionId(id)).toMatchObject({ kind: 'offer-redeem', state: 'pending' });
  });
});

describe('pending work and pending debits (DESIGN.md, rules 5 and 9)', () => {
  it('refuses no burn for the card\'s queued work: an earning and the reversal of another burn wait, the burn goes at once', async () => {
    const h = host({});
    const { checkout, queue } = service(h, { online: true });
    queue.enqueue({ kind: 'earn', card: CARD, payload: { amount: 1000, timeStamp: '20261122120000' } });
    const lost = queue.beginDirect({ kind: 'burn', card: CARD, payload: { points: 10 } });
    queue.unknownOutcome(lost.id, 'response timeout'); // its reversal is pending for the card
    const r = await checkout.redeem({ reference: 'busy-card', points: 100 });
    expect(r).toMatchObject({ status: 'approved', debited: 100 });
    expect(h.calls).toEqual(['balance', 'burn']);
    expect(queue.stats()).toMatchObject({ pending: 2, invariantHolds: true });
  });

  it('counts the card\'s offline burns not yet applied against the host\'s balance online', async () => {
    let mandates: unknown;
    const h = host({ burn: async () => ({ rewardTrxId: 'R1', accounts: [{ accountId: '12', accountType: '1', debit: 200, balance: 300 }] }) });
    const burn = h.burn.bind(h);
    h.burn = (req) => ((mandates = req.mandates), burn(req));
    const { checkout, queue } = service(h, { online: true, limits: LIMITS });
    expect(queue.tryEnqueueOfflineBurn({ card: CARD, payload: { points: 300 } }).ok).toBe(true);
    // The host says 500; 300 of it is spent already by the offline burn it has not applied yet: 200 left.
    const over = await checkout.redeem({ reference: 'pd-1', points: 201 });
    expect(over).toMatchObject({ status: 'declined', reason: 'insufficient-points', balanceAfter: 200, debited: 0 });
    const fits = await checkout.redeem({ reference: 'pd-2', points: 200 });
    expect(fits).toMatchObject({ status: 'approved', debited: 200 });
    expect(mandates).toEqual([{ accountId: '12', accountType: '1', debit: 200 }]);
  });

  it('counts an open earn reversal (a return) against the host\'s balance online', async () => {
    const h = host({});
    const { checkout, queue } = service(h, { online: true });
    queue.enqueue({ kind: 'earn-reversal', card: CARD, payload: { originalTransactionId: 'sale-earn', part: { points: 300, kept: 0 } } });
    expect(await checkout.redeem({ reference: 'er-1', points: 201 })).toMatchObject({ status: 'declined', reason: 'insufficient-points', balanceAfter: 200 });
    expect(await checkout.redeem({ reference: 'er-2', points: 200 })).toMatchObject({ status: 'approved', debited: 200 });
  });

  it('earns on a card refused before when the host refuses only the enquiry, not the card', async () => {
    const h = host({ balance: async () => { throw declined('L30'); } });
    const { checkout, queue } = service(h, { online: true });
    queue.rememberRefusal(CARD, 'unknown-card');
    const r = await checkout.earn({ reference: 'e-l30', amount: 1000, timeoutMs: 200 });
    expect(r).toMatchObject({ status: 'accepted', queued: true });
    expect(h.calls).toEqual(['balance']);
  });

  it('tells onRefusal each "no" of a first call, and not again for its replay', async () => {
    const refusals: unknown[] = [];
    const h = host({ balance: async () => { throw declined('L14'); } });
    const queue = OperationQueue.open({ path: ':memory:', key: generateQueueKey() });
    const checkout = new CheckoutService(
      { reader: reader(), host: h, queue, forwarder: { online: true, flush: async () => ({}), onOnlineChange: () => () => undefined }, logger: pino({ level: 'silent' }), now: () => SALE_TIME },
      { onRefusal: (r) => refusals.push(r) },
    );
    expect(await checkout.redeem({ reference: 'no-1', points: 10 })).toMatchObject({ status: 'declined', reason: 'unknown-card' });
    expect(await checkout.redeem({ reference: 'no-1', points: 10 })).toMatchObject({ status: 'declined', reason: 'unknown-card' });
    expect(refusals).toEqual([{ step: 'burn', reason: 'unknown-card' }]);
    // The host's refusal of the card is remembered for the offline stand-in.
    expect(queue.cardRefusal(CARD)).toBe('unknown-card');
  });
});
