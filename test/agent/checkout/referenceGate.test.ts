/**
 * `reference` as the POS's idempotency key, at the checkout level: a scripted
 * host and reader that count what they are asked, and the real queue on a
 * file, reopened to play an agent restart.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckoutError, CheckoutService } from '../../../agent/checkout/checkoutService.js';
import { HostError, type HostClient } from '../../../agent/host/hostClient.js';
import type { CardReader } from '../../../agent/cardSources/serial/cardReader.js';
import { ReaderError } from '../../../agent/cardSources/index.js';
import { OperationQueue, generateQueueKey } from '../../../agent/queue/index.js';
import { parsePan, parseYymm } from '../../../protocol/pan.js';
import { tempDir } from '../queue/queueTestKit.js';
import { noAdjustments } from '../../support/noAdjustments.js';

const CARD = { pan: parsePan('6280000000000016'), expiry: parseYymm('3012') };
const ACCOUNTS = [{ accountId: '12', accountName: 'Reward Points', accountType: '1', availableBalance: 500 }];
const key = generateQueueKey();

/** A reader that counts its reads; `next` scripts the next one. */
function countingReader() {
  const r = {
    reads: 0,
    next: undefined as ReaderError | undefined,
    state: 'connected' as const,
    readCard: async () => {
      r.reads++;
      const fail = r.next;
      r.next = undefined;
      if (fail) throw fail;
      return { ...CARD, kind: 'card' as const };
    },
    counters: () => ({ frames: 0, noiseBytes: 0, badLrc: 0, oversize: 0, truncated: 0, naksSent: 0, invalidCards: 0, reconnects: 0 }),
    close: async () => undefined,
  };
  return r;
}

/** A host that counts calls; `burnGate` (when set) holds the burn's answer until released. */
function countingHost() {
  const h = {
    calls: [] as string[],
    burnGate: undefined as Promise<void> | undefined,
    balance: async () => {
      h.calls.push('balance');
      return { rewardTrxId: 'R1', accounts: ACCOUNTS };
    },
    burn: async () => {
      h.calls.push('burn');
      await h.burnGate;
      return { rewardTrxId: 'R1', accounts: [{ accountId: '12', accountType: '1', debit: 100, balance: 400 }] };
    },
    reverse: async () => ({ reversed: true }),
    earn: async () => ({ rewardTrxId: 'R2', accounts: ACCOUNTS }),
    offers: async () => [],
    redeemOffer: async () => ({ redemptionId: 'x', type: 'discount' as const, benefit: 0 }),
    ...noAdjustments,
    ping: async () => undefined,
    close: async () => undefined,
  };
  return h;
}

let tmp: ReturnType<typeof tempDir>;
let queue: OperationQueue;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  queue.close();
  tmp.cleanup();
});

function agent(h: HostClient, reader: CardReader): CheckoutService {
  queue = OperationQueue.open({ path: join(tmp.dir, 'q.db'), key });
  return new CheckoutService({
    reader,
    host: h,
    queue,
    forwarder: { online: false, flush: async () => ({}), onOnlineChange: () => () => undefined },
    logger: pino({ level: 'silent' }),
    now: () => new Date(2026, 10, 22, 12, 0, 0).getTime(),
  });
}

const codeOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'resolved',
    (err: unknown) => (err instanceof CheckoutError ? err.code : String(err)),
  );

