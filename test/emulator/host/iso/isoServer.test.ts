import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../../emulator/host/index.js';
import { startIsoServer, type IsoServer } from '../../../../emulator/host/iso/index.js';
import { DEFAULT_FIXTURES } from '../../../../emulator/host/fixtures.js';
import {
  balanceRequest,
  burnRequest,
  earnAdvice,
  echoRequest,
  reversalAdvice,
  type Iso8583Message,
} from '../../../../protocol/iso8583/index.js';
import { RawIsoConnection } from './rawIsoConnection.js';

const card = (name: string) => {
  const c = DEFAULT_FIXTURES.cards.find((x) => x.name === name);
  if (!c) throw new Error(`no fixture ${name}`);
  return c;
};
const HAPPY = card('happy');
const NOW = new Date(Date.UTC(2026, 10, 22, 0, 15, 30));
const TERMINAL = { merchantId: 'IBP000000000162', terminalId: '20690111' };
let stan = 0;
const base = (name: string, transactionId: string) => ({ ...TERMINAL, stan: String(++stan), now: NOW, pan: card(name).pan, expiry: card(name).expiry, transactionId });

let host: RunningHost;
let iso: IsoServer;
let conn: RawIsoConnection;
const delays: number[] = [];

beforeEach(async () => {
  host = await startHost();
  delays.length = 0;
  iso = await startIsoServer({ ledger: host.ledger, delay: async (ms) => void delays.push(ms), faults: host.faults });
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
  expect(res.fields[11]).toBe(msg.fields[11]);
  return res;
}

async function restBalance(name: string): Promise<number | undefined> {
  const res = await fetch(`${host.url}/_emulator/ledger`);
  const body = (await res.json()) as { cards: { name: string; accounts: { balance: number }[] }[] };
  return body.cards.find((c) => c.name === name)?.accounts[0]?.balance;
}

describe('ISO 8583 host link', () => {
  it('answers an echo 0800 with 0810 00', async () => {
    const res = await ask(echoRequest({ stan: '7', now: NOW }));
    expect(res.mti).toBe('0810');
    expect(res.fields[39]).toBe('00');
    expect(res.fields[70]).toBe('301');
  });

  it('balance then burn hits the same ledger as REST', async () => {
    const bal = await ask(balanceRequest({ ...base('happy', 'BAL1'), accountId: '12' }));
    expect(bal.mti).toBe('0110');
    expect(bal.fields[39]).toBe('00');
    expect(bal.fields[54]).toBe('1202999C000000002450'); // account 12, available, points, credit, 2450
    expect(bal.fields[63]).toBe('011'); // its reward account type: length 01, type "1"
    expect(bal.fields[2]).toBeUndefined();
    const rewardTrxId = bal.fields[48] as string;
    expect(rewardTrxId).toMatch(/^[0-9]+$/);

    const burn = burnRequest({ ...base('happy', 'BURN1'), accountId: '12', points: 500, rewardTrxId });
    const res = await ask(burn);
    expect(res.mti).toBe('0210');
    expect(res.fields[39]).toBe('00');
    expect(res.fields[54]).toBe('1202999C000000001950');
    expect(res.fields[63]).toBe('011');
    expect(await restBalance('happy')).toBe(1950);

    // The same burn again (same RRN, same body) is answered from the record, not debited twice.
    const again = await ask({ ...burn, fields: { ...burn.fields, 11: '000999' } });
    expect(again.fields[39]).toBe('00');
    expect(await restBalance('happy')).toBe(1950);
  });

  it('declines with the DE39 of the ledger refusal', async () => {
    const bal = await ask(balanceRequest({ ...base('happy', 'B2'), accountId: '12' }));
    const over = await ask(burnRequest({ ...base('happy', 'OVER1'), accountId: '12', points: 999999, rewardTrxId: bal.fields[48] as string }));
    expect(over.fields[39]).toBe('51');
    expect((await ask(balanceRequest(base('unknown', 'U1')))).fields[39]).toBe('14');
    expect((await ask(balanceRequest(base('expired', 'E1')))).fields[39]).toBe('54');
    expect((await ask(balanceRequest(base('host-error', 'H1')))).fields[39]).toBe('96');
    const stale = await ask(burnRequest({ ...base('happy', 'ST1'), accountId: '12', points: 1, rewardTrxId: '1' }));
    expect(stale.fields[39]).toBe('30');
    expect(await restBalance('happy')).toBe(2450);
  });

  it('earn advice 0220 credits points; 0221 repeat does not credit twice', async () => {
    const advice = earnAdvice({ ...base('happy', 'EARN1'), amount: 10000, localTime: '20261122001500' });
    const res = await ask(advice);
    expect(res.mti).toBe('0230');
    expect(res.fields[39]).toBe('00');
    // earnRate 0.1: 10000 minor units -> 1000 points; 2450 + 1000 = 3450.
    expect(res.fields[54]).toBe('1202999C000000003450');
    expect(res.fields[63]).toBe('011');
    const repeat = await ask({ ...advice, mti: '0221' });
    expect(repeat.mti).toBe('0230');
    expect(repeat.fields[39]).toBe('00');
    expect(await restBalance('happy')).toBe(3450);
  });

  it('reversal 0420 gives the points back, 0421 repeats idempotently, unknown original gets 25', async () => {
    const bal = await ask(balanceRequest({ ...base('happy', 'B3'), accountId: '12' }));
    await ask(burnRequest({ ...base('happy', 'BURN9'), accountId: '12', points: 450, rewardTrxId: bal.fields[48] as string }));
    expect(await restBalance('happy')).toBe(2000);
    const rev = reversalAdvice({ ...TERMINAL, stan: '500', now: NOW, pan: HAPPY.pan, expiry: HAPPY.expiry, original: { transactionId: 'BURN9', accountId: '12' } });
    const res = await ask(rev);
    expect(res.mti).toBe('0430');
    expect(res.fields[39]).toBe('00');
    expect([res.fields[54], res.fields[63]]).toEqual(['1202999C000000002450', '011']);
    expect(await restBalance('happy')).toBe(2450);
    const repeat = await ask({ ...rev, mti: '0421', fields: { ...rev.fields, 11: '000501' } });
    expect(repeat.fields[39]).toBe('00');
    expect(await restBalance('happy')).toBe(2450);
    const none = await ask(reversalAdvice({ ...TERMINAL, stan: '502', now: NOW, pan: HAPPY.pan, expiry: HAPPY.expiry, original: { transactionId: 'NOPE' } }));
    expect(none.fields[39]).toBe('25');
  });

  it('a reversal (0420) that overtakes its original is remembered: the late 0200 gets 94 and debits nothing', async () => {
    const bal = await ask(balanceRequest({ ...base('happy', 'B5'), accountId: '12' }));
    const early = await ask(reversalAdvice({ ...TERMINAL, stan: '510', now: NOW, pan: HAPPY.pan, expiry: HAPPY.expiry, original: { transactionId: 'LATE1', accountId: '12' } }));
    expect(early.fields[39]).toBe('25');
    const late = await ask(burnRequest({ ...base('happy', 'LATE1'), accountId: '12', points: 300, rewardTrxId: bal.fields[48] as string }));
    expect(late.mti).toBe('0210');
    expect(late.fields[39]).toBe('94');
    expect(await restBalance('happy')).toBe(2450);
    expect(host.ledger.journal().filter((j) => j.transactionId === 'LATE1')).toEqual([
      { kind: 'reversal', transactionId: 'LATE1', received: 1, applied: false, reversed: false, lateOriginal: true },
      { kind: 'burn', transactionId: 'LATE1', received: 1, applied: false, reversed: false, lateOriginal: true },
    ]);
  });

  it('applies the host fault table under the REST names: status → 96 untouched, commit-then-drop, drop, latency', async () => {
    host.faults.set('rewards/earn', { status: 503 });
    const failed = await ask(earnAdvice({ ...base('happy', 'FE1'), amount: 1000, localTime: '20261122001500' }));
    expect(failed.fields[39]).toBe('96');
    expect(await restBalance('happy')).toBe(2450);
    host.faults.set('rewards/earn', { commitThenDrop: true });
    expect(await conn.request(earnAdvice({ ...base('happy', 'FE2'), amount: 1000, localTime: '20261122001500' }))).toBeNull();
    expect(await restBalance('happy')).toBe(2550); // committed, then the connection dropped
    host.faults.clear();
    host.faults.set('*', { drop: true, latencyMs: 25 });
    conn = await RawIsoConnection.open(iso.port);
    expect(await conn.request(balanceRequest({ ...base('happy', 'FB1'), accountId: '12' }))).toBeNull();
    expect(delays).toContain(25);
    host.faults.clear();
    conn = await RawIsoConnection.open(iso.port);
    expect((await ask(echoRequest({ stan: '321', now: NOW }))).fields[39]).toBe('00');
  });

  it('commit-then-drop: commits the burn, closes without answering; the retry gets the stored answer', async () => {
    const bal = await ask(balanceRequest({ ...base('commit-then-drop', 'B4'), accountId: '12' }));
    const burn = burnRequest({ ...base('commit-then-drop', 'DROP1'), accountId: '12', points: 100, rewardTrxId: bal.fields[48] as string });
    expect(await conn.request(burn)).toBeNull();
    expect(await restBalance('commit-then-drop')).toBe(900);
    conn = await RawIsoConnection.open(iso.port);
    const retry = await ask(burn);
    expect(retry.fields[39]).toBe('00');
    expect(await restBalance('commit-then-drop')).toBe(900);
  });

  it('slow card: waits slowDelayS before answering', async () => {
    const res = await ask(balanceRequest(base('slow', 'S1')));
    expect(res.fields[39]).toBe('00');
    expect(delays).toEqual([15000]);
  });
});
