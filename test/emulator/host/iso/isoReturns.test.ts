/** Returns and voids over the host's ISO 8583 link: refund 0200 DE3 20, earn reversal 0420 with DE95 (emulator/README.md, "Returns and voids: the host extension"). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../../emulator/host/index.js';
import { startIsoServer, type IsoServer } from '../../../../emulator/host/iso/index.js';
import { DEFAULT_FIXTURES } from '../../../../emulator/host/fixtures.js';
import { balanceRequest, burnRequest, earnAdvice, earnReversalAdvice, refundRequest, reversalAdvice, type Iso8583Message } from '../../../../protocol/iso8583/index.js';
import { RawIsoConnection } from './rawIsoConnection.js';

const card = (name: string) => {
  const c = DEFAULT_FIXTURES.cards.find((x) => x.name === name);
  if (!c) throw new Error(`no fixture ${name}`);
  return c;
};
const NOW = new Date(Date.UTC(2026, 10, 22, 0, 15, 30));
const TERMINAL = { merchantId: 'IBP000000000162', terminalId: '20690111' };
let stan = 0;
const ids = (name = 'happy') => ({ ...TERMINAL, stan: String(++stan), now: NOW, pan: card(name).pan, expiry: card(name).expiry });

let host: RunningHost;
let iso: IsoServer;
let conn: RawIsoConnection;

beforeEach(async () => {
  host = await startHost();
  iso = await startIsoServer({ ledger: host.ledger, faults: host.faults });
  conn = await RawIsoConnection.open(iso.port);
});
afterEach(async () => {
  conn.close();
  await iso.close();
  await host.close();
});

async function ask(msg: Iso8583Message): Promise<Iso8583Message> {
  const res = await conn.request(msg);
  if (!res) throw new Error('connection closed without an answer');
  return res;
}
const balance = async (): Promise<number | undefined> => {
  const body = (await (await fetch(`${host.url}/_emulator/ledger`)).json()) as { cards: { name: string; accounts: { balance: number }[] }[] };
  return body.cards.find((c) => c.name === 'happy')?.accounts[0]?.balance;
};
const journal = async () =>
  ((await (await fetch(`${host.url}/_emulator/journal`)).json()) as { transactions: { kind: string; transactionId: string; received: number; applied: boolean }[] }).transactions;

async function burn(transactionId: string, points: number): Promise<void> {
  const bal = await ask(balanceRequest({ ...ids(), transactionId: `${transactionId}B`, accountId: '12' }));
  const res = await ask(burnRequest({ ...ids(), transactionId, accountId: '12', points, rewardTrxId: bal.fields[48] as string }));
  expect(res.fields[39]).toBe('00');
}

describe('ISO 8583 returns and voids', () => {
  it('refunds a burn in two 0200 DE3 20 parts, refuses a third over the debit with DE39 13 and changes nothing', async () => {
    await burn('BURN1', 450); // 2000
    const r1 = await ask(refundRequest({ ...ids(), accountId: '12', points: 200, originalTransactionId: 'BURN1', transactionId: 'RF1' }));
    expect(r1.mti).toBe('0210');
    expect(r1.fields[39]).toBe('00');
    expect(r1.fields[54]).toBe('1202999C000000002200');
    // A repeat of RF1 changes nothing.
    expect((await ask(refundRequest({ ...ids(), accountId: '12', points: 200, originalTransactionId: 'BURN1', transactionId: 'RF1' }))).fields[39]).toBe('00');
    expect((await ask(refundRequest({ ...ids(), points: 200, originalTransactionId: 'BURN1', transactionId: 'RF2' }))).fields[39]).toBe('00');
    expect(await balance()).toBe(2400);
    const over = await ask(refundRequest({ ...ids(), points: 51, originalTransactionId: 'BURN1', transactionId: 'RF3' }));
    expect(over.fields[39]).toBe('13');
    expect(await balance()).toBe(2400);
    const j = await journal();
    expect(j.filter((e) => e.kind === 'refund')).toEqual([
      expect.objectContaining({ transactionId: 'RF1', received: 2, applied: true, originalTransactionId: 'BURN1' }),
      expect.objectContaining({ transactionId: 'RF2', received: 1, applied: true }),
      expect.objectContaining({ transactionId: 'RF3', received: 1, applied: false }),
    ]);
    // Same id, other points: duplicate (94).
    expect((await ask(refundRequest({ ...ids(), points: 10, originalTransactionId: 'BURN1', transactionId: 'RF1' }))).fields[39]).toBe('94');
  });

  it('refuses a refund after the burn was voided (0420), one from another card (58) and one of an unknown burn (25)', async () => {
    await burn('BURN2', 300);
    expect((await ask(reversalAdvice({ ...ids(), original: { transactionId: 'BURN2', accountId: '12' } }))).fields[39]).toBe('00');
    expect(await balance()).toBe(2450);
    expect((await ask(refundRequest({ ...ids(), points: 1, originalTransactionId: 'BURN2', transactionId: 'RF4' }))).fields[39]).toBe('13');
    await burn('BURN3', 100);
    expect((await ask(refundRequest({ ...ids('empty'), points: 1, originalTransactionId: 'BURN3', transactionId: 'RF5' }))).fields[39]).toBe('58');
    expect((await ask(refundRequest({ ...ids(), points: 1, originalTransactionId: 'NOPE', transactionId: 'RF6' }))).fields[39]).toBe('25');
    expect(await balance()).toBe(2350);
  });

  it('reverses an earn partly (0420 with DE95 = points kept), repeats as 0421, then fully; over-reversal is 13', async () => {
    const e = await ask(earnAdvice({ ...ids(), transactionId: 'EARN1', amount: 5000, localTime: '20261122001530' })); // +500
    expect(e.fields[39]).toBe('00');
    const original = { transactionId: 'EARN1', amount: 5000 };
    const part = await ask(earnReversalAdvice({ ...ids(), original, remaining: 380 }));
    expect(part.mti).toBe('0430');
    expect(part.fields[39]).toBe('00');
    expect(part.fields[54]).toBe('1202999C000000002830');
    expect(part.fields[95]).toBe('000000000380000000000380C00000000C00000000');
    expect((await ask(earnReversalAdvice({ ...ids(), original, remaining: 380, repeat: true }))).fields[39]).toBe('00');
    expect(await balance()).toBe(2830);
    expect((await ask(earnReversalAdvice({ ...ids(), original, remaining: 400 }))).fields[39]).toBe('13');
    expect(await balance()).toBe(2830);
    expect((await ask(earnReversalAdvice({ ...ids(), original }))).fields[39]).toBe('00');
    expect(await balance()).toBe(2450);
    const j = (await journal()).filter((x) => x.kind === 'earn-reversal');
    expect(j).toEqual([
      expect.objectContaining({ transactionId: 'EARN1~380', received: 2, applied: true }),
      expect.objectContaining({ transactionId: 'EARN1~400', received: 1, applied: false }),
      expect.objectContaining({ transactionId: 'EARN1~0', received: 1, applied: true }),
    ]);
  });

  it('keys an earn reversal by its own id in DE48 (as REST keys it by its body transactionId): a resend applies once, another amount under that id is 94', async () => {
    await ask(earnAdvice({ ...ids(), transactionId: 'EARN3', amount: 5000, localTime: '20261122001530' })); // +500
    const original = { transactionId: 'EARN3', amount: 5000 };
    const first = earnReversalAdvice({ ...ids(), original, remaining: 380, transactionId: 'REV-A' });
    expect(first.fields[48]).toBe('REV-A');
    expect((await ask(first)).fields[39]).toBe('00');
    expect((await ask(earnReversalAdvice({ ...ids(), original, remaining: 380, transactionId: 'REV-A' }))).fields[39]).toBe('00');
    expect(await balance()).toBe(2830);
    expect((await ask(earnReversalAdvice({ ...ids(), original, remaining: 300, transactionId: 'REV-A' }))).fields[39]).toBe('94');
    expect(await balance()).toBe(2830);
    const j = (await journal()).filter((x) => x.kind === 'earn-reversal');
    expect(j).toEqual([expect.objectContaining({ transactionId: 'REV-A', received: 3, applied: true })]);
  });

  it('refuses an earn reversal from another terminal with 58, of an unknown earn with 25', async () => {
    await ask(earnAdvice({ ...ids(), transactionId: 'EARN2', amount: 1000, localTime: '20261122001530' }));
    expect((await ask(earnReversalAdvice({ ...ids(), terminalId: '99999999', original: { transactionId: 'EARN2' } }))).fields[39]).toBe('58');
    expect((await ask(earnReversalAdvice({ ...ids(), original: { transactionId: 'NOPE' } }))).fields[39]).toBe('25');
    expect(await balance()).toBe(2550);
  });
});
