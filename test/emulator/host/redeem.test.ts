import { describe, expect, it } from 'vitest';
import { balanceOf, card, codeOf, hostPerTest, testClock } from './hostFixture.js';

const emu = hostPerTest();
const { api } = emu;

const REDEEM = '/api/v1/loyalty/rewards/redeem';

async function rewardTrxId(name = 'happy', terminal?: string): Promise<string> {
  const r = await balanceOf(api, card(name), terminal);
  expect(r.status).toBe(200);
  return (r.body as { rewardTrxId: string }).rewardTrxId;
}

const burn = (body: unknown) => api({ method: 'POST', path: REDEEM, body });

describe('POST /api/v1/loyalty/rewards/redeem', () => {
  it("takes the seed's sample body (rewardTxnId, no transactionId) and answers the seed's shape", async () => {
    await emu.start();
    const id = await rewardTrxId();
    // The seed's sample, with its dummy rewardTxnId replaced by ours, as the seed instructs.
    const r = await burn({ redemptionMandates: [{ accountId: '12', accountType: '1', debit: '100' }], rewardTxnId: id });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ rewardTrxId: id, accounts: [{ accountId: '12', accountType: '1', debit: '100', balance: '2350' }] });
  });

  it('accepts rewardTrxId as the field name too', async () => {
    await emu.start();
    const id = await rewardTrxId();
    const r = await burn({ rewardTrxId: id, transactionId: 't-1', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '50' }] });
    expect(r.status).toBe(200);
    expect((r.body as { accounts: { balance: string }[] }).accounts[0]?.balance).toBe('2400');
  });

  it('is idempotent by transactionId: same body → first answer, once; different body → 2020', async () => {
    await emu.start();
    const id = await rewardTrxId();
    const body = { rewardTrxId: id, transactionId: 'idem-1', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '200' }] };
    const first = await burn(body);
    const again = await burn(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const bal = await balanceOf(api, card('happy'));
    expect((bal.body as { accounts: { availableBalance: string }[] }).accounts[0]?.availableBalance).toBe('2250');
    const changed = await burn({ ...body, redemptionMandates: [{ accountId: '12', accountType: '1', debit: '201' }] });
    expect(changed.status).toBe(409);
    expect(changed.body).toEqual({
      errors: [{ code: '2020', message: expect.any(String) }],
      error: { code: '2020', message: expect.any(String) },
    });
  });

  it('refuses a debit over the live balance with 422 L51 and debits nothing', async () => {
    await emu.start();
    const id = await rewardTrxId();
    const r = await burn({ rewardTrxId: id, transactionId: 'big', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '2451' }] });
    expect(r.status).toBe(422);
    expect(codeOf(r.body)).toBe('L51');
    const emptyId = await rewardTrxId('empty');
    const r2 = await burn({ rewardTrxId: emptyId, transactionId: 'e1', redemptionMandates: [{ accountId: '12', accountType: '1', debit: '1' }] });
    expect(codeOf(r2.body)).toBe('L51');
    const noAcct = await burn({ rewardTrxId: id, transactionId: 'na', redemptionMandates: [{ accountId: '99', accountType: '1', debit: '1' }] });
    expect(codeOf(noAcct.body)).toBe('L51');
    // All-or-nothing across mandates.
    const split = await burn({
      rewardTrxId: id, transactionId: 'split',
      redemptionMandates: [{ accountId: '12', accountType: '1', debit: '2000' }, { accountId: '12', accountType: '1', debit: '451' }],
    });
    expect(codeOf(split.body)).toBe('L51');
    const bal = await balanceOf(api, card('happy'));
    expect((bal.body as { accounts: { availableBalance: string }[] }).accounts[0]?.availableBalance).toBe('2450');
  });

  it('refuses an unknown, expired or foreign rewardTrxId with 422 L30', async () => {
    const clock = testClock(Date.UTC(2026, 5, 1));
    await emu.start({ clock: clock.now });
    const mandates = [{ accountId: '12', accountType: '1', debit: '1' }];
    expect(codeOf((await burn({ rewardTrxId: '999999999', transactionId: 'u', redemptionMandates: mandates })).body)).toBe('L30');
    expect(codeOf((await burn({ rewardTrxId: 'abc', transactionId: 'u2', redemptionMandates: mandates })).body)).toBe('L30');
    const id = await rewardTrxId('happy', '20690111');
    const wrongTerminal = await api({ method: 'POST', path: REDEEM, headers: { terminalId: '99999999' }, body: { rewardTrxId: id, transactionId: 'w', redemptionMandates: mandates } });
    expect(wrongTerminal.status).toBe(422);
    expect(codeOf(wrongTerminal.body)).toBe('L30');
    const wrongCard = await api({ method: 'POST', path: REDEEM, headers: { PAN: card('empty').pan }, body: { rewardTrxId: id, transactionId: 'w2', redemptionMandates: mandates } });
    expect(codeOf(wrongCard.body)).toBe('L30');
    const rightCard = await api({ method: 'POST', path: REDEEM, headers: { PAN: card('happy').pan, terminalId: '20690111' }, body: { rewardTrxId: id, transactionId: 'w3', redemptionMandates: mandates } });
    expect(rightCard.status).toBe(200);
    clock.advance(299_000);
    expect((await burn({ rewardTrxId: id, transactionId: 'ok', redemptionMandates: mandates })).status).toBe(200);
    clock.advance(1_000);
    const expired = await burn({ rewardTrxId: id, transactionId: 'late', redemptionMandates: mandates });
    expect(codeOf(expired.body)).toBe('L30');
  });

  it.each([
    ['no mandates', { transactionId: 'x' }],
    ['empty mandates', { redemptionMandates: [] }],
    ['debit not a string', { redemptionMandates: [{ accountId: '12', accountType: '1', debit: 100 }] }],
    ['debit zero', { redemptionMandates: [{ accountId: '12', accountType: '1', debit: '0' }] }],
    ['negative debit', { redemptionMandates: [{ accountId: '12', accountType: '1', debit: '-5' }] }],
    ['mandate not an object', { redemptionMandates: ['12'] }],
  ])('rejects %s with 400 E37', async (_n, extra) => {
    await emu.start();
    const id = await rewardTrxId();
    const r = await burn({ rewardTrxId: id, ...extra });
    expect(r.status).toBe(400);
    expect(codeOf(r.body)).toBe('E37');
  });

  it('rejects a body without any rewardTrxId (E37)', async () => {
    await emu.start();
    const r = await burn({ redemptionMandates: [{ accountId: '12', accountType: '1', debit: '1' }] });
    expect(codeOf(r.body)).toBe('E37');
  });
});
