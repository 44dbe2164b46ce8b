/**
 * startCounter: a whole emulated counter in process, driven as a consumer drives it (through the public
 * entry `emulator/index.ts`): POS calls over HTTP, swipes on the reader, the host cut and faulted, the ledger read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCounter, CounterError, type Counter } from '../../../emulator/index.js';
import { jsonRequest } from '../../../emulator/stack/index.js';
import { skipWithoutSocat } from '../../support/e2eStack.js';

const post = (c: Counter, path: string, body: unknown) => jsonRequest('POST', `${c.agentUrl}${path}`, body, c.posHeaders);

describe('startCounter, mock reader, REST', () => {
  let c: Counter;
  beforeAll(async () => {
    c = await startCounter({
      reader: 'mock',
      hostTimeoutMs: 1500,
      cards: [{ name: 'regular', pan: '4111111111111111', points: 500, offers: ['Till: 5.00 off'] }],
      offers: [{ name: 'Till: 5.00 off', description: ['5.00 off 20.00'], type: 'discount', value: 500, value_type: 'amount', min_spend: 2000 }],
      balances: { empty: 40 },
    });
  });
  afterAll(() => c?.stop());

  it('takes a redemption through the POS API from a swipe, and the ledger shows the debit', async () => {
    const a = await c.withSwipe('happy', () => post(c, '/v1/redemptions', { reference: 'u-1', points: 150 }));
    expect(a.body).toMatchObject({ status: 'approved', debited: 150, balanceAfter: 2300 });
    const ledger = await c.host.ledger();
    expect(ledger.entries).toContainEqual(expect.objectContaining({ transactionId: a.body.transactionId, kind: 'burn', points: -150, name: 'happy' }));
    expect(ledger.cards.find((x) => x.name === 'happy')?.pan).toBe('628000******0016');
    expect(c.queue({ state: 'done' }).items.map((i) => i.transactionId)).toContain(a.body.transactionId);
  });

  it("knows the consumer's own card, its offer and the balances it was given", async () => {
    expect(await c.host.balanceOf('regular')).toBe(500);
    expect(await c.host.balanceOf('empty')).toBe(40);
    const a = await c.withSwipe('regular', () => post(c, '/v1/checkout', { reference: 'u-2', amount: 2500, acceptOffer: true }));
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ offer: { status: 'applied', benefit: 500 } });
  });

  it('swipes once the agent arms the reader, when the swipe is asked for first', async () => {
    const swiped = c.reader.swipe('empty');
    const a = await post(c, '/v1/redemptions', { reference: 'u-3', points: 30 });
    expect((await swiped).outcome).toBe('acked');
    expect(a.body).toMatchObject({ status: 'approved', debited: 30, balanceAfter: 10 });
  });

  it('cuts the host: earnings queue, the ledger stays readable, drained() waits for the host and then forwards them', async () => {
    await c.host.online(false);
    expect(c.host.isOnline).toBe(false);
    const a = await c.withSwipe('happy', () => post(c, '/v1/earnings', { reference: 'u-4', amount: 1000 }));
    expect(a.body).toMatchObject({ status: 'accepted', queued: true });
    expect(c.queue().stats.pending + c.queue().stats.sending).toBe(1);
    await expect(c.drained({ timeoutMs: 300 })).rejects.toMatchObject({ code: 'COUNTER_ERR_TIMEOUT' });
    expect(await c.host.balanceOf('happy')).toBe(2300);
    await c.host.online(true);
    const stats = await c.drained();
    expect(stats).toMatchObject({ pending: 0, sending: 0, invariantHolds: true });
    expect(await c.host.balanceOf('happy')).toBe(2400);
  });

  it('sets host faults the agent meets, and clears them', async () => {
    expect(await c.host.fault({ endpoint: 'rewards', status: 503 })).toEqual({ rewards: { status: 503 } });
    const a = await c.withSwipe('happy', () => post(c, '/v1/redemptions', { reference: 'u-5', points: 10 }));
    expect(a.body).toMatchObject({ status: 'unavailable' });
    await c.host.clearFaults();
    await expect(c.host.fault({ endpoint: 'rewards', status: 200 })).rejects.toMatchObject({ code: 'COUNTER_ERR_OPTIONS' });
    expect(await c.host.balanceOf('happy')).toBe(2400);
  });

  it('keeps the agent logs, with no card number in them', () => {
    expect(c.logs().length).toBeGreaterThan(3);
    expect(c.logs().join('\n')).not.toMatch(/6280000000000016|4111111111111111/);
  });

  it('runs the POS API with a bearer token by default: refused without it, and never in the logs', async () => {
    expect(c.apiToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const bare = await jsonRequest('POST', `${c.agentUrl}/v1/earnings`, { reference: 'no-token', amount: 100 });
    expect(bare).toMatchObject({ status: 401, body: { error: { code: 'token-required' } } });
    expect(c.logs().join('\n')).not.toContain(c.apiToken as string);
  });

  it('says where a card operation\'s time went in its Server-Timing header', async () => {
    const timed = async (path: string, body: unknown) => {
      const res = await c.withSwipe('happy', () => fetch(`${c.agentUrl}${path}`, { method: 'POST', headers: { ...c.posHeaders, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
      expect(res.status).toBe(200);
      return (res.headers.get('server-timing') ?? '').split(', ').map((part) => {
        const m = /^([a-z]+);dur=([0-9]+\.[0-9]{3})$/.exec(part);
        expect(m, `Server-Timing part "${part}"`).not.toBeNull();
        return [m![1]!, Number(m![2])] as const;
      });
    };
    const burn = await timed('/v1/redemptions', { reference: 'st-1', points: 5 });
    expect(burn.map(([name]) => name)).toEqual(['arm', 'card', 'balance', 'durable', 'burn', 'commit', 'answer']);
    const ms = Object.fromEntries(burn);
    // The burn's record is written while the balance call is in flight: its stage lies inside the balance's.
    expect(ms.durable).toBeLessThanOrEqual(ms.balance!);
    const earn = await timed('/v1/earnings', { reference: 'st-2', amount: 100 });
    expect(earn.map(([name]) => name)).toEqual(['arm', 'card', 'answer']);
  });
});

describe('startCounter with apiToken: false', () => {
  it('runs the POS API without a token', async () => {
    const c = await startCounter({ apiToken: false });
    try {
      expect(c.apiToken).toBeUndefined();
      expect((await jsonRequest('GET', `${c.agentUrl}/v1/queue`)).status).toBe(200);
    } finally {
      await c.stop();
    }
  });
});

describe('startCounter over ISO 8583', () => {
  let c: Counter;
  beforeAll(async () => {
    c = await startCounter({ transport: 'iso8583', hostTimeoutMs: 1500 });
  });
  afterAll(() => c?.stop());

  it('burns through the ISO link, and queues earnings while it is cut', async () => {
    expect(c.host.isoPort).toBeGreaterThan(0);
    const burn = await c.withSwipe('happy', () => post(c, '/v1/redemptions', { reference: 'i-1', points: 100 }));
    expect(burn.body).toMatchObject({ status: 'approved', debited: 100, balanceAfter: 2350 });
    await c.host.online(false);
    const earn = await c.withSwipe('happy', () => post(c, '/v1/earnings', { reference: 'i-2', amount: 500 }));
    expect(earn.body).toMatchObject({ status: 'accepted', queued: true });
    await c.host.online(true);
    await c.drained();
    expect(await c.host.balanceOf('happy')).toBe(2400);
  });
});

describe.skipIf(skipWithoutSocat)('startCounter, reader on a socat PTY', () => {
  let c: Counter;
  beforeAll(async () => {
    c = await startCounter({ reader: 'pty' });
  });
  afterAll(() => c?.stop());

  it('takes a redemption from a swipe over the pseudo-terminal', async () => {
    const a = await c.withSwipe('happy', () => post(c, '/v1/redemptions', { reference: 'p-1', points: 50 }));
    expect(a.body).toMatchObject({ status: 'approved', debited: 50, balanceAfter: 2400 });
    expect(c.health()).toMatchObject({ reader: 'connected', host: 'online' });
  });
});

describe('startCounter options', () => {
  it.each([
    ['a PAN failing Luhn', { cards: [{ name: 'bad', pan: '4111111111111112' }] }, /cards\[8\]\.pan": must pass the Luhn check/],
    ['an offer nobody defined', { cards: [{ name: 'mine', pan: '4111111111111111', offers: ['nope'] }] }, /links offer "nope"/],
    ['a balance for an unknown card', { balances: { nobody: 5 } }, /balances names card "nobody"/],
  ])('refuses %s with COUNTER_ERR_OPTIONS, before starting anything', async (_name, opts, message) => {
    const err = await startCounter(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CounterError);
    expect(err).toMatchObject({ code: 'COUNTER_ERR_OPTIONS', message: expect.stringMatching(message) });
    expect((err as Error).message).not.toContain('4111111111111112');
  });
});