describe('reference as the idempotency key', () => {
  it('replays a final answer after an agent restart: no swipe, no host call', async () => {
    const h = countingHost();
    const rd = countingReader();
    const first = await agent(h, rd).redeem({ reference: 'r1', points: 100 });
    expect(first).toMatchObject({ status: 'approved', debited: 100, balanceAfter: 400 });
    queue.close();
    const again = await agent(h, rd).redeem({ reference: 'r1', points: 100, timeoutMs: 5000 });
    expect(again).toEqual(first);
    expect(h.calls).toEqual(['balance', 'burn']);
    expect(rd.reads).toBe(1);
  });

  it('refuses the same reference with another body or another operation, sending nothing', async () => {
    const h = countingHost();
    const rd = countingReader();
    const checkout = agent(h, rd);
    await checkout.redeem({ reference: 'r1', points: 100 });
    expect(await codeOf(checkout.redeem({ reference: 'r1', points: 101 }))).toBe('CHECKOUT_ERR_REFERENCE_CONFLICT');
    expect(await codeOf(checkout.earn({ reference: 'r1', amount: 100 }))).toBe('CHECKOUT_ERR_REFERENCE_CONFLICT');
    expect(h.calls).toEqual(['balance', 'burn']);
    expect(rd.reads).toBe(1);
  });

  it('a retry while the first call runs waits for it and gets the same answer; past its own budget it gets IN_PROGRESS', async () => {
    const h = countingHost();
    let release!: () => void;
    h.burnGate = new Promise<void>((r) => (release = r));
    const rd = countingReader();
    const checkout = agent(h, rd);
    const first = checkout.redeem({ reference: 'r1', points: 100 });
    await new Promise((r) => setTimeout(r, 20)); // the burn is in flight
    expect(await codeOf(checkout.redeem({ reference: 'r1', points: 100, timeoutMs: 100 }))).toBe('CHECKOUT_ERR_IN_PROGRESS');
    expect(checkout.operation('r1')).toMatchObject({ state: 'running', kind: 'redemption' });
    const second = checkout.redeem({ reference: 'r1', points: 100 });
    release();
    expect(await second).toEqual(await first);
    expect(h.calls).toEqual(['balance', 'burn']);
    expect(rd.reads).toBe(1);
  });

  it('outcomes where nothing reached the host are not final: no card, a card that failed Luhn', async () => {
    const h = countingHost();
    const rd = countingReader();
    const checkout = agent(h, rd);
    rd.next = new ReaderError('READER_ERR_TIMEOUT', 'no card');
    expect(await checkout.redeem({ reference: 'r1', points: 100 })).toMatchObject({ status: 'timeout', reason: 'no-card' });
    expect(checkout.operation('r1')).toBeUndefined();
    expect(await checkout.redeem({ reference: 'r1', points: 100 })).toMatchObject({ status: 'approved' });
    expect(rd.reads).toBe(2);
  });

  it('a host decline is final even with nothing queued', async () => {
    const h = countingHost();
    const rd = countingReader();
    const checkout = agent(h, rd);
    expect(await checkout.redeem({ reference: 'big', points: 501 })).toMatchObject({ status: 'declined', reason: 'insufficient-points' });
    expect(await checkout.redeem({ reference: 'big', points: 501 })).toMatchObject({ status: 'declined', reason: 'insufficient-points' });
    expect(h.calls).toEqual(['balance']);
  });

  it('rebuilds the answer when the agent stopped between the approval commit and the answer: approved, from the queue', async () => {
    const h = countingHost();
    const rd = countingReader();
    agent(h, rd);
    const ref = { reference: 'r9', kind: 'redemption' as const, body: '{"points":100,"reference":"r9"}' };
    const op = queue.beginDirect({ kind: 'burn', card: CARD, payload: { rewardTrxId: 'R1', mandates: [{ accountId: '12', accountType: '1', debit: 100 }], points: 100 }, transactionId: 't9', ref });
    queue.completeDirect(op.id, { rewardTrxId: 'R1', accounts: [{ accountId: '12', accountType: '1', debit: 100, balance: 400 }] });
    queue.close(); // the crash: no answer recorded
    const after = agent(h, rd);
    expect(await after.redeem({ reference: 'r9', points: 100 })).toEqual({
      status: 'approved',
      transactionId: 't9',
      card: { pan: '628000******0016', kind: 'card' },
      debited: 100,
      balanceAfter: 400,
    });
    expect(h.calls).toEqual([]);
    expect(rd.reads).toBe(0);
  });

  it('a burn interrupted mid-send by a restart is reversed, and its retry hears that it did not go through', async () => {
    const h = countingHost();
    const rd = countingReader();
    agent(h, rd);
    const ref = { reference: 'r7', kind: 'redemption' as const, body: '{"points":100,"reference":"r7"}' };
    queue.beginDirect({ kind: 'burn', card: CARD, payload: { rewardTrxId: 'R1', mandates: [{ accountId: '12', accountType: '1', debit: 100 }], points: 100 }, transactionId: 't7', ref });
    queue.close(); // SIGKILL with the burn on the wire
    const after = agent(h, rd);
    expect(await after.redeem({ reference: 'r7', points: 100 })).toMatchObject({ status: 'unavailable', reason: 'no-answer-reversed', debited: 0, transactionId: 't7' });
    expect(after.operation('r7')?.operations.map((o) => [o.transactionId, o.kind, o.state])).toEqual([
      ['t7', 'burn', 'dead'],
      ['t7-rev', 'reversal', 'pending'],
    ]);
    expect(rd.reads).toBe(0);
  });

  it('an earning is final once durable: the retry hears "accepted" with the same transactionId', async () => {
    const h = countingHost();
    const rd = countingReader();
    const checkout = agent(h, rd);
    const first = await checkout.earn({ reference: 'e1', amount: 100 });
    expect(first).toMatchObject({ status: 'accepted', queued: true });
    expect(await checkout.earn({ reference: 'e1', amount: 100 })).toEqual(first);
    expect(rd.reads).toBe(1);
    expect(queue.stats().counters.accepted).toBe(1);
  });

  it('a host that cannot be reached before the burn leaves frees the reference', async () => {
    const h = countingHost();
    h.burn = async () => {
      h.calls.push('burn');
      throw new HostError('HOST_ERR_CONNECT', 'refused', { outcome: 'not-sent' });
    };
    const rd = countingReader();
    const checkout = agent(h, rd);
    expect(await checkout.redeem({ reference: 'r5', points: 100 })).toMatchObject({ status: 'unavailable', reason: 'host-unreachable' });
    expect(checkout.operation('r5')).toBeUndefined();
    await checkout.redeem({ reference: 'r5', points: 100 });
    expect(rd.reads).toBe(2);
  });
});
