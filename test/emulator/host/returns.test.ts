/** Returns and voids, the host extension over REST: earn reversals and refunds (emulator/README.md, "Returns and voids: the host extension"). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES, type Fixtures } from '../../../emulator/host/fixtures.js';
import { balanceOf, card, codeOf, hostPerTest, MERCHANT, TERMINAL } from './hostFixture.js';

const emu = hostPerTest();
const { api } = emu;
const happy = card('happy');
const L = '/api/v1/loyalty';

type Journal = { kind: string; transactionId: string; received: number; applied: boolean; originalTransactionId?: string }[];
type Ledger = { cards: { name: string; accounts: { accountId: string; balance: number }[] }[]; entries: { transactionId: string; kind: string; points: number; accountId: string; originalTransactionId?: string }[] };

const earn = (transactionId: string, amount: number) =>
  api({ method: 'POST', path: `${L}/rewards/earn`, body: { merchantId: MERCHANT, terminalId: TERMINAL, pan: happy.pan, expiryDate: happy.expiry, transactionId, amount: String(amount) } });
const reverseEarn = (original: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
  api({ method: 'POST', path: `${L}/rewards/earn/${original}/reversal`, body, ...(headers ? { headers } : {}) });
const refund = (original: string, body: Record<string, unknown>) => api({ method: 'POST', path: `${L}/rewards/redeem/${original}/refund`, body });
async function burn(transactionId: string, mandates: { accountId: string; debit: number }[]): Promise<void> {
  const id = ((await balanceOf(api, happy)).body as { rewardTrxId: string }).rewardTrxId;
  const r = await api({
    method: 'POST', path: `${L}/rewards/redeem`,
    body: { rewardTrxId: id, transactionId, redemptionMandates: mandates.map((m) => ({ accountId: m.accountId, accountType: '1', debit: String(m.debit) })) },
  });
  expect(r.status).toBe(200);
}
const ledger = async (): Promise<Ledger> => (await (await fetch(`${emu.host.url}/_emulator/ledger`)).json()) as Ledger;
const journal = async (): Promise<Journal> => ((await (await fetch(`${emu.host.url}/_emulator/journal`)).json()) as { transactions: Journal }).transactions;
const balances = async (): Promise<Record<string, number>> =>
  Object.fromEntries((await ledger()).cards.find((c) => c.name === 'happy')!.accounts.map((a) => [a.accountId, a.balance]));
const journalOf = async (kind: string, transactionId: string) => (await journal()).find((j) => j.kind === kind && j.transactionId === transactionId);

/** happy with a second account, 14, holding 500. */
const TWO_ACCOUNTS: Fixtures = {
  ...DEFAULT_FIXTURES,
  cards: DEFAULT_FIXTURES.cards.map((c) =>
    c.name === 'happy' ? { ...c, accounts: [...c.accounts, { accountId: '14', accountName: 'Bonus Points', accountType: '2', balance: 500 }] } : c,
  ),
};

