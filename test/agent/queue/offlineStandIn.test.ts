/**
 * The offline stand-in in the store (DESIGN.md, "Offline stand-in" and rule 9): what the terminal learnt of a card
 * online (its balance, the host's refusal of it) decides the offline burns and earnings it approves. The card
 * memory is keyed by the card's fingerprint, sealed, survives a restart, is pruned by retention and forgotten by a
 * rekey. Figures are hand-worked from the limits and balances written here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateQueueKey, OperationQueue, rekeyQueue, type OfflineLimits } from '../../../agent/queue/index.js';
import type { CardRef } from '../../../protocol/cardRef.js';
import { parseYymm } from '../../../protocol/pan.js';
import { card, clock, EMPTY, HAPPY, tempDir } from './queueTestKit.js';

const LIMITS: OfflineLimits = { enabled: true, maxPointsPerTxn: 1000, maxTotalPoints: 5000, maxCount: 10, maxAgeS: 3600, balanceMaxAgeS: 600 };
const EXPIRED = card('expired');

let tmp: ReturnType<typeof tempDir>;
let q: OperationQueue | undefined;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  q?.close();
  q = undefined;
  tmp.cleanup();
});

function burn(c: CardRef, points: number): string {
  const r = (q as OperationQueue).tryEnqueueOfflineBurn({ card: c, payload: { points } });
  return r.ok ? 'approved' : r.reason.code;
}

describe('offline burns stand in on what the terminal knows of the card', () => {
  it('refuses a card never seen online here, unless offline.unknownCards is allow', () => {
    q = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), limits: LIMITS });
    expect(burn(HAPPY, 10)).toBe('offline-card-not-seen');
    q.limits = { ...LIMITS, unknownCards: 'allow' };
    expect(burn(HAPPY, 10)).toBe('approved');
  });

  it('caps offline burns at the last known balance less the pending debits: two burns never spend more than the card had', () => {
    const c = clock();
    q = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), limits: LIMITS, now: c.now });
    q.rememberBalance(HAPPY, 300);
    expect(burn(HAPPY, 200)).toBe('approved');
    expect(q.pendingDebits(HAPPY)).toBe(200);
    expect(burn(HAPPY, 200)).toBe('offline-over-known-balance'); // 200 + 200 > 300
    expect(burn(HAPPY, 100)).toBe('approved'); // 200 + 100 = 300
    expect(burn(HAPPY, 1)).toBe('offline-over-known-balance');
    expect(burn(EMPTY, 1)).toBe('offline-card-not-seen'); // another card's balance is not this one's
    // Past offline.balanceMaxAgeS the balance is no longer stood in on.
    c.advance(601_000);
    q.limits = { ...LIMITS, maxAgeS: 100_000 };
    expect(burn(HAPPY, 1)).toBe('offline-card-not-seen');
  });

  it('declines an expired card (by the terminal clock) and a card the host refused online, for the same reason', () => {
    const c = clock(Date.UTC(2030, 5, 15));
    q = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), limits: { ...LIMITS, unknownCards: 'allow' }, now: c.now });
    const r = q.tryEnqueueOfflineBurn({ card: EXPIRED, payload: { points: 10 } });
    expect(r).toMatchObject({ ok: false, reason: { code: 'offline-expired-card', decline: 'expired-card' } });
    expect(q.cardRefusal(EXPIRED)).toBe('expired-card');
    // Valid through the end of its month: 06/30 is not expired on 2030-06-15, 05/30 is.
    expect(q.cardRefusal({ pan: HAPPY.pan, expiry: parseYymm('3006') })).toBeNull();
    expect(q.cardRefusal({ pan: HAPPY.pan, expiry: parseYymm('3005') })).toBe('expired-card');

    q.rememberRefusal(EMPTY, 'unknown-card');
    expect(q.tryEnqueueOfflineBurn({ card: EMPTY, payload: { points: 10 } })).toMatchObject({ ok: false, reason: { code: 'offline-card-refused', decline: 'unknown-card' } });
    expect(q.cardRefusal(EMPTY)).toBe('unknown-card');
    // The host answering for the card again clears it.
    c.advance(1000);
    q.rememberBalance(EMPTY, 50);
    expect(q.cardRefusal(EMPTY)).toBeNull();
    expect(burn(EMPTY, 50)).toBe('approved');
    expect(q.stats()).toMatchObject({ offline: { count: 1, points: 50 }, invariantHolds: true });
  });

  it('learns from the answers the store settles: a burn applied sets the balance, a refused earning the refusal; an older answer never overwrites a newer', () => {
    const c = clock();
    q = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), limits: LIMITS, now: c.now });
    const b = q.beginDirect({ kind: 'burn', card: HAPPY, payload: { points: 100 } });
    q.completeDirect(b.id, { rewardTrxId: 'r', accounts: [{ accountId: '1', accountType: '1', debit: 100, balance: 150 }] });
    expect(burn(HAPPY, 151)).toBe('offline-over-known-balance');
    expect(burn(HAPPY, 150)).toBe('approved');

    const e = q.enqueue({ kind: 'earn', card: EMPTY, payload: { amount: 100, timeStamp: '20300101120000' } });
    expect(q.claim({ maxCards: 4, chainLength: 4 }).flat().map((o) => o.id)).toContain(e.id);
    q.settle([{ id: e.id, outcome: 'dead', reason: 'HOST_ERR_REJECTED status 404 host code L14: unknown', refusal: 'unknown-card' }]);
    expect(q.get(e.id)).toMatchObject({ state: 'dead', refusal: 'unknown-card' });
    expect(q.cardRefusal(EMPTY)).toBe('unknown-card');
    expect(q.refusedAfterYes()).toEqual([{ kind: 'earn', reason: 'unknown-card', count: 1 }]);

    // An earning's answer from before the refusal, committed after it, does not bring the card back.
    const late = q.enqueue({ kind: 'earn', card: EMPTY, payload: { amount: 100, timeStamp: '20300101120000' } });
    expect(q.claim({ maxCards: 4, chainLength: 4 }).flat().map((o) => o.id)).toEqual([late.id]);
    q.settle([{ id: late.id, outcome: 'done', result: { accounts: [{ availableBalance: 900 }] }, answeredAt: c.now() - 1 }]);
    expect(q.cardRefusal(EMPTY)).toBe('unknown-card');
  });
});

describe('what the host will still take counts against the known balance (rule 9)', () => {
  it('counts a direct burn whose answer never came, while its reversal is open: applied or not, nobody knows yet', () => {
    q = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), limits: LIMITS });
    q.rememberBalance(HAPPY, 1000);
    const lost = q.beginDirect({ kind: 'burn', card: HAPPY, payload: { points: 800 } });
    q.unknownOutcome(lost.id, 'response timeout');
    expect(burn(HAPPY, 300)).toBe('offline-over-known-balance'); // 1000 - 800 < 300
    expect(burn(HAPPY, 200)).toBe('approved');
  });

  it('counts an open earn reversal (a return) as points the host will take back', () => {
    q = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), limits: LIMITS });
    q.rememberBalance(HAPPY, 500);
    q.enqueue({ kind: 'earn-reversal', card: HAPPY, payload: { originalTransactionId: 'sale-earn', part: { points: 300, kept: 0 } } });
    expect(q.pendingDebits(HAPPY)).toBe(300);
    expect(burn(HAPPY, 201)).toBe('offline-over-known-balance');
    expect(burn(HAPPY, 200)).toBe('approved');
    expect(q.pendingDebits(HAPPY)).toBe(500);
  });

  it('lets a resend\'s answer, which the host may replay from the first attempt, only lower the known balance', () => {
    const c = clock();
    q = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), limits: LIMITS, now: c.now });
    q.rememberBalance(HAPPY, 500);
    const e = q.enqueue({ kind: 'earn', card: HAPPY, payload: { amount: 100, timeStamp: '20300101120000' } });
    q.claim({ maxCards: 1, chainLength: 1 });
    c.advance(1000);
    // The first attempt's answer (1500, before a burn of 1000 elsewhere) replayed to a resend, committed now.
    q.settle([{ id: e.id, outcome: 'done', result: { accounts: [{ availableBalance: 1500 }] }, answeredAt: c.now(), replayed: true }]);
    expect(burn(HAPPY, 501)).toBe('offline-over-known-balance');
    // A burn applied whose answer says nothing of the balance (a duplicate's) takes its points off what is known.
    const b = q.tryEnqueueOfflineBurn({ card: HAPPY, payload: { points: 200 } });
    if (!b.ok) throw new Error(b.reason.message);
    q.claim({ maxCards: 1, chainLength: 1 });
    q.settle([{ id: b.op.id, outcome: 'done', result: { duplicateOfEarlierAttempt: true }, replayed: true }]);
    expect(q.pendingDebits(HAPPY)).toBe(0);
    expect(burn(HAPPY, 301)).toBe('offline-over-known-balance'); // 500 - 200
    expect(burn(HAPPY, 300)).toBe('approved');
  });
});

describe('yes, then refused by the host', () => {
  it('counts what the POS heard as a yes and the host refused later, not an earning the POS heard declined', () => {
    q = OperationQueue.open({ path: ':memory:', key: generateQueueKey(), limits: LIMITS });
    const ref = (reference: string) => ({ reference, kind: 'earning' as const, body: `{"reference":"${reference}"}` });
    const heardNo = q.enqueue({ kind: 'earn', card: EMPTY, payload: { amount: 100, timeStamp: '20300101120000' }, ref: ref('no') });
    const heardYes = q.enqueue({ kind: 'earn', card: HAPPY, payload: { amount: 100, timeStamp: '20300101120000' }, ref: ref('yes') });
    q.claim({ maxCards: 4, chainLength: 4 });
    const dead = (id: number) => ({ id, outcome: 'dead' as const, reason: 'HOST_ERR_REJECTED status 404 host code L14', refusal: 'unknown-card' });
    q.settle([dead(heardNo.id), dead(heardYes.id)]);
    q.recordAnswer(ref('no'), { status: 'declined', reason: 'unknown-card' });
    q.recordAnswer(ref('yes'), { status: 'accepted', queued: true });
    expect(q.refusedAfterYes()).toEqual([{ kind: 'earn', reason: 'unknown-card', count: 1 }]);
  });
});

describe('the card memory', () => {
  it('survives a restart, sealed: neither its balance nor the PAN is in the file', () => {
    const path = join(tmp.dir, 'q.db');
    const key = generateQueueKey();
    q = OperationQueue.open({ path, key, limits: LIMITS });
    q.rememberBalance(HAPPY, 987_654);
    q.rememberRefusal(EMPTY, 'expired-card');
    q.close();
    const bytes = Buffer.concat(['', '-wal'].map((s) => { try { return readFileSync(path + s); } catch { return Buffer.alloc(0); } }));
    expect(bytes.includes('987654')).toBe(false);
    expect(bytes.includes('expired-card')).toBe(false);
    expect(bytes.includes(HAPPY.pan)).toBe(false);

    q = OperationQueue.open({ path, key, limits: LIMITS });
    expect(q.cardRefusal(EMPTY)).toBe('expired-card');
    expect(burn(HAPPY, 1000)).toBe('approved');
  });

  it('is pruned with retention, and forgotten by a rekey', () => {
    const c = clock();
    const path = join(tmp.dir, 'q.db');
    const key = generateQueueKey();
    q = OperationQueue.open({ path, key, limits: LIMITS, now: c.now, retainDoneS: 60 });
    q.rememberRefusal(EMPTY, 'unknown-card');
    c.advance(30_000);
    q.rememberRefusal(HAPPY, 'unknown-card');
    c.advance(31_000); // EMPTY's is 61 s old, HAPPY's 31 s
    q.pruneDone();
    expect(q.cardRefusal(EMPTY)).toBeNull();
    expect(q.cardRefusal(HAPPY)).toBe('unknown-card');
    q.close();

    const next = generateQueueKey();
    rekeyQueue(path, key, next);
    q = OperationQueue.open({ path, key: next, limits: LIMITS, now: c.now });
    expect(q.cardRefusal(HAPPY)).toBeNull();
  });
});
