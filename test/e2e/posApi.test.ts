/**
 * The local POS API's own behaviour, end to end with real processes: bad
 * requests, one card operation at a time, a POS that hangs up, the host going
 * away and coming back, and a clean SIGTERM. The refused requests change
 * nothing, so they share one stack; every other test starts from the
 * fixtures' state (fresh ledger, empty queue, reader plugged), so each runs
 * alone or in any order.
 */
import { describe, expect, it } from 'vitest';
import { jsonLine } from '../../emulator/stack/childProcess.js';
import { agentRequest } from '../../emulator/stack/posClient.js';
import { e2eStackForSuite, e2eStackPerTest, eventually, skipWithoutSocat, type E2eStack } from '../support/e2eStack.js';

describe.skipIf(skipWithoutSocat)('local POS API: requests it refuses', () => {
  const e = e2eStackForSuite({ hostTimeoutMs: 2000 });

  const post = async (path: string, raw: string) => {
    const res = await fetch(`${e.stack.agentUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...e.stack.agentHeaders }, body: raw });
    return { status: res.status, body: (await res.json()) as { error: { code: string; message: string }; errors: unknown[] } };
  };

  it('answers malformed JSON with 400 E32 in the host error shape', async () => {
    const r = await post('/v1/redemptions', '{"reference": "x", "points": ');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('E32');
    expect(r.body.errors).toEqual([r.body.error]);
  });

  it.each([
    ['a missing field', '/v1/redemptions', { reference: 'x' }, 'points'],
    ['a negative amount', '/v1/earnings', { reference: 'x', amount: -5 }, 'amount'],
    ['a fractional amount', '/v1/checkout', { reference: 'x', amount: 10.5 }, 'amount'],
    ['an unknown field', '/v1/earnings', { reference: 'x', amount: 5, pan: '6280000000000016' }, 'pan'],
    ['a string where a number goes', '/v1/redemptions', { reference: 'x', points: '100' }, 'points'],
    ['a tiny timeout', '/v1/redemptions', { reference: 'x', points: 1, timeoutMs: 1 }, 'timeoutMs'],
  ])('answers %s with 400 E37 naming the field', async (_what, path, body, field) => {
    const r = await post(path, JSON.stringify(body));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('E37');
    expect(r.body.error.message).toContain(field);
    expect(r.body.error.message).not.toContain('6280000000000016');
  });

  it('answers an unknown route with 404 in the same shape', async () => {
    const r = await agentRequest(e.stack, 'GET', '/v1/nothing');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ error: { code: 'not-found' } });
  });
});

describe.skipIf(skipWithoutSocat)('local POS API', () => {
  const e = e2eStackPerTest({ hostTimeoutMs: 2000 });
  const readerArmed = (): Promise<boolean> => armed(e);

  it('runs one card operation at a time: a second one gets 409 reader-busy', async () => {
    const first = fetch(`${e.stack.agentUrl}/v1/earnings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...e.stack.agentHeaders },
      body: JSON.stringify({ reference: 'busy-1', amount: 100, timeoutMs: 1500 }),
    });
    await eventually('the first read to arm the reader', async () => {
      const h = await agentRequest(e.stack, 'GET', '/v1/health');
      return h.status === 200 && (await readerArmed());
    });
    const second = await agentRequest(e.stack, 'POST', '/v1/redemptions', { reference: 'busy-2', points: 1 });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: { code: 'reader-busy' } });
    const r = await first;
    expect(await r.json()).toMatchObject({ status: 'timeout', reason: 'no-card' });
  });

  it('cancels the read and disarms the reader when the POS hangs up', async () => {
    const ac = new AbortController();
    const call = fetch(`${e.stack.agentUrl}/v1/balance?timeoutMs=20000`, { headers: e.stack.agentHeaders, signal: ac.signal }).catch((err: unknown) => err);
    await eventually('the reader to be armed', readerArmed);
    ac.abort();
    await call;
    await eventually('the reader to be disarmed', async () => !(await readerArmed()));
    // The reader is free again at once: no 409.
    const next = await agentRequest(e.stack, 'POST', '/v1/earnings', { reference: 'after-hangup', amount: 100, timeoutMs: 300 });
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ status: 'timeout' });
  });

  it('reports health and queues earnings while the host is away, then drains within 5 s of its return', async () => {
    expect((await agentRequest(e.stack, 'GET', '/v1/health')).body).toMatchObject({ reader: 'connected', host: 'online' });
    await e.stack.stopHost();
    const accepted: string[] = [];
    for (const [i, card] of ['happy', 'offer', 'happy'].entries()) {
      const a = await e.swiped(card, 'POST', '/v1/earnings', { reference: `offline-${i}`, amount: 500 });
      expect(a.body).toMatchObject({ status: 'accepted', queued: true });
      accepted.push(String(a.body.transactionId));
    }
    await eventually('health to show the host offline', async () => (await e.agent('GET', '/v1/health')).body.host === 'offline');
    const offline = await e.agent('GET', '/v1/health');
    expect((offline.body as { queue: { pending: number } }).queue.pending).toBe(3);

    await e.stack.startHost();
    const back = Date.now();
    await eventually('the queue to drain', async () => {
      const h = (await e.agent('GET', '/v1/health')).body as { host: string; queue: { pending: number } };
      return h.host === 'online' && h.queue.pending === 0;
    }, 100, 100);
    expect(Date.now() - back).toBeLessThan(5000 + 1000); // DESIGN: online again within 5 s (plus one poll)
    const entries = (await e.ledger()).entries.map((x) => x.transactionId);
    for (const id of accepted) expect(entries.filter((x) => x === id)).toHaveLength(1);
  });

  it("lets a card's queued earning reach the host before its burn, once the host is back", async () => {
    await e.stack.stopHost();
    const earned = await e.swiped('offer', 'POST', '/v1/earnings', { reference: 'order-earn', amount: 700 });
    expect(earned.body).toMatchObject({ status: 'accepted', queued: true });
    await e.stack.startHost();
    await eventually('the forwarder to see the host back', async () => (await e.agent('GET', '/v1/health')).body.host === 'online');
    const burned = await e.swiped('offer', 'POST', '/v1/redemptions', { reference: 'order-burn', points: 20 });
    expect(burned.body).toMatchObject({ status: 'approved', debited: 20 });
    const ids = (await e.entriesOf('offer')).map((x) => x.transactionId);
    expect(ids.indexOf(String(earned.body.transactionId))).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(String(earned.body.transactionId))).toBeLessThan(ids.indexOf(String(burned.body.transactionId)));
  });

  it('lists the queue with masked PANs and flushes on demand', async () => {
    await e.stack.stopHost();
    const earned = await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'listed', amount: 500 });
    expect(earned.body).toMatchObject({ status: 'accepted', queued: true });
    const id = String(earned.body.transactionId);
    const list = await e.agent('GET', '/v1/queue?limit=50');
    const text = JSON.stringify(list.body);
    expect(text).toContain(id);
    expect(text).toContain('628000******0016');
    expect(text).not.toContain('6280000000000016');
    expect(list.body).toMatchObject({ stats: { invariantHolds: true } });
    // With the host away the flush tries the one item once, and it stays queued.
    const away = await e.agent('POST', '/v1/queue/flush');
    expect(away.status).toBe(200);
    expect(away.body).toMatchObject({ flushed: { sent: 0, failed: 1, dead: 0 } });
    await e.stack.startHost();
    const back = await e.agent('POST', '/v1/queue/flush');
    expect(back.status).toBe(200);
    expect(back.body).toHaveProperty('flushed');
    // Sent by this flush or just before it by the forwarder: once either way.
    expect((await e.ledger()).entries.filter((x) => x.transactionId === id)).toHaveLength(1);
  });

  it('says at once that the reader is unplugged, and reads again after a replug', async () => {
    e.stack.readerCommand('unplug');
    await eventually('health to show the reader disconnected', async () => (await e.agent('GET', '/v1/health')).body.reader === 'disconnected');
    const a = await e.agent('POST', '/v1/earnings', { reference: 'unplugged', amount: 100, timeoutMs: 20_000 });
    expect(a.body).toMatchObject({ status: 'unavailable', reason: 'reader-disconnected' });
    e.stack.readerCommand('replug');
    await eventually('health to show the reader connected', async () => (await e.agent('GET', '/v1/health')).body.reader === 'connected');
    expect((await e.swiped('happy', 'POST', '/v1/earnings', { reference: 'replugged', amount: 100 })).body).toMatchObject({ status: 'accepted' });
  });

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    const code = await e.stack.agent.stop('SIGTERM', 10_000);
    expect(code).toBe(0);
    expect(e.stack.agent.stdout.map((l) => jsonLine(l)?.msg)).toContain('agent stopped');
    expect(e.panLeaks()).toEqual([]);
  });
});

/** True when the reader emulator says the agent has armed it. */
async function armed(e: E2eStack): Promise<boolean> {
  const from = e.stack.reader.stdout.length;
  e.stack.readerCommand('status');
  const line = await e.stack.reader.waitForLine((l) => jsonLine(l)?.cmd === 'status', 5000, from);
  return (jsonLine(line)?.state as { armed?: boolean } | undefined)?.armed === true;
}