describe('POST rewards/earn/{transactionId}/reversal', () => {
  it('takes back part, then the rest; each shows in the ledger, the journal and GET transactions as earn-reversal', async () => {
    await emu.start();
    await earn('e1', 5000); // floor(5000 * 0.1) = 500 points: 2450 → 2950
    const part = await reverseEarn('e1', { transactionId: 'e1-r1', points: '120' });
    expect(part.status).toBe(200);
    expect(part.body).toEqual({
      originalTransactionId: 'e1', transactionId: 'e1-r1', points: '120', remaining: '380',
      accounts: [{ accountId: '12', accountType: '1', debit: '120', balance: '2830' }],
    });
    const rest = await reverseEarn('e1', { transactionId: 'e1-r2' });
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ points: '380', remaining: '0', accounts: [{ accountId: '12', debit: '380', balance: '2450' }] });
    expect(await balances()).toEqual({ '12': 2450 });
    const entries = (await ledger()).entries.map((e) => [e.transactionId, e.kind, e.points, e.originalTransactionId]);
    expect(entries).toEqual([['e1', 'earn', 500, undefined], ['e1-r1', 'earn-reversal', -120, 'e1'], ['e1-r2', 'earn-reversal', -380, 'e1']]);
    expect(await journalOf('earn-reversal', 'e1-r1')).toEqual({
      kind: 'earn-reversal', transactionId: 'e1-r1', received: 1, applied: true, reversed: false, lateOriginal: false, originalTransactionId: 'e1',
    });
    const tx = await api({ path: `${L}/transactions?pan=${happy.pan}&expiryDate=${happy.expiry}` });
    const records = (tx.body as { transactions: { name: string; extRef: string; transactionRewardValue: number; totalRewardValue: number }[] }).transactions;
    expect(records.map((r) => [r.name, r.extRef, r.transactionRewardValue, r.totalRewardValue])).toEqual([
      ['Points Earned', 'e1', 500, 2950], ['Earn Reversal', 'e1-r1', -120, 2830], ['Earn Reversal', 'e1-r2', -380, 2450],
    ]);
  });

  it('refuses an over-reversal with 422 L13 and changes nothing; a repeat answers the same; another body is 409 2020', async () => {
    await emu.start();
    await earn('e2', 1000); // 100 points
    const over = await reverseEarn('e2', { transactionId: 'e2-r1', points: '101' });
    expect(over.status).toBe(422);
    expect(codeOf(over.body)).toBe('L13');
    expect(await balances()).toEqual({ '12': 2550 });
    expect(await journalOf('earn-reversal', 'e2-r1')).toMatchObject({ received: 1, applied: false });

    const first = await reverseEarn('e2', { transactionId: 'e2-r1', points: '60' });
    expect(first.status).toBe(200);
    const again = await reverseEarn('e2', { transactionId: 'e2-r1', points: '60' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await balances()).toEqual({ '12': 2490 });
    const conflict = await reverseEarn('e2', { transactionId: 'e2-r1', points: '10' });
    expect(conflict.status).toBe(409);
    expect(codeOf(conflict.body)).toBe('2020');
    expect(await journalOf('earn-reversal', 'e2-r1')).toMatchObject({ received: 4, applied: true });
    expect((await ledger()).entries.filter((e) => e.kind === 'earn-reversal')).toHaveLength(1);
    // 40 left: 41 is over, a full reversal takes exactly 40, and then nothing is left.
    expect(codeOf((await reverseEarn('e2', { transactionId: 'e2-r2', points: '41' })).body)).toBe('L13');
    expect((await reverseEarn('e2', { transactionId: 'e2-r3' })).body).toMatchObject({ points: '40', remaining: '0' });
    expect(codeOf((await reverseEarn('e2', { transactionId: 'e2-r4' })).body)).toBe('L13');
    expect(await balances()).toEqual({ '12': 2450 });
  });

  it('answers 404 L25 for an unknown earn, 403 L58 from another terminal, 400 E37 without a transactionId', async () => {
    await emu.start();
    await earn('e3', 1000);
    const unknown = await reverseEarn('never', { transactionId: 'x1' });
    expect(unknown.status).toBe(404);
    expect(codeOf(unknown.body)).toBe('L25');
    const other = await reverseEarn('e3', { transactionId: 'x2', terminalId: '99999999' });
    expect(other.status).toBe(403);
    expect(codeOf(other.body)).toBe('L58');
    const byHeader = await reverseEarn('e3', { transactionId: 'x3' }, { merchantId: 'OTHER', terminalId: TERMINAL });
    expect(codeOf(byHeader.body)).toBe('L58');
    const noId = await reverseEarn('e3', { points: '5' });
    expect(noId.status).toBe(400);
    expect(codeOf(noId.body)).toBe('E37');
    expect(await balances()).toEqual({ '12': 2550 });
  });

  it('refuses with 422 L51 when the account no longer holds the earned points, and changes nothing', async () => {
    await emu.start();
    await earn('e4', 1000); // +100: 2550
    await burn('b4', [{ accountId: '12', debit: 2500 }]); // 50 left
    const r = await reverseEarn('e4', { transactionId: 'e4-r' });
    expect(r.status).toBe(422);
    expect(codeOf(r.body)).toBe('L51');
    expect(await balances()).toEqual({ '12': 50 });
  });
});

