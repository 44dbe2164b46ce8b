/**
 * A full disk, on a real small filesystem: a tmpfs of 1 MiB mounted for the
 * queue (as root; CI runs as root, so this never skips there). At start,
 * while taking earnings, and with a burn in flight: nothing is reported
 * accepted or approved that was not written, the POS gets 503 with
 * QUEUE_ERR_FULL and health says so, and everything recovers once space
 * returns, without a restart.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { agentHealth } from '../../../agent/api/agentHealth.js';
import { startApi } from '../../../agent/api/apiServer.js';
import { CheckoutService } from '../../../agent/checkout/checkoutService.js';
import type { HostClient } from '../../../agent/host/hostClient.js';
import type { CardReader } from '../../../agent/cardSources/serial/cardReader.js';
import { generateQueueKey, OperationQueue, QueueError } from '../../../agent/queue/index.js';
import { Forwarder } from '../../../agent/forwarder/index.js';
import { parsePan, parseYymm } from '../../../protocol/pan.js';
import { FakeHost } from './fakeHost.js';

const CARD = { pan: parsePan('6280000000000016'), expiry: parseYymm('3012') };
const key = generateQueueKey();
const mnt = mkdtempSync(join(tmpdir(), 'pos-full-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', mnt], { stdio: 'pipe' });
  mounted = true;
} catch (err) {
  if (process.env.CI === 'true') throw new Error(`CI must be able to mount a tmpfs for the disk-full tests (run as root): ${String(err)}`);
  process.stderr.write(`diskFull.test.ts skipped: cannot mount a tmpfs here (needs root): ${String(err)}\n`);
}
afterAll(() => {
  if (mounted) execFileSync('umount', [mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

const FILLER = join(mnt, 'filler');
/** Fills the filesystem to the last byte. */
function fill(): void {
  const fd = openSync(FILLER, 'a');
  const block = Buffer.alloc(4096);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  const byte = Buffer.alloc(1);
  const fd2 = openSync(FILLER, 'a');
  try {
    for (;;) writeSync(fd2, byte);
  } catch {
    /* full to the byte */
  } finally {
    closeSync(fd2);
  }
}
const free = () => rmSync(FILLER, { force: true });

let n = 0;
const queues: OperationQueue[] = [];
const openQueue = (): OperationQueue => {
  const q = OperationQueue.open({ path: join(mnt, `q${++n}.db`), key });
  queues.push(q);
  return q;
};
afterEach(() => {
  free();
  for (const q of queues.splice(0)) q.close();
  for (let i = 1; i <= n; i++) for (const ext of ['', '-wal', '-shm', '.accepted', '.lock']) rmSync(join(mnt, `q${i}.db${ext}`), { force: true });
});

const reader: CardReader = {
  state: 'connected',
  readCard: async () => ({ ...CARD, kind: 'card' }),
  counters: () => ({ frames: 0, noiseBytes: 0, badLrc: 0, oversize: 0, truncated: 0, naksSent: 0, invalidCards: 0, reconnects: 0 }),
  close: async () => undefined,
};
function checkoutOn(queue: OperationQueue, host: HostClient): CheckoutService {
  return new CheckoutService({ reader, host, queue, forwarder: { online: false, flush: async () => ({}), onOnlineChange: () => () => undefined }, logger: pino({ level: 'silent' }), now: Date.now });
}
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (err: unknown) => (err instanceof QueueError ? err.code : String(err)),
  );

