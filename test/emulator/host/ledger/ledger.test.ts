import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES } from '../../../../emulator/host/fixtures.js';
import { Ledger, LedgerError, openLedgerDb } from '../../../../emulator/host/ledger/index.js';
import { card, testClock } from '../hostFixture.js';

const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T = { merchantId: 'IBP000000000162', terminalId: '20690111' };
const happy = { pan: card('happy').pan, expiry: card('happy').expiry };

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof LedgerError) return err.code;
    throw err;
  }
  throw new Error('expected a LedgerError');
};

// One contract suite, against :memory: and a file DB.
describe.each([':memory:', 'file'])('Ledger on %s', (kind) => {
  let ledger: Ledger;
  const clock = testClock(Date.UTC(2026, 5, 1));
  beforeEach(() => {
    const file = kind === 'file' ? join(dir, `l-${Math.random().toString(36).slice(2)}.db`) : ':memory:';
    const { db, hostKey } = openLedgerDb(file);
    ledger = new Ledger(db, hostKey, DEFAULT_FIXTURES, clock.now);
  });
  afterEach(() => ledger.close());

  it('balance → burn → reverse round-trips the points', () => {
    const b = ledger.balance(happy, T);
    expect(b.accounts[0]?.balance).toBe(2450);
    const burned = ledger.burn({ rewardTrxId: b.rewardTrxId, transactionId: 't1', mandates: [{ accountId: '12', accountType: '1', debit: 450 }] });
    expect(burned.accounts[0]).toEqual({ accountId: '12', accountType: '1', debit: 450, balance: 2000 });
    const rev = ledger.reverse({ originalTransactionId: 't1' });
    expect(rev.accounts[0]?.balance).toBe(2450);
    expect(ledger.reverse({ originalTransactionId: 't1' }).replay).toBe(true);
    expect(codeOf(() => ledger.reverse({ originalTransactionId: 'nope' }))).toBe('L25');
  });

  it('debitCard burns without a balance call (ISO 0200), idempotently, and can be reversed', () => {
    const a = ledger.debitCard({ card: happy, terminal: T, transactionId: 'iso-1', points: 100 });
    expect(a.accounts[0]?.balance).toBe(2350);
    const again = ledger.debitCard({ card: happy, terminal: T, transactionId: 'iso-1', points: 100 });
    expect(again.replay).toBe(true);
    expect(again.accounts[0]?.balance).toBe(2350);
    expect(codeOf(() => ledger.debitCard({ card: happy, terminal: T, transactionId: 'iso-1', points: 101 }))).toBe('2020');
    expect(codeOf(() => ledger.debitCard({ card: happy, terminal: T, transactionId: 'iso-2', points: 2351 }))).toBe('L51');
    ledger.reverse({ originalTransactionId: 'iso-1' });
    expect(ledger.accountsOf(a.fp)[0]?.balance).toBe(2450);
  });

  it('earn credits floor(amount * earnRate) once per transactionId', () => {
    expect(ledger.earn({ card: happy, terminal: T, transactionId: 'e', amount: 57 }).points).toBe(5);
    expect(ledger.earn({ card: happy, terminal: T, transactionId: 'e', amount: 57 }).replay).toBe(true);
    expect(ledger.balance(happy, T).accounts[0]?.balance).toBe(2455);
  });

  it('refuses unknown (L14), expired (L54) and malformed (1013) identifiers', () => {
    const u = card('unknown');
    const x = card('expired');
    expect(codeOf(() => ledger.balance({ pan: u.pan, expiry: u.expiry }, T))).toBe('L14');
    expect(codeOf(() => ledger.balance({ pan: x.pan, expiry: x.expiry }, T))).toBe('L54');
    expect(codeOf(() => ledger.balance({ pan: '1234', expiry: '3012' }, T))).toBe('1013');
  });

  it('a card expires by the host clock: valid through its expiry month', () => {
    const fixtures = { ...DEFAULT_FIXTURES, cards: DEFAULT_FIXTURES.cards.map((c) => (c.name === 'happy' ? { ...c, expiry: '2606' } : c)) };
    const { db, hostKey } = openLedgerDb(':memory:');
    const c = testClock(Date.UTC(2026, 5, 30, 23, 59));
    const l = new Ledger(db, hostKey, fixtures, c.now);
    expect(l.balance({ pan: happy.pan, expiry: '2606' }, T).accounts).toHaveLength(1);
    c.advance(60_000);
    expect(codeOf(() => l.balance({ pan: happy.pan, expiry: '2606' }, T))).toBe('L54');
    l.close();
  });
});