describe('POST rewards/redeem/{transactionId}/refund', () => {
  it('refunds part twice, then refuses a third over the debit with 422 L13 and changes nothing', async () => {
    await emu.start();
    await burn('b1', [{ accountId: '12', debit: 450 }]); // 2000
    const r1 = await refund('b1', { transactionId: 'b1-f1', points: '200' });
    expect(r1.status).toBe(200);
    expect(r1.body).toEqual({
      originalTransactionId: 'b1', transactionId: 'b1-f1', points: '200', remaining: '250',
      accounts: [{ accountId: '12', accountType: '1', debit: '200', balance: '2200' }],
    });
    expect((await refund('b1', { transactionId: 'b1-f2', points: '150' })).body).toMatchObject({ remaining: '100' });
    const before = await ledger();
    const over = await refund('b1', { transactionId: 'b1-f3', points: '101' });
    expect(over.status).toBe(422);
    expect(codeOf(over.body)).toBe('L13');
    expect(await ledger()).toEqual(before);
    expect(await balances()).toEqual({ '12': 2350 });
    for (const id of ['b1-f1', 'b1-f2']) expect(await journalOf('refund', id)).toMatchObject({ received: 1, applied: true, originalTransactionId: 'b1' });
    expect(await journalOf('refund', 'b1-f3')).toMatchObject({ received: 1, applied: false });
    // A repeat replays; another body under the same id is 2020; what is left can still be refunded.
    expect((await refund('b1', { transactionId: 'b1-f1', points: '200' })).body).toEqual(r1.body);
    expect(codeOf((await refund('b1', { transactionId: 'b1-f1', points: '20' })).body)).toBe('2020');
    expect((await refund('b1', { transactionId: 'b1-f4', points: '100' })).body).toMatchObject({ remaining: '0' });
    expect(await balances()).toEqual({ '12': 2450 });
    expect(await journalOf('refund', 'b1-f1')).toMatchObject({ received: 3, applied: true });
  });

  it('has nothing left to refund once the burn is reversed, and a reversal after refunds gives back only the rest', async () => {
    await emu.start();
    await burn('b2', [{ accountId: '12', debit: 300 }]); // 2150
    await api({ method: 'POST', path: `${L}/rewards/redeem/b2/reversal` });
    const after = await refund('b2', { transactionId: 'b2-f1', points: '1' });
    expect(after.status).toBe(422);
    expect(codeOf(after.body)).toBe('L13');
    expect(await balances()).toEqual({ '12': 2450 });

    await burn('b3', [{ accountId: '12', debit: 300 }]); // 2150
    await refund('b3', { transactionId: 'b3-f1', points: '100' }); // 2250
    const rev = await api({ method: 'POST', path: `${L}/rewards/redeem/b3/reversal` });
    expect(rev.body).toEqual({ originalTransactionId: 'b3', reversed: true, accounts: [{ accountId: '12', accountType: '1', debit: '200', balance: '2450' }] });
    expect(await balances()).toEqual({ '12': 2450 });
  });

  it('credits a multi-account burn back in reverse mandate order, each account up to what it was debited', async () => {
    await emu.start({ fixtures: TWO_ACCOUNTS });
    await burn('b5', [{ accountId: '12', debit: 100 }, { accountId: '14', debit: 50 }]); // 12: 2350, 14: 450
    const r = await refund('b5', { transactionId: 'b5-f1', points: '70' });
    expect(r.body).toMatchObject({
      remaining: '80',
      accounts: [{ accountId: '14', accountType: '2', debit: '50', balance: '500' }, { accountId: '12', accountType: '1', debit: '20', balance: '2370' }],
    });
    expect((await refund('b5', { transactionId: 'b5-f2', points: '30' })).body).toMatchObject({ accounts: [{ accountId: '12', debit: '30', balance: '2400' }] });
    expect(await balances()).toEqual({ '12': 2400, '14': 500 });
  });

  it('answers 404 L25 for an unknown burn and 400 E37 without points', async () => {
    await emu.start();
    const unknown = await refund('never', { transactionId: 'f1', points: '5' });
    expect(unknown.status).toBe(404);
    expect(codeOf(unknown.body)).toBe('L25');
    await burn('b6', [{ accountId: '12', debit: 10 }]);
    const noPoints = await refund('b6', { transactionId: 'f2' });
    expect(noPoints.status).toBe(400);
    expect(codeOf(noPoints.body)).toBe('E37');
    expect(codeOf((await refund('b6', { transactionId: 'f3', points: '0' })).body)).toBe('E37');
    expect(await balances()).toEqual({ '12': 2440 });
  });
});
