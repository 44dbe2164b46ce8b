/** Property: whatever earn reversals, refunds and voids arrive, the ledger never takes or gives back more than the sale moved. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES, type Fixtures } from '../../../emulator/host/fixtures.js';
import { Ledger, LedgerError, LedgerHistory, openLedgerDb } from '../../../emulator/host/ledger/index.js';
import { card, testClock } from './hostFixture.js';

const T = { merchantId: 'IBP000000000162', terminalId: '20690111' };
const happy = { pan: card('happy').pan, expiry: card('happy').expiry };
/** happy with two accounts: 12 (2450) and 14 (500). */
const FIXTURES: Fixtures = {
  ...DEFAULT_FIXTURES,
  cards: DEFAULT_FIXTURES.cards.map((c) =>
    c.name === 'happy' ? { ...c, accounts: [...c.accounts, { accountId: '14', accountName: 'Bonus', accountType: '2', balance: 500 }] } : c,
  ),
};
const START: Record<string, number> = { '12': 2450, '14': 500 };

type Op =
  | { kind: 'earn-reversal'; points: number | undefined; id: number }
  | { kind: 'refund'; points: number; id: number }
  | { kind: 'void'; id: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('earn-reversal' as const), points: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }), id: fc.integer({ min: 0, max: 5 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('refund' as const), points: fc.integer({ min: 1, max: 400 }), id: fc.integer({ min: 0, max: 5 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('void' as const), id: fc.constant(0) }), weight: 1 },
);

describe('returns and voids on the ledger (fast-check)', () => {
  it('takes back at most what was earned, gives back at most what was redeemed, and balances equal fixture + entries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.array(op, { maxLength: 25 }), (amount, d12, d14, ops) => {
        const { db, hostKey } = openLedgerDb(':memory:');
        const ledger = new Ledger(db, hostKey, FIXTURES, testClock(Date.UTC(2026, 5, 1)).now);
        try {
          const earned = ledger.earn({ card: happy, terminal: T, transactionId: 'E', amount }).points;
          const b = ledger.balance(happy, T);
          ledger.burn({ rewardTrxId: b.rewardTrxId, transactionId: 'B', mandates: [{ accountId: '12', accountType: '1', debit: d12 }, { accountId: '14', accountType: '2', debit: d14 }] });
          const redeemed = d12 + d14;
          let takenBack = 0;
          let givenBack = 0;
          let voided = false;
          const seen = new Map<string, number>();
          for (const o of ops) {
            const before = JSON.stringify(ledger.accountsOf(b.fp));
            try {
              if (o.kind === 'earn-reversal') {
                const key = `ER${o.id}:${o.points ?? 'all'}`;
                const out = ledger.reverseEarn({ originalTransactionId: 'E', transactionId: key, amount: o.points === undefined ? {} : { points: o.points } });
                if (!out.replay) takenBack += out.points;
                else expect(seen.get(key)).toBe(out.points);
                seen.set(key, out.points);
              } else if (o.kind === 'refund') {
                const key = `RF${o.id}:${o.points}`;
                const out = ledger.refund({ originalTransactionId: 'B', transactionId: key, points: o.points });
                if (!out.replay) givenBack += out.points;
                seen.set(key, out.points);
              } else {
                const out = ledger.reverse({ originalTransactionId: 'B' });
                if (!out.replay) givenBack += out.accounts.reduce((n, l) => n + l.debit, 0);
                voided = true;
              }
            } catch (err) {
              if (!(err instanceof LedgerError)) throw err;
              // A refusal (over-reversal L13, a reused id 2020, a balance short L51) changes nothing.
              expect(['L13', '2020', 'L51']).toContain(err.code);
              expect(JSON.stringify(ledger.accountsOf(b.fp))).toBe(before);
            }
            expect(takenBack).toBeLessThanOrEqual(earned);
            expect(givenBack).toBeLessThanOrEqual(redeemed);
          }
          if (voided) expect(givenBack).toBe(redeemed);
          // Each account: the fixture balance plus every entry applied to it.
          const entries = new LedgerHistory(db).entries().filter((e) => e.fp === b.fp);
          for (const a of ledger.accountsOf(b.fp)) {
            const sum = entries.filter((e) => e.accountId === a.accountId).reduce((n, e) => n + e.points, 0);
            expect(a.balance).toBe((START[a.accountId] ?? 0) + sum);
            expect(a.balance).toBeGreaterThanOrEqual(0);
          }
          // In all: what the sale left, plus what came back, less what was taken back.
          const total = ledger.accountsOf(b.fp).reduce((n, a) => n + a.balance, 0);
          expect(total).toBe(2950 + earned - redeemed - takenBack + givenBack);
        } finally {
          ledger.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
