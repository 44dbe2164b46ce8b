import { afterEach, describe, expect, it } from 'vitest';
import { IsoHostClient } from '../../../agent/host/isoHostClient.js';
import { DE39, encode, frame, responseTo } from '../../../protocol/iso8583/index.js';
import { fixtureCardRef } from '../../support/fixtureCardRef.js';
import { hostErrorOf } from '../../support/hostErrorOf.js';
import { IsoStubHost, deadPort } from './isoStubHost.js';

const card = fixtureCardRef('happy');
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function client(port: number, timeoutMs = 5000): IsoHostClient {
  const c = new IsoHostClient({ host: '127.0.0.1', port, merchantId: 'M1', terminalId: 'T1', timeoutMs, connectTimeoutMs: 2000 });
  cleanup.push(() => c.close());
  return c;
}

async function stub(b: Parameters<typeof IsoStubHost.start>[0]): Promise<IsoStubHost> {
  const s = await IsoStubHost.start(b);
  cleanup.push(() => s.close());
  return s;
}

const ok = (balance: number) => (req: Parameters<typeof responseTo>[0]) =>
  responseTo(req, { responseCode: DE39.approved, rewardTrxId: 'R', balances: [{ accountType: '12', amountType: '02', currency: '999', amount: balance }] });

describe('IsoHostClient failure outcomes', () => {
  it('connection refused → HOST_ERR_CONNECT, not-sent', async () => {
    const err = await hostErrorOf(client(await deadPort()).burn({ card, rewardTrxId: 'R', transactionId: 'T', mandates: [{ accountId: '12', accountType: '1', debit: 1 }] }));
    expect(err.code).toBe('HOST_ERR_CONNECT');
    expect(err.outcome).toBe('not-sent');
    expect(err.message).not.toContain(card.pan);
  });

  it('sent but never answered → HOST_ERR_TIMEOUT, unknown', async () => {
    const s = await stub(() => undefined);
    const err = await hostErrorOf(client(s.port, 300).burn({ card, rewardTrxId: 'R', transactionId: 'T', mandates: [{ accountId: '12', accountType: '1', debit: 1 }] }));
    expect(err.code).toBe('HOST_ERR_TIMEOUT');
    expect(err.outcome).toBe('unknown');
    expect(s.received.map((m) => m.mti)).toEqual(['0200']);
  });

  it('connection closed after the request → unknown; the next call reconnects', async () => {
    let first = true;
    const s = await stub((req, socket) => {
      if (first) {
        first = false;
        socket.destroy();
        return;
      }
      socket.write(frame(encode(ok(10)(req))));
    });
    const c = client(s.port);
    const err = await hostErrorOf(c.balance({ card, transactionId: 'A' }));
    expect(err.outcome).toBe('unknown');
    expect((await c.balance({ card, transactionId: 'B' })).accounts[0]?.availableBalance).toBe(10);
  });

  it('matches answers by STAN when they come back out of order', async () => {
    const s = await stub((_req, socket, all) => {
      if (all.length < 2) return;
      // Answer the second request first; each answer's balance names its request's RRN.
      for (const r of [...all].reverse()) socket.write(frame(encode(ok(r.fields[37] === 'FIRST       ' ? 1 : 2)(r))));
    });
    const c = client(s.port);
    const [a, b] = await Promise.all([c.balance({ card, transactionId: 'FIRST' }), c.balance({ card, transactionId: 'SECOND' })]);
    expect(a.accounts[0]?.availableBalance).toBe(1);
    expect(b.accounts[0]?.availableBalance).toBe(2);
    expect(s.received[0]?.fields[11]).not.toBe(s.received[1]?.fields[11]);
  });

  it('a garbled answer → HOST_ERR_PROTOCOL, unknown; a wrong MTI too', async () => {
    const s = await stub((req, socket) => {
      if (req.fields[37] === 'GARBLED     ') socket.write(frame(Buffer.from('0210garbage', 'latin1')));
      else socket.write(frame(encode({ ...ok(1)(req), mti: '0110' })));
    });
    const c = client(s.port);
    const mandates = [{ accountId: '12', accountType: '1', debit: 1 }];
    const garbled = await hostErrorOf(c.burn({ card, rewardTrxId: 'R', transactionId: 'GARBLED', mandates }));
    expect(garbled.code).toBe('HOST_ERR_PROTOCOL');
    expect(garbled.outcome).toBe('unknown');
    const wrong = await hostErrorOf(c.burn({ card, rewardTrxId: 'R', transactionId: 'WRONGMTI', mandates }));
    expect(wrong.code).toBe('HOST_ERR_PROTOCOL');
    expect(wrong.outcome).toBe('unknown');
  });

  it('ignores an answer whose STAN matches nothing, and still gets its own', async () => {
    const s = await stub((req, socket) => {
      socket.write(frame(encode({ ...ok(5)(req), fields: { ...ok(5)(req).fields, 11: '999999' } })));
      socket.write(frame(encode(ok(7)(req))));
    });
    expect((await client(s.port).balance({ card, transactionId: 'A' })).accounts[0]?.availableBalance).toBe(7);
  });

  it('sends 0221 / 0421 when the request says it is a repeat (the queue knows it), and only then', async () => {
    const s = await stub((req, socket) => socket.write(frame(encode(responseTo(req, { responseCode: DE39.approved })))));
    const c = client(s.port);
    const earn = { card, transactionId: 'E1', amount: 100, timeStamp: '20261122001500' };
    await c.earn(earn);
    await c.earn({ ...earn, repeat: true });
    await c.earn(earn);
    await c.reverse({ card, originalTransactionId: 'B1', transactionId: 'R1' });
    await c.reverse({ card, originalTransactionId: 'B1', transactionId: 'R1', repeat: true });
    await c.reverseEarn({ card, originalTransactionId: 'E1', transactionId: 'ER1', repeat: true });
    expect(s.received.map((m) => m.mti)).toEqual(['0220', '0221', '0220', '0420', '0421', '0421']);
  });
});
