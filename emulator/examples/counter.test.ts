/**
 * A cashier app's tests against a whole emulated counter: the loyalty host, the card reader and the agent,
 * all in the test process. No hardware, no network, no socat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCounter, type Counter } from 'pos-agent/emulator';

describe('the till against an emulated counter', () => {
  let counter: Counter;

  beforeAll(async () => {
    counter = await startCounter({
      reader: 'mock', // or 'pty': a socat pseudo-terminal the agent opens as a real serial port
      transport: 'rest', // or 'iso8583'
      cards: [{ name: 'regular', pan: '4111111111111111', points: 500 }], // your own test card
      balances: { happy: 1000 }, // a built-in card with the balance your test needs
    });
  });
  afterAll(() => counter?.stop()); // stops everything and removes its temporary folder

  /** What the cashier app does: a POST to the agent's POS API. */
  async function pos(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${counter.agentUrl}${path}`, {
      method: 'POST',
      headers: counter.posHeaders, // JSON, and the POS API's bearer token (on by default, as on a terminal)
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('redeems points from the card the customer swipes', async () => {
    // withSwipe starts the POS call, then swipes the card once the agent arms the reader.
    const answer = await counter.withSwipe('regular', () => pos('/v1/redemptions', { reference: 'sale-1', points: 200 }));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'approved', debited: 200, balanceAfter: 300 });
    expect(await counter.host.balanceOf('regular')).toBe(300);
  });

  it('keeps earning while the host is down, and the host gets it once it is back', async () => {
    await counter.host.online(false);
    const sale = pos('/v1/earnings', { reference: 'sale-2', amount: 1250 });
    await counter.reader.swipe('happy'); // waits for the agent to arm the reader
    const answer = await sale;
    expect(answer.body).toMatchObject({ status: 'accepted', queued: true });
    expect(await counter.host.balanceOf('happy')).toBe(1000); // nothing reached the host yet

    await counter.host.online(true);
    await counter.drained(); // the queue forwarded everything
    const ledger = await counter.host.ledger();
    expect(ledger.entries).toContainEqual(expect.objectContaining({ transactionId: answer.body.transactionId, kind: 'earn', points: 125 }));
    expect(await counter.host.balanceOf('happy')).toBe(1125);
  });

  it('tells the cashier when the host fails, and debits nothing', async () => {
    await counter.host.fault({ endpoint: 'rewards', status: 503 }); // the balance call fails
    const answer = await counter.withSwipe('happy', () => pos('/v1/redemptions', { reference: 'sale-3', points: 100 }));
    expect(answer.body).toMatchObject({ status: 'unavailable' });
    await counter.host.clearFaults();
    expect(await counter.host.balanceOf('happy')).toBe(1125);
  });
});