describe.skipIf(!mounted)('a full disk under the queue (tmpfs)', () => {
  it('at start: QUEUE_ERR_FULL naming the file (not QUEUE_ERR_LOCKED); it opens once space returns', () => {
    fill();
    let code = '';
    try {
      openQueue();
    } catch (err) {
      code = err instanceof QueueError ? `${err.code}: ${err.message}` : String(err);
    }
    expect(code).toMatch(/^QUEUE_ERR_FULL: the disk holding queue .*q1\.db is full/);
    free();
    expect(openQueue().stats().invariantHolds).toBe(true);
  });

  it('while taking earnings: refused with QUEUE_ERR_FULL and nothing counted accepted; the same reference goes through once space returns', async () => {
    const q = openQueue();
    const checkout = checkoutOn(q, new FakeHost());
    expect(await checkout.earn({ reference: 'e1', amount: 100 })).toMatchObject({ status: 'accepted' });
    fill();
    expect(await codeOf(checkout.earn({ reference: 'e2', amount: 200 }))).toBe('QUEUE_ERR_FULL');
    expect(q.writable).toBe(false);
    // A claim with nothing due, or an update that matches no row, proves nothing: still not writable.
    q.claim({ maxCards: 4, chainLength: 4, dueBy: 0 });
    q.expediteAll();
    expect(q.writable).toBe(false);
    expect(agentHealth({ reader, forwarder: { online: true }, queue: q })).toMatchObject({ status: 'unavailable', reasons: ['queue-not-writable:QUEUE_ERR_FULL'] });
    expect(q.stats()).toMatchObject({ pending: 1, counters: { accepted: 1 }, invariantHolds: true });
    expect(checkout.operation('e2')).toBeUndefined();
    free();
    expect(await checkout.earn({ reference: 'e2', amount: 200 })).toMatchObject({ status: 'accepted' });
    expect(q.writable).toBe(true);
    expect(q.stats()).toMatchObject({ pending: 2, counters: { accepted: 2 }, invariantHolds: true });
  });

  it('with a burn in flight: the POS is not told approved; once space returns the burn takes the reversal path by itself and the card is not blocked', async () => {
    const q = openQueue();
    const host = new FakeHost();
    const realBurn = host.burn.bind(host);
    host.burn = async (req) => {
      const out = await realBurn(req); // the host debits...
      fill(); // ...and the disk fills before the approval is committed
      return out;
    };
    const checkout = checkoutOn(q, host);
    expect(await codeOf(checkout.redeem({ reference: 'b1', points: 100 }))).toBe('QUEUE_ERR_FULL');
    const burn = q.list({ state: 'sending' })[0];
    expect(burn).toMatchObject({ kind: 'burn', offline: false });
    // A retry while the outcome is unresolved is told so, never "approved".
    expect(await checkout.redeem({ reference: 'b1', points: 100 }).catch((e: Error & { code?: string }) => e.code)).toBe('CHECKOUT_ERR_IN_PROGRESS');
    free();
    for (let i = 0; i < 40 && q.get(burn!.id)?.state === 'sending'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(q.get(burn!.id)).toMatchObject({ state: 'dead', deadReason: expect.stringMatching(/^unknown-outcome/) });
    expect(q.getByTransactionId(`${burn!.transactionId}-rev`)).toMatchObject({ kind: 'reversal', state: 'pending' });
    expect(await checkout.redeem({ reference: 'b1', points: 100 })).toMatchObject({ status: 'unavailable', reason: 'no-answer-reversed', debited: 0 });
    // The card's later work goes through: the reversal first, then the earning.
    const later = q.enqueue({ kind: 'earn', card: CARD, payload: { amount: 300, timeStamp: '20300101120000' } });
    expect(await new Forwarder({ queue: q, host }).flush()).toEqual({ sent: 2, failed: 0, dead: 0 });
    expect(q.get(later.id)?.state).toBe('done');
    expect(host.calls.map((c) => c.op)).toEqual(['balance', 'burn', 'reverse', 'earn']);
    // The burn the host debited was applied once and reversed once.
    expect(host.line(burn!.transactionId)).toMatchObject({ received: 1, applied: 1, reversed: 1 });
    expect(host.line(`${burn!.transactionId}-rev`)).toMatchObject({ received: 1, applied: 1 });
    expect(q.stats().invariantHolds).toBe(true);
  });

  it('a direct send whose settle failed gets the settle it was meant to have: an offer that never left stays abandoned', async () => {
    const q = openQueue();
    const op = q.beginDirect({ kind: 'offer-redeem', card: CARD, payload: { cardOfferId: 'cof_1', amount: 1000 }, transactionId: 'offer-1' });
    fill();
    expect(() => q.abandonDirect(op.id, 'not-sent')).toThrow(/QUEUE_ERR_FULL|full/);
    free();
    for (let i = 0; i < 40 && q.get(op.id)?.state === 'sending'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(q.get(op.id)).toMatchObject({ state: 'abandoned', deadReason: 'not-sent' });
  });

  it('the POS API answers 503 with the code, and health 503, while the disk is full', async () => {
    const q = openQueue();
    const checkout = checkoutOn(q, new FakeHost());
    const api = await startApi({
      checkout,
      control: { health: () => agentHealth({ reader, forwarder: { online: true }, queue: q }), listQueue: () => ({}), flushQueue: async () => ({}) },
      logger: pino({ level: 'silent' }),
      listen: { host: '127.0.0.1', port: 0 },
    });
    try {
      fill();
      const post = await fetch(`${api.url}/v1/earnings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference: 'x1', amount: 100 }) });
      expect(post.status).toBe(503);
      expect(((await post.json()) as { error: { code: string } }).error.code).toBe('QUEUE_ERR_FULL');
      const health = await fetch(`${api.url}/v1/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'unavailable', reasons: ['queue-not-writable:QUEUE_ERR_FULL'] });
      free();
      const again = await fetch(`${api.url}/v1/earnings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference: 'x1', amount: 100 }) });
      expect(again.status).toBe(200);
      expect((await fetch(`${api.url}/v1/health`)).status).toBe(200);
    } finally {
      await api.app.close();
    }
  });
});
